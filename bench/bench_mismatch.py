"""Does the whole-document check tell translations from texts that are not translations of each other, from 5
sentences a side up?

    .venv/bin/python bench/bench_mismatch.py              # the figures (well under a minute with a warm cache)
    .venv/bin/python bench/bench_mismatch.py --choose     # + the threshold the development windows choose
    .venv/bin/python bench/bench_mismatch.py --previous   # + the statistic it replaced, side by side (minutes)

The statistic is align.quality.document.in_order_gain (how much better the two sides' sentences pair up in their
own order than shuffled, per sentence of the shorter side, in standard deviations of the document's own
similarities); a document is suspect below TRANSLATION_MIN_GAIN. Every sentence is embedded with the real default
model (align.embed.load_encoder, behind the embedding cache). Three groups:

1. Short pairs cut from the gold-aligned documents of the accuracy sets (bench_accuracy.benchmark_sets(); the
   interview in its Latin edition only, the Cyrillic one giving the model the same text): each document is tiled
   with windows whose smaller side has exactly 5, 8, 12, 20 or 30 sentences (the larger at most 1.5 times as many
   plus one), cut on gold bead boundaries, so a window's two sides are translations of each other. Unrelated
   pairs of similar length and topic: a window's source against the target of the window half the document away
   (at least one window between them), and against the target of the same-numbered window of the next document
   of the same language pair. Development part: Text+Berg dev and MAC dev (where --choose picks the threshold:
   the one leaving the most room to both targets, at most 5% of translations and at least 95% of unrelated pairs
   suspect, at every size); held out: Text+Berg test, ParIce, the blind English-Serbian documents and the
   interview.
2. Notices written for this bench (bench/data/notices: six municipal notices of 5-6 sentences, English with
   Serbian in Latin or Cyrillic, all on related topics): each English one against its translation and against
   the five other Serbian ones, through the whole pipeline (read, split, embed, align, document verdict).
3. Whole documents (the figures this check was first measured with): every document of the accuracy sets
   against its translation (the interview in both editions), and mismatches made from the same sets: each document's source against the target of a neighbouring document (up to two places away in
   its set), the interview against each blind document both ways, and the first half of each blind document's
   source against the second half of its target.

--previous adds the statistic this check used before (the z of the aligner's 1-1 pairs against random pairs,
judged from 12 one-to-one pairs up; shorter documents were not judged, so called translations): it aligns every
pair, whole documents included, which takes minutes.
"""
from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_accuracy import benchmark_sets  # noqa: E402

from align import aligner  # noqa: E402
from align.embed import Encoder, encode_pair, load_encoder, model_texts  # noqa: E402
from align.evaluate import BeadPair  # noqa: E402
from align.pipeline import align_files  # noqa: E402
from align.quality import document  # noqa: E402

NOTICES = REPO / "bench" / "data" / "notices"
SIZES = (5, 8, 12, 20, 30)
DEVELOPMENT = {"Text+Berg dev (de-fr)", "MAC dev (zh-en)"}
HELD_OUT = {"Text+Berg test (de-fr)", "ParIce (en-is)", "EN-SR blind (en-sr)", "interview en-sr-Latn"}
WHOLE_ONLY = {"interview en-sr-Cyrl"}  # the model is given the same text as from the Latin edition: no windows
TARGET_TRUE_SUSPECT, TARGET_UNRELATED_SUSPECT = 0.05, 0.95
# the statistic this check used before, for --previous
PREVIOUS_MIN_Z, PREVIOUS_MIN_PAIRS = 1.5, 12


@dataclass
class Text:
    """One document's sentences as the model and the aligner get them, with their vectors."""

    texts: list[str]
    vectors: np.ndarray

    def __getitem__(self, rows: slice) -> Text:
        return Text(self.texts[rows], self.vectors[rows])


