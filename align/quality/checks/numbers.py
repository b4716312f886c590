"""numbers: a number on one side is missing on the other (each number read in every way it can be written:
separators, decimal commas, times of day in 12 and 24 hours, Roman numerals; align.quality.features)."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts
from ..features import is_small, unmatched_numbers

NAME = "numbers"
SEVERE = False
SCOPE = "text"
MEANING = ("a number on one side is missing on the other (1,400 = 1.400 = 1 400; 2,5 = 2.5; 15th = 15.; "
           "6 p.m. = 18:00 = 18h; 10:15 = 10.15; XXI = 21)")


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    src_missing, tgt_missing = unmatched_numbers(unit.src, unit.tgt)
    # a small whole number is often spelled out on the other side; it only counts when both sides disagree
    if not (src_missing and tgt_missing):
        src_missing = [n for n in src_missing if not is_small(n[1])]
        tgt_missing = [n for n in tgt_missing if not is_small(n[1])]
    parts = []
    for missing, side in ((src_missing, "target"), (tgt_missing, "source")):
        if missing:
            parts.append(f"{', '.join(list(dict.fromkeys(written for written, _ in missing))[:4])} not in the {side}")
    if parts:
        yield ", ".join(parts)
