"""mislabelled-script: a side whose language tag names one script (sr-Latn, sr-Cyrl-RS) written in the other."""
from __future__ import annotations

from collections.abc import Iterator

from ...languages import script_subtag
from ...languages.sr_script import detect_script
from ..facts import DocumentContext, UnitFacts
from ..features import letters

NAME = "mislabelled-script"
SEVERE = True
SCOPE = "unit"
MEANING = ("a side is tagged with one script (sr-Latn) and written in the other: a CAT tool would serve it to the "
           "wrong project")
MIN_LETTERS = 8  # fewer letters do not show a script reliably
SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic"}


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    for side, tag, text in (("source", unit.src_tag, unit.src), ("target", unit.tgt_tag, unit.tgt)):
        tagged = (script_subtag(tag) or "").capitalize()
        found = detect_script(text)
        if tagged in SCRIPT_NAMES and found in SCRIPT_NAMES and found != tagged and letters(text) >= MIN_LETTERS:
            yield f"the {side} is tagged {tag} but written in {SCRIPT_NAMES[found]} script"
