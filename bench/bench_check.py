"""Bench: does `align check` catch the corrupted units of a TMX without condemning the clean ones? (issues 6, 14)

Clean TMX files are made from texts whose alignment is known:
- interview: the gold alignment of corpora/interview, English against Serbian Latin and against Serbian Cyrillic,
  and the same texts as `align pair` aligns them (the engine's own output, what users will check);
- parice (en-is), textberg (de-fr) and mac (zh-en): the gold beads of ../shared/benchmarks, one TMX per document.
Then about `--share` of the units of each file are corrupted, in four ways in equal parts:
- swap: the targets of two distant units trade places;
- shift: over a run of 3-6 consecutive units each target moves one unit up (the first target goes to the last
  unit of the run);
- truncate: the target is cut to its first third;
- untranslated: the target is replaced by a copy of the source;
and `align check` (pipeline.check_tmx, the whole path: TMX file, embeddings, report) judges every unit.

Then (issue 14) the same clean files again, with sentences left out instead, in about `--share` of the units:
- omitted-in-unit: a target of several sentences loses one;
- omitted-merged: two neighbouring units become one unit with both sources and one of the two targets;
- merged (the control, clean): two neighbouring units become one unit, whole.

Printed: per set and corruption type, the share of corrupted units with ok=false (target >= 90%) and the share
of clean units with ok=false (target <= 5%), pooled over seeds; then per seed; then the same for the omissions
(omitted units not ok, and flagged omitted-sentence itself; merged and clean units not ok).

The same for `align pair` (its score stage, align.quality.flag_alignment): the gold alignments re-scored as they
are (gold beads of two sentences or more on a side flagged omitted-sentence: target <= 5%); with every fifth pair
of neighbouring one-to-one beads merged into one bead, whole (control) or with the second target sentence left
out of the document (omitted); and the documents with those sentences left out aligned by the aligner itself,
where the orphaned source sentence must end up in a unit that is not ok (a 1-0 bead, or a flagged unit).
Fixed seeds; deterministic.

    .venv/bin/python bench/bench_check.py                 # seeds 0-4, all sets
    .venv/bin/python bench/bench_check.py --seeds 7 --sets interview
    .venv/bin/python bench/bench_check.py --only omissions pair       # the parts of issue 14 alone
"""
from __future__ import annotations

import argparse
import ast
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align import aligner, pipeline, segment  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.errors import AlignError  # noqa: E402
from align.evaluate import read_beads  # noqa: E402
from align.formats import tmx  # noqa: E402
from align.quality.checks import omission  # noqa: E402
from align.records import Bead  # noqa: E402

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
INTERVIEW = ROOT / "corpora" / "interview"
KINDS = ("swap", "shift", "truncate", "untranslated")
OMISSION_KINDS = ("omitted-in-unit", "omitted-merged")  # a sentence left out of a unit's target ...
MIN_UNITS = 15
MERGE_EVERY = 5  # align pair: every fifth pair of neighbouring one-to-one beads is merged
PARTS = ("corruptions", "omissions", "pair")


def _lines(path: Path, numbered: bool = False) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] if numbered and "\t" in line else line for line in lines]


def gold_units(src: list[str], tgt: list[str], beads: Path) -> list[tuple[str, str]]:
    """The units of a gold alignment: every bead with sentences on both sides, sentences joined by a space."""
    units = []
    for line in beads.read_text(encoding="utf-8").splitlines():
        left, right = line.split(":")
        i, j = ast.literal_eval(left.strip()), ast.literal_eval(right.strip())
        if i and j:
            units.append((" ".join(src[k].strip() for k in i), " ".join(tgt[k].strip() for k in j)))
    return units


# A gold alignment: name, source and target languages, the sentences of both sides, the gold beads file.
GoldAlignment = tuple[str, str, str, list[str], list[str], Path]


