"""low-confidence: the calibrated confidence (the aligner's, or the audit's learnt from the file) is below
MIN_CONFIDENCE."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "low-confidence"
SEVERE = True
SCOPE = "unit"
MEANING = "the embedding evidence says the two sides are probably not translations of each other"
MIN_CONFIDENCE = 0.5


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if unit.confidence is not None and unit.confidence < MIN_CONFIDENCE:
        yield (f"confidence {unit.confidence:.2f} (similarity {unit.similarity:.2f}, margin "
               f"{unit.margin:+.2f})")
