"""unaligned: a sentence with no counterpart on the other side (a 1-0 or 0-1 bead)."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "unaligned"
SEVERE = True
SCOPE = "lone"
MEANING = "a sentence with no counterpart on the other side (a 1-0 or 0-1 bead)"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if unit.src_sentences:
        yield f"source sentence {', '.join(str(i + 1) for i in unit.src_sentences)} has no translation in the target"
    else:
        yield f"target sentence {', '.join(str(j + 1) for j in unit.tgt_sentences)} has no counterpart in the source"
