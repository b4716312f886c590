"""inline-codes: inline markup (<ph>, <bpt>/<ept>, <it>, <ut>, <hi> of a TMX) that one side has and the other
has not."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from ..facts import DocumentContext, UnitFacts

NAME = "inline-codes"
SEVERE = True
SCOPE = "text"
MEANING = ("the two sides carry different inline codes (placeholders, tags): the target would lose or invent "
           "formatting or a variable")


def _described(codes: Sequence[str]) -> str:
    return ", ".join(f"{n} {name}" for name, n in sorted(Counter(codes).items())) or "none"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    if Counter(unit.src_codes) != Counter(unit.tgt_codes):
        yield f"inline codes differ: source {_described(unit.src_codes)}, target {_described(unit.tgt_codes)}"
