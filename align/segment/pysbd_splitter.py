"""pysbd's sentence splitter, for the languages it knows that have no rules of their own here (de, fr, es, it,
nl, ru, pl, zh, ja, ...): a member of the splitter family (align.segment)."""
from __future__ import annotations

from functools import lru_cache

from ..languages import Language

NAME = "pysbd"


@lru_cache(maxsize=None)
def _segmenter(code: str):
    import pysbd

    return pysbd.Segmenter(language=code, clean=False)


def split(text: str, language: Language) -> list[str]:
    """pysbd's sentences, cut from `text` itself (by counting non-space characters) so that no character can be
    lost, changed or reordered whatever pysbd returns."""
    cuts = []
    end = 0
    for segment in _segmenter(language.code).segment(text):
        needed = sum(not c.isspace() for c in segment)
        while needed and end < len(text):
            needed -= not text[end].isspace()
            end += 1
        cuts.append(end)
    if cuts:
        cuts[-1] = len(text)  # whatever pysbd left out belongs to the last sentence
    starts = [0, *cuts[:-1]]
    return [piece for piece in (text[a:b].strip() for a, b in zip(starts, cuts)) if piece]
