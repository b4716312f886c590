"""names: a name or acronym that this document writes alike in both languages is missing on one side."""
from __future__ import annotations

from collections.abc import Iterator

from ..facts import DocumentContext, UnitFacts
from ..features import name_candidates, name_key, plain_latin, plain_words, same_name

NAME = "names"
SEVERE = False
SCOPE = "text"
MEANING = "a name or acronym on one side is not found on the other (Cyrillic read as Latin: НАТО = NATO)"


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    """Every name or acronym of one side that this document writes alike in both languages must be found on the
    other side (any word there, read as plain Latin, allowing declension: Vitale ~ Vitalea, NATO ~ НАТО-а)."""
    shared = document.profile.shared_names
    missing: dict[str, list[str]] = {"target": [], "source": []}
    for text, other, other_name in ((unit.src, unit.tgt, "target"), (unit.tgt, unit.src, "source")):
        acronyms, capitalised = name_candidates(text)
        for name in dict.fromkeys(acronyms + capitalised):
            if name_key(name) in shared and not any(same_name(plain_latin(name), word)
                                                    for word in plain_words(other)):
                missing[other_name].append(name)
    parts = [f"{', '.join(found[:4])} not in the {side}" for side, found in missing.items() if found]
    if parts:
        yield ", ".join(parts)
