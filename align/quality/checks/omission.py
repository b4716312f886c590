"""omitted-sentence: one side of a unit holds a sentence the other side lacks ("Click Save. Any unsaved work will
be lost." against a target with the first sentence only).

Judged sentence by sentence on a side with two sentences or more, from evidence the unit already has: the
sentence is hardly closer to the other side than unrelated text is (its cosine with the other side -- the sum of
that side's sentence embeddings -- placed on the document's scale from unrelated to translated: SimilarityScale),
the other side is much shorter than this side implies (length ratio and Gale-Church deviation, with this
document's own ratio and spread: DocumentProfile), and this side without the sentence fits the other side's
length better. Either piece of evidence alone fires on good units: a short sentence in a merge says little, and
translations vary in length. `align pair` gives the check the sentences of its beads; `align check` splits the
units of a TMX (align.segment) and embeds the sentences of those with several.

Chosen on the gold beads of the accuracy sets (Text+Berg, MAC, ParIce, the blind EN-SR documents, the interview)
and measured with `.venv/bin/python bench/bench_check.py`: gold beads of two sentences or more on a side flagged
3.9% (many of them loose translations that do leave something out: "Come on, 6. I've been waiting all night." ->
"Ég þarf að fá sexu."), two neighbouring gold units merged whole 0-0.9%; a sentence left out of two merged units
flagged 62% in `align pair`'s beads and 57% (not ok) in `align check`'s TMX files (a short sentence, or one the
splitter does not separate, cannot be told).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from ..facts import DocumentContext, Sentences, UnitFacts

NAME = "omitted-sentence"
SEVERE = True
SCOPE = "text"
MEANING = "one side holds a sentence the other side lacks (a sentence left out of the translation, or added)"
MAX_POSITION = 0.4  # the sentence is less than 40% of the way from unrelated to translated text, ...
MAX_SHARE = math.exp(-0.3)  # ... the other side is at most 74% of the length this side implies ...
MIN_DEVIATION = 1.5  # ... and that many of this document's spreads short (Gale-Church) ...
# ... and this side without the sentence fits the other side's length better
QUOTED = 60  # characters of the sentence quoted in the reason


def _normalised(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def omitted(own: Sentences, other: Sentences, fit: Callable[[str], tuple[float, float]],
            document: DocumentContext) -> Iterator[int]:
    """The sentences of `own` that the other side lacks. `fit(text)`: how the other side's length fits `own` written
    as `text`: (its length over the length `text` implies, its Gale-Church deviation from it in spreads)."""
    scale = document.scale
    if scale is None or len(own.texts) < 2:
        return
    other_side = _normalised(other.vectors.sum(axis=0))
    share, deviation = fit(" ".join(own.texts))
    if share > MAX_SHARE or deviation > -MIN_DEVIATION:
        return
    for k, vector in enumerate(own.vectors):
        share_without, _ = fit(" ".join(text for n, text in enumerate(own.texts) if n != k))
        if (scale.position(float(vector @ other_side)) < MAX_POSITION
                and abs(math.log(share_without)) < abs(math.log(share))):
            yield k


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if unit.src_split is None or unit.tgt_split is None:
        return
    profile = document.profile
    sides = (("source", "target", unit.src_split, unit.tgt_split, unit.src_sentences,
              lambda text: (profile.length_factor(text, unit.tgt), profile.deviation(text, unit.tgt))),
             ("target", "source", unit.tgt_split, unit.src_split, unit.tgt_sentences,
              lambda text: (1 / profile.length_factor(unit.src, text), -profile.deviation(unit.src, text))))
    for side, other_name, own, other, numbers, fit in sides:
        for k in omitted(own, other, fit, document):
            text = own.texts[k]
            quoted = text if len(text) <= QUOTED else text[:QUOTED - 1].rstrip() + "…"
            where = f"{side} sentence {numbers[k] + 1}" if len(numbers) == len(own.texts) else f"the {side} sentence"
            yield f"{where} “{quoted}” has no counterpart in the {other_name}"
