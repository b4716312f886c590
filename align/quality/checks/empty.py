"""empty: one side of the unit (or both) has no text."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "empty"
SEVERE = True
SCOPE = "unit"
MEANING = "one side of the unit is empty"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if not unit.src.strip() and not unit.tgt.strip():
        yield "both sides are empty"
    elif not unit.src.strip() or not unit.tgt.strip():
        yield f"the {'source' if not unit.src.strip() else 'target'} is empty"
