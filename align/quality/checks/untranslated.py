"""untranslated: the target is a copy of the source, or reads as the source language (letter trigrams learnt from
the document itself)."""
from __future__ import annotations

from collections.abc import Iterator

from ...languages import primary_language
from ..facts import DocumentContext, UnitFacts
from ..features import common_words, normalised

NAME = "untranslated"
SEVERE = True
SCOPE = "text"
MEANING = "the target is a copy of the source, or written in the source language"
LANGUAGE_LLR = 0.4  # mean log-likelihood ratio per letter trigram, source language over target language
COPY_MIN_TRIGRAMS = 4  # a target identical to its source needs less to show its language


def check(unit: UnitFacts, document: DocumentContext) -> Iterator[str]:
    profile = document.profile
    same_language = primary_language(profile.src_lang) == primary_language(profile.tgt_lang)
    if normalised(unit.src) == normalised(unit.tgt):
        # names, codes and numbers stay as they are in a translation; prose does not, nor a short phrase that
        # reads as the source language ("Hold it.")
        words = common_words(unit.src)
        short_llr = None if same_language else profile.language_llr(unit.src, unit.tgt,
                                                                     min_trigrams=COPY_MIN_TRIGRAMS)
        if words >= 2 or (words and short_llr is not None and short_llr > LANGUAGE_LLR):
            yield "the target is a copy of the source"
        return
    if same_language:
        return
    llr = profile.language_llr(unit.src, unit.tgt)
    if llr is not None and llr > LANGUAGE_LLR:
        yield f"the target reads as {profile.src_lang}, not {profile.tgt_lang}"
