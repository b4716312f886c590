"""Bench: does `align check` catch the corrupted units of a TMX without condemning the clean ones? (issue 6)

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
and `align check` (check.check_tmx, the whole path: TMX file, embeddings, report) judges every unit.

Printed: per set and corruption type, the share of corrupted units with ok=false (target >= 90%) and the share
of clean units with ok=false (target <= 5%), pooled over seeds; then per seed. Fixed seeds; deterministic.

    .venv/bin/python bench/bench_check.py                 # seeds 0-4, all sets
    .venv/bin/python bench/bench_check.py --seeds 7 --sets interview
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

from align import check, pipeline, tmx  # noqa: E402

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
INTERVIEW = ROOT / "corpora" / "interview"
KINDS = ("swap", "shift", "truncate", "untranslated")
MIN_UNITS = 15


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


def interview_documents() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    if not (INTERVIEW / "gold.beads").is_file():
        return []
    english = _lines(INTERVIEW / "en.sent")
    documents = []
    for script in ("Latn", "Cyrl"):
        serbian = _lines(INTERVIEW / f"sr-{script}.sent")
        units = gold_units(english, serbian, INTERVIEW / "gold.beads")
        documents.append((f"gold-{script}", "en", f"sr-{script}", units))
    alignment = pipeline.align_files(INTERVIEW / "en.txt", INTERVIEW / "sr-Latn.txt", "en", "sr")
    units = [(alignment.src_text(b), alignment.tgt_text(b)) for b in alignment.units]
    documents.append(("align-pair-Latn", "en", alignment.tgt.tag, units))
    return documents


def benchmark_documents(name: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    layout = {"parice": ("eng", "isl", "en", "is", True), "textberg": ("de", "fr", "de", "fr", False),
              "mac": ("zh", "en", "zh", "en", False)}
    folder = {"parice": "parice", "textberg": "textberg", "mac": "mac_dev"}[name]
    src_dir, tgt_dir, src_lang, tgt_lang, numbered = layout[name]
    base = BENCHMARKS / folder
    documents = []
    for gold in sorted((base / "gold").iterdir()):
        units = gold_units(_lines(base / src_dir / gold.name, numbered), _lines(base / tgt_dir / gold.name, numbered),
                           gold)
        documents.append((gold.stem, src_lang, tgt_lang, units))
    return documents


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


def write_tmx(units: list[tuple[str, str]], src_lang: str, tgt_lang: str, path: Path) -> None:
    document = tmx.TmxDocument("1.4", tmx.tmx_header(src_lang), [
        tmx.TmxUnit(f"u{k + 1:05d}", [tmx.TmxVariant(src_lang, s), tmx.TmxVariant(tgt_lang, t)])
        for k, (s, t) in enumerate(units)])
    tmx.write_document(document, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--sets", default="interview,parice,textberg,mac")
    parser.add_argument("--show", action="store_true", help="print the missed and the wrongly flagged units")
    args = parser.parse_args()

    sets: dict[str, list] = {}
    for name in args.sets.split(","):
        documents = interview_documents() if name == "interview" else benchmark_documents(name)
        sets[name] = [d for d in documents if len(d[3]) >= MIN_UNITS]
        print(f"{name}: {len(sets[name])} documents, {sum(len(d[3]) for d in sets[name])} units", flush=True)

    # counts[(set, seed, kind)] = [not ok, total]
    counts: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            rng = np.random.default_rng(seed)
            for name, documents in sets.items():
                for doc_name, src_lang, tgt_lang, units in documents:
                    corrupted, kinds = corrupt(units, rng, args.share)
                    path = Path(tmp) / f"{name}-{doc_name}-{seed}.tmx"
                    write_tmx(corrupted, src_lang, tgt_lang, path)
                    result = check.check_tmx(path, Path(tmp) / f"report-{name}-{doc_name}-{seed}",
                                             src_lang=src_lang, tgt_lang=tgt_lang)
                    for unit, kind in zip(result.units, kinds):
                        count = counts[(name, seed, kind)]
                        count[0] += not unit.ok
                        count[1] += 1
                        if args.show and unit.ok == (kind != "clean"):
                            flags = ",".join(f.name for f in unit.flags)
                            print(f"  {'missed' if unit.ok else 'false alarm'} {kind} {name}/{doc_name} "
                                  f"{unit.score:.2f} [{flags}] {unit.src[:60]!r} -> {unit.tgt[:60]!r}")
    elapsed = time.perf_counter() - started

    def pooled(set_name: str = "all", seed: int | None = None, kinds: tuple[str, ...] = KINDS) -> tuple[int, int]:
        picked = [v for (name, sd, kind), v in counts.items()
                  if set_name in ("all", name) and seed in (None, sd) and kind in kinds]
        return sum(v[0] for v in picked), sum(v[1] for v in picked)

    def share(pair: tuple[int, int]) -> str:
        return f"{pair[0] / pair[1]:6.1%} ({pair[0]}/{pair[1]})" if pair[1] else "   n/a"

    print(f"\nseeds {args.seeds}, corrupted share {args.share}; ok=false among units of each kind, pooled over seeds")
    print(f"{'set':<11}{'clean (<=5%)':<24}{'corrupted (>=90%)':<24}" + "".join(f"{k:<22}" for k in KINDS))
    for name in [*sets, "all"]:
        by_kind = "".join(f"{share(pooled(name, kinds=(kind,))):<22}" for kind in KINDS)
        print(f"{name:<11}{share(pooled(name, kinds=('clean',))):<24}{share(pooled(name)):<24}{by_kind}")
    print("\nper seed (all sets): clean flagged / corrupted caught")
    for seed in args.seeds:
        print(f"  seed {seed}: {share(pooled(seed=seed, kinds=('clean',)))} / {share(pooled(seed=seed))}")
    print(f"\n{elapsed:.0f} s for {sum(len(d) for d in sets.values()) * len(args.seeds)} TMX checks")


if __name__ == "__main__":
    main()
