"""length-ratio: the target is far longer or shorter than this document's translations usually are."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts
from ..features import length

NAME = "length-ratio"
SEVERE = True
SCOPE = "text"
MEANING = "the target is far longer or shorter than this document's translations usually are"
FACTOR = 2.2  # the unit's ratio is this many times off the document's median ratio ...
Z = 3.0  # ... and this many standard deviations off it (Gale-Church: deviation scaled by sqrt of the length)


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    src, tgt, profile = unit.src, unit.tgt, document.profile
    if not length(src) or not length(tgt):
        return
    factor = profile.length_factor(src, tgt)
    if abs(profile.deviation(src, tgt)) >= Z and max(factor, 1 / factor) >= FACTOR:
        if factor > 1:
            yield f"the target is {factor:.1f}× longer than usual in this document"
        else:
            yield f"the target is {1 / factor:.1f}× shorter than usual in this document"
