"""punctuation: one side is a question or an exclamation and the other is not."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts

NAME = "punctuation"
SEVERE = False
SCOPE = "text"
MEANING = "one side is a question or an exclamation and the other is not"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    src, tgt = unicodedata.normalize("NFKC", unit.src), unicodedata.normalize("NFKC", unit.tgt)
    for mark, what in (("?", "a question"), ("!", "an exclamation")):
        if (mark in src) != (mark in tgt):
            has, lacks = ("source", "target") if mark in src else ("target", "source")
            yield f"the {has} is {what}, the {lacks} is not"
            return