def interview_alignments() -> list[GoldAlignment]:
    if not (INTERVIEW / "gold.beads").is_file():
        return []
    english = _lines(INTERVIEW / "en.sent")
    return [(f"gold-{script}", "en", f"sr-{script}", english, _lines(INTERVIEW / f"sr-{script}.sent"),
             INTERVIEW / "gold.beads") for script in ("Latn", "Cyrl")]


def benchmark_alignments(name: str) -> list[GoldAlignment]:
    layout = {"parice": ("eng", "isl", "en", "is", True), "textberg": ("de", "fr", "de", "fr", False),
              "mac": ("zh", "en", "zh", "en", False)}
    folder = {"parice": "parice", "textberg": "textberg", "mac": "mac_dev"}[name]
    src_dir, tgt_dir, src_lang, tgt_lang, numbered = layout[name]
    base = BENCHMARKS / folder
    return [(gold.stem, src_lang, tgt_lang, _lines(base / src_dir / gold.name, numbered),
             _lines(base / tgt_dir / gold.name, numbered), gold) for gold in sorted((base / "gold").iterdir())]


def gold_alignments(name: str) -> list[GoldAlignment]:
    return interview_alignments() if name == "interview" else benchmark_alignments(name)


def interview_documents() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    documents = [(doc, src_lang, tgt_lang, gold_units(src, tgt, beads))
                 for doc, src_lang, tgt_lang, src, tgt, beads in interview_alignments()]
    if documents:
        alignment = pipeline.align_files(INTERVIEW / "en.txt", INTERVIEW / "sr-Latn.txt", "en", "sr")
        units = [(alignment.src_text(b), alignment.tgt_text(b)) for b in alignment.units]
        documents.append(("align-pair-Latn", "en", alignment.tgt.tag, units))
    return documents


