"""low-margin: the target fits another unit's source better (the audit's evidence of a shift or a swap)."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "low-margin"
SEVERE = True
SCOPE = "unit"
MEANING = "the target belongs to another unit: shifted by one along with its neighbours, or swapped"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if unit.rival:
        yield unit.rival
