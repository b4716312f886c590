"""truncated: one side stops mid-sentence and is much shorter than the other side implies."""
from __future__ import annotations

import math
from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts
from ..features import ends_sentence, length

NAME = "truncated"
SEVERE = True
SCOPE = "text"
MEANING = "one side stops mid-sentence and is much shorter than the other side implies"
SHARE = 0.6  # the side without a sentence end is at most this share of the length the other side implies
MIN_EXPECTED = 8  # characters the cut side should have had: shorter texts vary too much to tell


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    src, tgt, profile = unit.src, unit.tgt, document.profile
    factor = profile.length_factor(src, tgt)
    if (ends_sentence(src) and not ends_sentence(tgt) and factor <= SHARE
            and length(src) * math.exp(profile.log_ratio) >= MIN_EXPECTED):
        yield f"the target stops mid-sentence at {factor:.0%} of the expected length"
    elif (ends_sentence(tgt) and not ends_sentence(src) and 1 / factor <= SHARE
            and length(tgt) / math.exp(profile.log_ratio) >= MIN_EXPECTED):
        yield f"the source stops mid-sentence at {1 / factor:.0%} of the length the target implies"