def benchmark_documents(name: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    return [(doc, src_lang, tgt_lang, gold_units(src, tgt, beads))
            for doc, src_lang, tgt_lang, src, tgt, beads in benchmark_alignments(name)]


def corrupt(units: list[tuple[str, str]], rng: np.random.Generator,
            share: float) -> tuple[list[tuple[str, str]], list[str]]:
    """A copy of `units` with about `share` of them corrupted, and per unit its kind ("clean" or a KINDS entry)."""
    n = len(units)
    targets = [t for _, t in units]
    kinds = ["clean"] * n
    free = set(range(n))
    per_kind = max(1, round(share * n / len(KINDS)))
    for kind in KINDS:
        done, attempts = 0, 0
        while done < per_kind and attempts < 200:
            attempts += 1
            if kind == "swap":
                a = int(rng.choice(sorted(free)))
                far = [b for b in free if abs(b - a) >= max(5, n // 4)]
                if not far:
                    continue
                b = int(rng.choice(far))
                targets[a], targets[b] = units[b][1], units[a][1]
                chosen = [a, b]
            elif kind == "shift":
                length = int(rng.integers(3, 7))
                start = int(rng.integers(0, max(n - length, 1)))
                chosen = list(range(start, min(start + length, n)))
                if len(chosen) < 3 or not free.issuperset(chosen):
                    continue
                for k in chosen[:-1]:
                    targets[k] = units[k + 1][1]
                targets[chosen[-1]] = units[chosen[0]][1]
            elif kind == "truncate":
                a = int(rng.choice(sorted(free)))
                text = units[a][1]
                targets[a] = text[:len(text) // 3].rstrip()
                chosen = [a]
            else:
                a = int(rng.choice(sorted(free)))
                targets[a] = units[a][0]
                chosen = [a]
            if any(targets[k] == units[k][1] for k in chosen):  # identical texts: nothing was corrupted
                for k in chosen:
                    targets[k] = units[k][1]
                continue
            for k in chosen:
                kinds[k] = kind
            free -= set(chosen)
            done += len(chosen)
    return [(s, t) for (s, _), t in zip(units, targets)], kinds


def omit_sentences(units: list[tuple[str, str]], rng: np.random.Generator, share: float,
                   tgt_lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """A copy of `units` with about `share` of them made `omitted-in-unit` or `omitted-merged` (half each, as far
    as there are targets of several sentences), and about `share` / 2 `merged` (two units made one, whole): the
    units, and per unit its kind ("clean" or one of those)."""
    units, kinds = list(units), ["clean"] * len(units)
    wanted = max(2, round(share * len(units)))
    several = [k for k, (_, t) in enumerate(units) if len(segment.split_paragraph(t, tgt_lang)) >= 2]
    for k in rng.permutation(several)[:wanted // 2]:
        sentences = segment.split_paragraph(units[k][1], tgt_lang)
        dropped = int(rng.integers(len(sentences)))
        units[k] = (units[k][0], " ".join(s for n, s in enumerate(sentences) if n != dropped))
        kinds[k] = "omitted-in-unit"
    left = {"omitted-merged": wanted - kinds.count("omitted-in-unit"), "merged": wanted // 2}
    merges: dict[int, str] = {}
    for k in rng.permutation(len(units) - 1):
        kind = "omitted-merged" if left["omitted-merged"] > 0 else "merged"
        if left[kind] <= 0:
            break
        if kinds[k] == kinds[k + 1] == "clean" and not ({k - 1, k, k + 1} & set(merges)):
            merges[int(k)] = kind
            left[kind] -= 1
    merged_units, merged_kinds, k = [], [], 0
    while k < len(units):
        if k in merges:
            (src_a, tgt_a), (src_b, tgt_b) = units[k], units[k + 1]
            kept = (tgt_a, tgt_b)[int(rng.integers(2))]
            merged_units.append((f"{src_a} {src_b}", kept if merges[k] == "omitted-merged" else f"{tgt_a} {tgt_b}"))
            merged_kinds.append(merges[k])
            k += 2
        else:
            merged_units.append(units[k])
            merged_kinds.append(kinds[k])
            k += 1
    return merged_units, merged_kinds


def write_tmx(units: list[tuple[str, str]], src_lang: str, tgt_lang: str, path: Path) -> None:
    document = tmx.TmxDocument("1.4", tmx.tmx_header(src_lang), [
        tmx.TmxUnit(f"u{k + 1:05d}", [tmx.TmxVariant(src_lang, s), tmx.TmxVariant(tgt_lang, t)])
        for k, (s, t) in enumerate(units)])
    tmx.write_document(document, path)


def check_files(sets: dict[str, list], seeds: list[int], share_corrupted: float, show: bool,
                kinds_of: str) -> None:
    """`align check` on the corrupted TMX files of every document and seed (`kinds_of`: "issue 6", the four
    corruptions; "issue 14", the omissions); prints the tables."""
    kinds_shown = KINDS if kinds_of == "issue 6" else OMISSION_KINDS
    # counts[(set, seed, kind)] = [not ok, total]; by_flag[(set, seed, kind)] = units flagged omitted-sentence
    counts: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    by_flag: dict[tuple[str, int, str], int] = defaultdict(int)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            rng = np.random.default_rng(seed)
            for name, documents in sets.items():
                for doc_name, src_lang, tgt_lang, units in documents:
                    if kinds_of == "issue 6":
                        corrupted, kinds = corrupt(units, rng, share_corrupted)
                    else:
                        corrupted, kinds = omit_sentences(units, rng, share_corrupted, tgt_lang)
                    path = Path(tmp) / f"{name}-{doc_name}-{seed}.tmx"
                    write_tmx(corrupted, src_lang, tgt_lang, path)
                    result = pipeline.check_tmx(path, Path(tmp) / f"report-{name}-{doc_name}-{seed}",
                                                src_lang=src_lang, tgt_lang=tgt_lang)
                    for unit, kind in zip(result.units, kinds):
                        count = counts[(name, seed, kind)]
                        count[0] += not unit.ok
                        count[1] += 1
                        by_flag[(name, seed, kind)] += any(f.name == omission.NAME for f in unit.flags)
                        if show and unit.ok == (kind not in ("clean", "merged")):
                            flags = ",".join(f.name for f in unit.flags)
                            print(f"  {'missed' if unit.ok else 'false alarm'} {kind} {name}/{doc_name} "
                                  f"{unit.score:.2f} [{flags}] {unit.src[:60]!r} -> {unit.tgt[:60]!r}")
    elapsed = time.perf_counter() - started

    def pooled(set_name: str = "all", seed: int | None = None, kinds: tuple[str, ...] = kinds_shown,
               flagged: bool = False) -> tuple[int, int]:
        picked = [(by_flag[key] if flagged else v[0], v[1]) for key, v in counts.items()
                  if set_name in ("all", key[0]) and seed in (None, key[1]) and key[2] in kinds]
        return sum(v[0] for v in picked), sum(v[1] for v in picked)

    print(f"\n{kinds_of}: seeds {seeds}, corrupted share {share_corrupted}; ok=false among units of each kind, "
          "pooled over seeds")
    columns = [(kind, (kind,), False) for kind in kinds_shown]
    if kinds_of == "issue 14":
        columns += [("flagged omitted-sentence", OMISSION_KINDS, True), ("merged (control)", ("merged",), False)]
    corrupted = "corrupted (>=90%)" if kinds_of == "issue 6" else "omitted (all)"
    print(f"{'set':<11}{'clean (<=5%)':<24}{corrupted:<24}" + "".join(f"{c[0]:<26}" for c in columns))
    for name in [*sets, "all"]:
        cells = "".join(f"{share(pooled(name, kinds=kinds, flagged=flagged)):<26}" for _, kinds, flagged in columns)
        print(f"{name:<11}{share(pooled(name, kinds=('clean',))):<24}{share(pooled(name)):<24}{cells}")
    print("\nper seed (all sets): clean flagged / corrupted caught")
    for seed in seeds:
        print(f"  seed {seed}: {share(pooled(seed=seed, kinds=('clean',)))} / {share(pooled(seed=seed))}")
    print(f"\n{elapsed:.0f} s for {sum(len(d) for d in sets.values()) * len(seeds)} TMX checks")


def share(pair: tuple[int, int]) -> str:
    return f"{pair[0] / pair[1]:6.1%} ({pair[0]}/{pair[1]})" if pair[1] else "   n/a"


def merged_beads(beads: list[Bead], omit: bool) -> tuple[list[Bead], list[int], list[int]]:
    """The beads with every MERGE_EVERY-th pair of neighbouring 1-1 beads made one 2-2 bead, or (omit) one 2-1 bead
    whose second target sentence is gone from the document: (beads, the merged beads' positions, the target
    sentences dropped). Target sentence numbers are those of the document without the dropped sentences."""
    pairs = [k for k in range(len(beads) - 1)
             if len(beads[k].src) == len(beads[k].tgt) == len(beads[k + 1].src) == len(beads[k + 1].tgt) == 1]
    chosen, last = set(), -2
    for n, k in enumerate(pairs):
        if n % MERGE_EVERY == 0 and k > last + 1:
            chosen.add(k)
            last = k
    out, positions, dropped, k = [], [], [], 0
    while k < len(beads):
        if k in chosen:
            first, second = beads[k], beads[k + 1]
            if omit:
                dropped.append(second.tgt[0])
            positions.append(len(out))
            out.append(Bead(first.src + second.src, first.tgt + (() if omit else second.tgt)))
            k += 2
        else:
            out.append(Bead(beads[k].src, beads[k].tgt))
            k += 1
    # renumber the target sentences past each dropped one
    renumber = {j: j - sum(d < j for d in dropped) for bead in out for j in bead.tgt}
    return [Bead(b.src, tuple(renumber[j] for j in b.tgt)) for b in out], positions, dropped


def check_pair(names: list[str]) -> None:
    """`align pair`'s score stage on gold alignments, merged beads, and documents with sentences left out."""
    encoder = load_encoder()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (set, what) -> [flagged, total]

    def count(name: str, what: str, flagged: bool) -> None:
        counts[(name, what)][0] += flagged
        counts[(name, what)][1] += 1

    started = time.perf_counter()
    for name in names:
        for doc, src_lang, tgt_lang, src, tgt, beads_path in gold_alignments(name):
            gold = [Bead(tuple(s), tuple(t)) for s, t in read_beads(beads_path)]
            if sum(b.is_unit for b in gold) < MIN_UNITS:
                continue
            try:  # a gold that leaves sentences out, or names one the text has not, cannot be re-scored
                aligner.bead_ranges(gold, len(src), len(tgt))
            except AlignError as error:
                print(f"  skipped {name}/{doc}: {error}")
                continue
            alignment = pipeline.align_sentences(src, tgt, src_lang, tgt_lang, name=doc, encoder=encoder)
            alignment.beads = gold
            pipeline.rescore(alignment)
            for bead in alignment.units:
                if max(len(bead.src), len(bead.tgt)) >= 2:
                    count(name, "gold", any(f.name == omission.NAME for f in bead.flags))
            for omit in (False, True):
                beads, positions, dropped = merged_beads(gold, omit)
                kept = [t for j, t in enumerate(tgt) if j not in set(dropped)]
                alignment = pipeline.align_sentences(src, kept, src_lang, tgt_lang, name=doc, encoder=encoder)
                if omit:  # the aligner's own beads first: where do the orphaned source sentences end up?
                    orphans = {beads[k].src[1] for k in positions}
                    for bead in alignment.beads:
                        for i in orphans.intersection(bead.src):
                            count(name, "aligned-unaligned", not bead.is_unit)
                            count(name, "aligned-flag", bead.is_unit and any(f.name == omission.NAME
                                                                               for f in bead.flags))
                            count(name, "aligned-not-ok", not bead.is_unit or any(f.severe for f in bead.flags))
                alignment.beads = beads
                pipeline.rescore(alignment)
                for k in positions:
                    count(name, "omitted" if omit else "merged",
                          any(f.name == omission.NAME for f in alignment.beads[k].flags))
    elapsed = time.perf_counter() - started
    print(f"\nalign pair (flag_alignment), every {MERGE_EVERY}th pair of neighbouring 1-1 beads merged")
    print(f"{'set':<11}{'gold 2+ (<=5%)':<22}{'merged whole':<22}{'omitted: flagged':<22}"
          f"{'aligner: 1-0 bead':<22}{'aligner: flagged':<22}{'aligner: not ok':<22}")
    def pooled(set_name: str, what: str) -> tuple[int, int]:
        picked = [v for (n, w), v in counts.items() if set_name in ("all", n) and w == what]
        return sum(v[0] for v in picked), sum(v[1] for v in picked)

    for name in [*names, "all"]:
        print(f"{name:<11}" + "".join(f"{share(pooled(name, what)):<22}" for what in
                                      ("gold", "merged", "omitted", "aligned-unaligned", "aligned-flag",
                                       "aligned-not-ok")))
    print(f"{elapsed:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--sets", default="interview,parice,textberg,mac")
    parser.add_argument("--show", action="store_true", help="print the missed and the wrongly flagged units")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS,
                        help="corruptions: issue 6's four kinds; omissions: sentences left out (check); pair: the "
                             "same for `align pair`")
    args = parser.parse_args()
    names = args.sets.split(",")

    if {"corruptions", "omissions"} & set(args.only):
        sets: dict[str, list] = {}
        for name in names:
            documents = interview_documents() if name == "interview" else benchmark_documents(name)
            sets[name] = [d for d in documents if len(d[3]) >= MIN_UNITS]
            print(f"{name}: {len(sets[name])} documents, {sum(len(d[3]) for d in sets[name])} units", flush=True)
        if "corruptions" in args.only:
            check_files(sets, args.seeds, args.share, args.show, "issue 6")
        if "omissions" in args.only:
            check_files(sets, args.seeds, args.share, args.show, "issue 14")
    if "pair" in args.only:
        check_pair(names)


if __name__ == "__main__":
    main()