@dataclass
class Pair:
    src: Text
    tgt: Text
    translated: bool
    size: int = 0  # sentences on the smaller side of a window; 0 for a whole document
    gain: float = math.nan
    previous: float | None = None  # the previous z; None where it did not judge

    def judge(self, previous: bool) -> Pair:
        self.gain = document.in_order_gain(self.src.vectors, self.tgt.vectors)
        if previous:
            self.previous = previous_z(self.src, self.tgt)
        return self

    @property
    def suspect(self) -> bool:
        return self.gain < document.TRANSLATION_MIN_GAIN

    @property
    def previously_suspect(self) -> bool:
        return self.previous is not None and self.previous < PREVIOUS_MIN_Z


@dataclass
class Source:
    """A gold-aligned document of a benchmark set."""

    set_name: str
    languages: tuple[str, str]
    src: Text
    tgt: Text
    gold: list[BeadPair]


def previous_z(src: Text, tgt: Text) -> float | None:
    """The statistic this check used before: how many standard deviations the aligner's 1-1 pairs are more similar
    than any source sentence with any target sentence; None below 12 pairs (not judged)."""
    beads = aligner.align(src.texts, tgt.texts, src.vectors, tgt.vectors)
    pairs = [(b.src[0], b.tgt[0]) for b in beads if len(b.src) == len(b.tgt) == 1]
    if len(pairs) < PREVIOUS_MIN_PAIRS:
        return None
    cosines = src.vectors.astype(np.float64) @ tgt.vectors.astype(np.float64).T
    paired = np.mean([cosines[i, j] for i, j in pairs])
    return float((paired - cosines.mean()) / max(cosines.std(), 1e-12))


# ---------------------------------------------------------------------------------------------- the pairs

def embedded(texts: list[str], lang: str, other: list[str], other_lang: str, encoder: Encoder) -> tuple[Text, Text]:
    texts, other = model_texts(texts, lang), model_texts(other, other_lang)
    vectors, other_vectors = encode_pair(encoder, texts, other)
    return Text(texts, vectors), Text(other, other_vectors)


def sources(encoder: Encoder) -> list[Source]:
    out = []
    for set_name, bench_set in benchmark_sets().items():
        if set_name not in DEVELOPMENT | HELD_OUT | WHOLE_ONLY:
            continue
        for _, src, tgt, gold in bench_set.documents:
            languages = (bench_set.src_lang, bench_set.tgt_lang)
            out.append(Source(set_name, languages, *embedded(src, languages[0], tgt, languages[1], encoder), gold))
    return out


def closed_cuts(gold: Sequence[BeadPair], n: int, m: int) -> np.ndarray:
    """(i, j) such that the gold beads before source sentence i and target sentence j are exactly those with no
    sentence after them: a window between two such cuts is a translation, whole beads only."""
    closed = np.ones((n + 1, m + 1), dtype=bool)
    i, j = np.arange(n + 1)[:, None], np.arange(m + 1)[None, :]
    for src, tgt in gold:
        src, tgt = [k for k in src if k < n], [k for k in tgt if k < m]
        before = (max(src, default=-1) < i) & (max(tgt, default=-1) < j)
        after = (min(src, default=n) >= i) & (min(tgt, default=m) >= j)
        closed &= before | after
    return np.argwhere(closed)


def windows(source: Source, size: int) -> list[tuple[int, int, int, int]]:
    """Consecutive windows (i0, i1, j0, j1) tiling the document, the smaller side of each exactly `size`
    sentences and the larger at most 1.5 times as many plus one."""
    cuts = closed_cuts(source.gold, len(source.src.texts), len(source.tgt.texts))
    out, start = [], (0, 0)
    for i0, j0 in cuts:
        if i0 < start[0] or j0 < start[1]:
            continue
        later = cuts[(cuts[:, 0] > i0) & (cuts[:, 1] > j0)]
        smaller = np.minimum(later[:, 0] - i0, later[:, 1] - j0)
        larger = np.maximum(later[:, 0] - i0, later[:, 1] - j0)
        fitting = later[(smaller == size) & (larger <= 1.5 * size + 1)]
        if len(fitting):
            i1, j1 = fitting[np.argmin(fitting.sum(axis=1))]
            out.append((int(i0), int(i1), int(j0), int(j1)))
            start = (int(i1), int(j1))
    return out


