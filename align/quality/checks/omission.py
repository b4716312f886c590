"""omitted-sentence: one side of a unit holds a sentence the other side lacks ("Click Save. Any unsaved work will
be lost." against a target with the first sentence only).

Judged sentence by sentence on a side with two sentences or more, from two pieces of evidence the unit already
has: the sentence is hardly closer to the other side than unrelated text is (its cosine with the other side,
the sum of that side's sentence embeddings, placed on the document's scale from unrelated to translated), and
the other side's length fits this side without the sentence (the Gale-Church deviation, in this document's
spreads, comes that much closer to normal when the sentence is left out). Either alone fires on good units
too: a short sentence in a merge says little, and translations vary in length.

Measured (`.venv/bin/python bench/bench_check.py --omissions`, gold beads of the accuracy sets, default model):
a sentence dropped from one side of two merged gold one-to-one units is caught ~73% of the time, while ~3% of
gold multi-sentence beads are flagged (most of them loose literary translations or OCR noise that do leave
something out).
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
