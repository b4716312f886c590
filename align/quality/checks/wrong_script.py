"""wrong-script: a target in the other script than its document, or one mixing Serbian words of both scripts
(half converted: "Министар је одговорио на sva pitanja.")."""
from __future__ import annotations

from collections.abc import Iterator

from ...languages import is_serbian
from ...languages.sr_script import detect_script, serbian_words_by_script
from ..facts import DocumentContext, UnitFacts
from ..features import letters
from .mislabelled import MIN_LETTERS, SCRIPT_NAMES

NAME = "wrong-script"
SEVERE = False
SCOPE = "text"
MEANING = "the target is written in another script than the rest of the document, or mixes both"
MIXED_SCRIPT_MIN_WORDS = 2  # Serbian words of each script in one target: fewer may be a quoted term


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    profile = document.profile
    if is_serbian(profile.tgt_lang):
        words = serbian_words_by_script(unit.tgt)
        if min(words.values()) >= MIXED_SCRIPT_MIN_WORDS:
            yield (f"the target mixes scripts: {words['Cyrl']} Serbian words in Cyrillic, {words['Latn']} in "
                   "Latin")
            return
    script = detect_script(unit.tgt)
    if (profile.tgt_script and script in SCRIPT_NAMES and script != profile.tgt_script
            and letters(unit.tgt) >= MIN_LETTERS):
        yield (f"the target is in {SCRIPT_NAMES[script]} script; the document is in "
               f"{SCRIPT_NAMES[profile.tgt_script]}")