def short_pairs(all_sources: list[Source], previous: bool) -> dict[str, list[Pair]]:
    """The development and held-out short pairs."""
    parts: dict[str, list[Pair]] = {"development": [], "held out": []}
    for part, names in (("development", DEVELOPMENT), ("held out", HELD_OUT)):
        chosen = [s for s in all_sources if s.set_name in names]
        for size in SIZES:
            tiles = [windows(s, size) for s in chosen]
            for d, (source, tiling) in enumerate(zip(chosen, tiles)):
                same_pair = [k for k, s in enumerate(chosen) if s.languages == source.languages and k != d]
                neighbour = next((k for k in same_pair if k > d), same_pair[0] if same_pair else None)
                for w, (i0, i1, j0, j1) in enumerate(tiling):
                    src = source.src[i0:i1]
                    parts[part].append(Pair(src, source.tgt[j0:j1], True, size).judge(previous))
                    if len(tiling) >= 4:
                        far = tiling[(w + len(tiling) // 2) % len(tiling)]
                        parts[part].append(Pair(src, source.tgt[far[2]:far[3]], False, size).judge(previous))
                    if neighbour is not None and tiles[neighbour]:
                        other = tiles[neighbour][w % len(tiles[neighbour])]
                        parts[part].append(Pair(src, chosen[neighbour].tgt[other[2]:other[3]], False, size)
                                           .judge(previous))
    return parts


def notice_pairs(encoder: Encoder) -> tuple[list[Pair], list[tuple[str, str, bool, list[str]]]]:
    """Every English notice against every Serbian one, through the whole pipeline: the pairs (for the statistic)
    and (English file, Serbian file, translated?, the alignment's warnings)."""
    english = sorted(NOTICES.glob("*.en.txt"))
    serbian = {path.name.split(".")[0]: path for path in NOTICES.glob("*.sr-*.txt")}
    pairs, runs = [], []
    for en in english:
        for name, sr in sorted(serbian.items()):
            alignment = align_files(en, sr, "en", "sr", encoder=encoder)
            translated = en.name.split(".")[0] == name
            src = Text(alignment.src.texts, alignment.src_embeddings)
            tgt = Text(alignment.tgt.texts, alignment.tgt_embeddings)
            size = min(len(src.texts), len(tgt.texts))
            pairs.append(Pair(src, tgt, translated, size).judge(False))
            runs.append((en.name, sr.name, translated, alignment.warnings))
    return pairs, runs


def whole_documents(all_sources: list[Source], previous: bool) -> list[Pair]:
    pairs = [Pair(s.src, s.tgt, True) for s in all_sources]
    by_set: dict[str, list[Source]] = {}
    for s in all_sources:
        by_set.setdefault(s.set_name, []).append(s)
    for members in by_set.values():
        pairs += [Pair(members[a].src, members[b].tgt, False)
                  for a, b in itertools.permutations(range(len(members)), 2) if abs(a - b) <= 2]
    interview = by_set["interview en-sr-Latn"][0]
    for blind in by_set["EN-SR blind (en-sr)"]:
        n, m = len(blind.src.texts), len(blind.tgt.texts)
        pairs += [Pair(interview.src, blind.tgt, False), Pair(blind.src, interview.tgt, False),
                  Pair(blind.src[:n // 2], blind.tgt[m // 2:], False)]
    return [pair.judge(previous) for pair in pairs]


# ---------------------------------------------------------------------------------------------- figures

def share(values: Sequence[bool]) -> float:
    return 100.0 * sum(values) / len(values) if values else math.nan


def print_table(title: str, groups: dict[str, list[Pair]], previous: bool) -> None:
    print(f"\n{title}")
    print(f"  {'sentences':>10s} {'true':>5s} {'unrel':>5s}   {'true suspect':>12s} {'unrelated suspect':>17s}   "
          f"{'gain: true 5%':>13s} {'unrelated 95%':>13s}   {'true min':>8s} {'unrel max':>9s}"
          + (f"   {'previous: true / unrelated suspect':>35s}" if previous else ""))
    for label, pairs in groups.items():
        true = [p for p in pairs if p.translated]
        unrelated = [p for p in pairs if not p.translated]
        if not true or not unrelated:
            continue
        true_gain = np.array([p.gain for p in true])
        unrelated_gain = np.array([p.gain for p in unrelated])
        line = (f"  {label:>10s} {len(true):5d} {len(unrelated):5d}   {share([p.suspect for p in true]):11.1f}% "
                f"{share([p.suspect for p in unrelated]):16.1f}%   {np.percentile(true_gain, 5):13.2f} "
                f"{np.percentile(unrelated_gain, 95):13.2f}   {true_gain.min():8.2f} {unrelated_gain.max():9.2f}")
        if previous:
            line += (f"   {share([p.previously_suspect for p in true]):16.1f}% / "
                     f"{share([p.previously_suspect for p in unrelated]):5.1f}%")
        print(line)


def by_size(pairs: list[Pair]) -> dict[str, list[Pair]]:
    groups = {str(size): [p for p in pairs if p.size == size] for size in SIZES}
    groups["all"] = pairs
    return groups


def choose_threshold(pairs: list[Pair]) -> tuple[float, float]:
    """The threshold (on a 0.01 grid) leaving the most room to both targets at every size, and that room."""
    def room(threshold: float) -> float:
        worst = math.inf
        for size in SIZES:
            true = [p.gain < threshold for p in pairs if p.size == size and p.translated]
            unrelated = [p.gain < threshold for p in pairs if p.size == size and not p.translated]
            worst = min(worst, TARGET_TRUE_SUSPECT - np.mean(true), np.mean(unrelated) - TARGET_UNRELATED_SUSPECT)
        return worst
    grid = np.round(np.arange(0.0, 1.0, 0.01), 2)
    best = max(grid, key=room)
    return float(best), room(best)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--choose", action="store_true", help="print the threshold the development windows choose")
    parser.add_argument("--previous", action="store_true", help="add the statistic this check used before (slow)")
    args = parser.parse_args()
    started = time.perf_counter()
    encoder = load_encoder()
    all_sources = sources(encoder)
    parts = short_pairs(all_sources, args.previous)
    notices, runs = notice_pairs(encoder)
    whole = whole_documents(all_sources, args.previous)
    threshold = document.TRANSLATION_MIN_GAIN
    print(f"in_order_gain: a document is suspect below {threshold} (align.quality.document.TRANSLATION_MIN_GAIN)")
    if args.choose:
        chosen, room = choose_threshold(parts["development"])
        print(f"chosen on the development windows: {chosen} (room to the targets at the worst size: "
              f"{100 * room:.1f} points)")
    print_table("Short pairs, held out (Text+Berg test, ParIce, blind EN-SR, interview), by sentences on the "
                "smaller side:", by_size(parts["held out"]), args.previous)
    print_table("Short pairs, development (Text+Berg dev, MAC dev):", by_size(parts["development"]), args.previous)
    print_table("Notices written for this bench (5-6 sentences, English against Serbian, whole pipeline):",
                {"5-6": notices}, False)
    wrong = [(en, sr) for en, sr, translated, warnings in runs if translated == bool(warnings)]
    print(f"  pipeline verdicts: {len(runs) - len(wrong)} of {len(runs)} right"
          + (f"; wrong: {', '.join(f'{en} + {sr}' for en, sr in wrong)}" if wrong else ""))
    print_table("Whole documents (translations; mismatched pairs of the same sets):", {"whole": whole},
                args.previous)
    for translated, label in ((True, "translations"), (False, "not translated")):
        gains = [p.gain for p in whole if p.translated == translated]
        errors = sum(p.suspect == translated for p in whole if p.translated == translated)
        print(f"  {label:14s} {len(gains):3d} gain {min(gains):.2f} .. {max(gains):.2f}  "
              f"{'flagged' if translated else 'missed'}: {errors}")
        if args.previous:
            zs = [p.previous for p in whole if p.translated == translated and p.previous is not None]
            print(f"  {'':14s} previous z over the {len(zs)} with 12 one-to-one pairs or more: "
                  f"{min(zs):.2f} .. {max(zs):.2f}")
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
