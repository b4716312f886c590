"""Does the whole-document check tell translations from files that are not translations of each other?

    .venv/bin/python bench/bench_mismatch.py

For every document of the accuracy sets (bench_accuracy.py: Text+Berg test and dev, MAC dev, ParIce, the blind
English-Serbian documents, the interview) the statistic behind the `mismatched-documents` flag
(align.quality.document.translation_z: how many standard deviations the aligned 1-1 pairs are more similar than random
pairs of the two documents' sentences) for the real translation, and for mismatches made from the same sets:
each document's source against the target of a neighbouring document (up to two places away in the set), the
interview against each blind document both ways, and the first half of each blind document's source against
the second half of its target. Prints the range of each group and the errors at the threshold
(align.document.TRANSLATION_MIN_Z).
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_accuracy import benchmark_sets  # noqa: E402

from align.embed import Encoder, load_encoder  # noqa: E402
from align.pipeline import embed_and_align  # noqa: E402
from align.quality import document  # noqa: E402


def z_of(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, encoder: Encoder) -> float | None:
    beads, src_vectors, tgt_vectors = embed_and_align(src, tgt, src_lang, tgt_lang, encoder)
    pairs = [(b.src[0], b.tgt[0]) for b in beads if len(b.src) == len(b.tgt) == 1]
    if len(pairs) < document.TRANSLATION_MIN_PAIRS:
        return None
    return document.translation_z(src_vectors, tgt_vectors, pairs)


def main() -> int:
    encoder = load_encoder()
    sets = benchmark_sets()
    translations, mismatches = [], []
    for bench_set in sets.values():
        documents, langs = bench_set.documents, (bench_set.src_lang, bench_set.tgt_lang)
        translations += [z_of(src, tgt, *langs, encoder) for _, src, tgt, _ in documents]
        mismatches += [z_of(documents[a][1], documents[b][2], *langs, encoder)
                       for a, b in itertools.permutations(range(len(documents)), 2) if abs(a - b) <= 2]
    interview = sets["interview en-sr-Latn"].documents[0]
    for _, src, tgt, _ in sets["EN-SR blind (en-sr)"].documents:
        mismatches += [z_of(interview[1], tgt, "en", "sr", encoder), z_of(src, interview[2], "en", "sr", encoder)]
        mismatches.append(z_of(src[:len(src) // 2], tgt[len(tgt) // 2:], "en", "sr", encoder))
    translations = sorted(z for z in translations if z is not None)
    mismatches = sorted(z for z in mismatches if z is not None)
    threshold = document.TRANSLATION_MIN_Z
    print(f"translations   {len(translations):3d} documents  z {translations[0]:.2f} .. {translations[-1]:.2f}  "
          f"flagged (z < {threshold}): {sum(z < threshold for z in translations)}")
    print(f"not translated {len(mismatches):3d} pairs      z {mismatches[0]:.2f} .. {mismatches[-1]:.2f}  "
          f"missed (z >= {threshold}): {sum(z >= threshold for z in mismatches)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
