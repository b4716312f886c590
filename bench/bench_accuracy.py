"""Alignment accuracy on the public test sets and the interview gold, beside the published figures.

    .venv/bin/python bench/bench_accuracy.py                     # the table
    .venv/bin/python bench/bench_accuracy.py --calibration       # + accuracy per confidence bin, per set
    .venv/bin/python bench/bench_accuracy.py --scripts           # + Serbian embedded in Latin vs in Cyrillic
    .venv/bin/python bench/bench_accuracy.py --fit-confidence    # refit align.aligner.CONFIDENCE on textberg_dev
    .venv/bin/python bench/bench_accuracy.py --tune              # re-run the search for align.aligner.Settings

Sets (../shared/benchmarks, see its README): Text+Berg test (de-fr, 7 docs), Text+Berg dev (de-fr), MAC dev
(zh-en), ParIce (en-is), five English-Serbian documents written blind (bench/data/ensr) and corpora/interview
(en against sr-Latn and sr-Cyrl). Every document is aligned with the default model and max_align 4, exactly as
`align pair --presplit` does; strict/lax P/R/F1 as defined in the benchmarks README (align.evaluate). The first run encodes every sentence (a few minutes on 2 cores); the
embedding cache makes later runs fast.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from align import aligner
from align.embed import Encoder, load_encoder
from align.evaluate import BeadPair, Evaluation, gold_documents, read_beads
from align.pipeline import embed_and_align

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO.parent / "shared" / "benchmarks"
INTERVIEW = REPO / "corpora" / "interview"
ENSR_DIR = REPO / "bench" / "data" / "ensr"  # English-Serbian documents written blind

# Published strict / lax F1 on the Text+Berg test set (../shared/benchmarks/README.md).
PEERS = [
    ("Bertalign (LaBSE, max_align 8, margin)", 0.940, 0.992),
    ("Bertalign (LaBSE, defaults)", 0.936, 0.989),
    ("SentAlign (LaBSE)", 0.932, 0.964),
    ("Bertalign (multilingual-e5-large)", 0.919, 0.988),
    ("Vecalign (LASER)", 0.902, 0.986),
    ("Gale-Church (length only)", 0.686, 0.799),
]

Document = tuple[str, list[str], list[str], list[BeadPair]]


@dataclass
class BenchSet:
    src_lang: str
    tgt_lang: str
    documents: list[Document]


def lines(path: Path, numbered: bool = False) -> list[str]:
    """One sentence per line; ParIce prefixes each line with its number and a tab."""
    out = path.read_text(encoding="utf-8").splitlines()
    return [re.sub(r"^\d+\t", "", line) for line in out] if numbered else out


def benchmark_sets() -> dict[str, BenchSet]:
    def folder(name: str, src: str, tgt: str, numbered: bool = False) -> list[Document]:
        root = BENCHMARKS / name
        return [(doc.name, lines(root / src / doc.name, numbered), lines(root / tgt / doc.name, numbered),
                 read_beads(doc)) for doc in sorted((root / "gold").iterdir())]

    sets = {
        "Text+Berg test (de-fr)": BenchSet("de", "fr", folder("textberg", "de", "fr")),
        "Text+Berg dev (de-fr)": BenchSet("de", "fr", [("dev", lines(BENCHMARKS / "textberg_dev/dev.de"),
                                                         lines(BENCHMARKS / "textberg_dev/dev.fr"),
                                                         read_beads(BENCHMARKS / "textberg_dev/dev.defr"))]),
        "MAC dev (zh-en)": BenchSet("zh", "en", folder("mac_dev", "zh", "en")),
        "ParIce (en-is)": BenchSet("en", "is", folder("parice", "eng", "isl", numbered=True)),
        "EN-SR blind (en-sr)": BenchSet("en", "sr", [
            (name, lines(ENSR_DIR / f"{name}.en.sent"), lines(ENSR_DIR / f"{name}.{script}.sent"),
             read_beads(ENSR_DIR / f"{name}.beads")) for name, script in gold_documents(ENSR_DIR)]),
    }
    if (INTERVIEW / "gold.beads").exists():
        gold = read_beads(INTERVIEW / "gold.beads")
        for script in ("sr-Latn", "sr-Cyrl"):
            if (INTERVIEW / f"{script}.sent").exists():
                sets[f"interview en-{script}"] = BenchSet("en", "sr", [
                    (script, lines(INTERVIEW / "en.sent"), lines(INTERVIEW / f"{script}.sent"), gold)])
    return sets


def align_set(bench_set: BenchSet, encoder: Encoder) -> list[tuple[list, list[BeadPair]]]:
    return [(embed_and_align(src, tgt, bench_set.src_lang, bench_set.tgt_lang, encoder)[0], gold)
            for _, src, tgt, gold in bench_set.documents]


def print_script_margins(sets: dict[str, BenchSet], encoder: Encoder) -> None:
    """How well the model tells Serbian translations apart in each script: for every gold 1-1 pair of the
    English-Serbian documents, the cosine of the pair minus the best cosine of the English sentence with another
    Serbian sentence of the document (the margin), and whether the pair wins (P@1)."""
    from align.languages.sr_script import to_cyrillic, to_latin

    documents = sets["EN-SR blind (en-sr)"].documents + sets["interview en-sr-Latn"].documents
    print("\nSerbian embedded in each script (gold 1-1 pairs of the blind documents and the interview):")
    for script, convert in (("Latin", to_latin), ("Cyrillic", to_cyrillic)):
        margins = []
        for _, src, tgt, gold in documents:
            similarity = encoder.encode(src) @ encoder.encode([convert(t) for t in tgt]).T
            for (i,), (j,) in ((s, t) for s, t in gold if len(s) == len(t) == 1):
                margins.append(similarity[i, j] - np.delete(similarity[i], j).max())
        margins = np.array(margins)
        print(f"  {script:9s} pairs {len(margins)}  P@1 {np.mean(margins > 0):.3f}  mean margin {margins.mean():.4f}"
              f"  lowest {margins.min():+.4f}")


def print_table(results: dict[str, Evaluation], seconds: dict[str, float]) -> None:
    print(f"{'set':28s} {'strict P':>8s} {'R':>6s} {'F1':>6s}   {'lax P':>6s} {'R':>6s} {'F1':>6s}  {'time':>6s}")
    for name, evaluation in results.items():
        s, x = evaluation.strict, evaluation.lax
        print(f"{name:28s} {s.precision:8.3f} {s.recall:6.3f} {s.f1:6.3f}   {x.precision:6.3f} {x.recall:6.3f} "
              f"{x.f1:6.3f}  {seconds[name]:5.1f}s")
    print("\nPublished on Text+Berg test (strict F1 / lax F1):")
    for name, strict, lax in PEERS:
        print(f"  {name:42s} {strict:.3f} / {lax:.3f}")


def unit_beads(aligned) -> list[tuple[bool, float]]:
    """(strictly correct?, confidence) for every bead with two sides, over all documents of a set."""
    out = []
    for beads, gold in aligned:
        gold_set = set(gold)
        out += [((b.src, b.tgt) in gold_set, b.score) for b in beads if b.src and b.tgt]
    return out


def print_calibration(name: str, aligned) -> None:
    pairs = unit_beads(aligned)
    correct = np.array([c for c, _ in pairs], dtype=float)
    score = np.array([s for _, s in pairs])
    print(f"\n{name}: accuracy per confidence bin (beads, mean confidence, share strictly correct)")
    edges = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
    for lo, hi in zip(edges, edges[1:]):
        inside = (score >= lo) & (score < hi)
        if inside.any():
            print(f"  [{lo:.2f}, {min(hi, 1):.2f}) {inside.sum():5d}  {score[inside].mean():.3f}  "
                  f"{correct[inside].mean():.3f}")
    brier = float(np.mean((score - correct) ** 2))
    print(f"  Brier score {brier:.4f} (always guessing the base rate: {correct.var():.4f})")


def fit_confidence(documents: list[Document], encoder: Encoder) -> None:
    """Fit the logistic confidence on one set and print the constants for align.aligner.CONFIDENCE."""
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for _, src, tgt, gold in documents:
        gold_set = set(gold)
        vectors = encoder.encode(src + tgt)
        for bead, features in aligner.described_alignment(src, tgt, vectors[:len(src)], vectors[len(src):]):
            rows.append(features)
            labels.append((bead.src, bead.tgt) in gold_set)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(rows), np.array(labels))
    print(f"fitted on {len(rows)} beads ({sum(labels)} right)")
    print(f"CONFIDENCE = ConfidenceModel(intercept={model.intercept_[0]:.4f}, "
          f"weights=({', '.join(f'{w:.4f}' for w in model.coef_[0])}))")


# The grid of the coordinate search that chose align.aligner.Settings (from the previous defaults).
TUNING_GRID = {
    "margin_weight": [1.0, 1.1, 1.2, 1.25, 1.3, 1.4, 1.5],
    "skip": [-0.5, -0.75, -1.0, -1.25, -1.5, -2.0],
    "merge": [-0.5, -0.75, -1.0, -1.25, -1.5],
    "adjacent_weight": [0.8, 0.9, 1.0, 1.1],
    "length_weight": [0.0, 0.2, 0.5, 1.0, 2.0],
    "number_weight": [0.0, 0.5, 1.0, 2.0],
    "name_weight": [0.0, 0.5, 1.0, 2.0],
    "question_weight": [0.0, 0.25, 0.5, 1.0],
}


def tune(sets: list[list[Document]], encoder: Encoder, rounds: int = 2) -> None:
    """Coordinate search for the Settings with the best mean strict F1 over the given (development) sets."""
    from dataclasses import replace

    vectors = [[encoder.encode(src + tgt) for _, src, tgt, _ in documents] for documents in sets]

    def objective(settings: aligner.Settings) -> float:
        scores = []
        for documents, document_vectors in zip(sets, vectors):
            evaluation = Evaluation()
            for (_, src, tgt, gold), v in zip(documents, document_vectors):
                beads = aligner.align(src, tgt, v[:len(src)], v[len(src):], settings=settings)
                evaluation.add([(b.src, b.tgt) for b in beads], gold)
            scores.append(evaluation.strict.f1)
        return sum(scores) / len(scores)

    best_settings = aligner.Settings()
    best = objective(best_settings)
    print(f"current settings: mean strict F1 {best:.4f}")
    for _ in range(rounds):
        for name, values in TUNING_GRID.items():
            for value in values:
                candidate = replace(best_settings, **{name: value})
                if candidate != best_settings and (score := objective(candidate)) > best + 1e-4:
                    best, best_settings = score, candidate
                    print(f"  {name} = {value}: {best:.4f}", flush=True)
    print(f"best: {best_settings} (mean strict F1 {best:.4f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibration", action="store_true", help="print accuracy per confidence bin")
    parser.add_argument("--fit-confidence", action="store_true", help="refit the confidence on textberg_dev")
    parser.add_argument("--tune", action="store_true", help="search Settings on Text+Berg dev and MAC dev")
    parser.add_argument("--only", help="run only the sets whose name contains this")
    parser.add_argument("--scripts", action="store_true",
                        help="+ how well the model separates Serbian translations in Latin and in Cyrillic")
    parser.add_argument("--backend", help="the encoder backend (default: align's default; see align.embed.ENCODERS)")
    args = parser.parse_args()
    encoder = load_encoder(backend=args.backend)
    sets = benchmark_sets()
    if args.fit_confidence:
        fit_confidence(sets["Text+Berg dev (de-fr)"].documents, encoder)
        return 0
    if args.tune:
        tune([sets["Text+Berg dev (de-fr)"].documents, sets["MAC dev (zh-en)"].documents], encoder)
        return 0
    results, seconds, aligned_sets = {}, {}, {}
    for name, bench_set in sets.items():
        if args.only and args.only.lower() not in name.lower():
            continue
        started = time.perf_counter()
        aligned = align_set(bench_set, encoder)
        seconds[name] = time.perf_counter() - started
        evaluation = Evaluation()
        for beads, gold in aligned:
            evaluation.add([(b.src, b.tgt) for b in beads], gold)
        results[name], aligned_sets[name] = evaluation, aligned
    print_table(results, seconds)
    if args.calibration:
        for name, aligned in aligned_sets.items():
            print_calibration(name, aligned)
    if args.scripts:
        print_script_margins(sets, encoder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
