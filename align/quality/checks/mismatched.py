"""mismatched-documents: the whole document is suspect (align.quality.document says why); every unit carries it."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "mismatched-documents"
SEVERE = True
SCOPE = "unit"
MEANING = ("the whole document is suspect: the two files are not translations of each other, or their languages "
           "are swapped")


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    yield from document.problems
