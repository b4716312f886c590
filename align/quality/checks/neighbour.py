"""unaligned-neighbour: a unit next to an unaligned sentence, which may belong to it."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "unaligned-neighbour"
SEVERE = False
SCOPE = "unit"
MEANING = "next to an unaligned sentence, which may belong to this unit"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if unit.beside_unaligned:
        yield f"next to unaligned {' and '.join(unit.beside_unaligned)}, which may belong here"
