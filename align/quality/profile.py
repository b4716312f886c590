"""What is normal in one document, learnt from all its units; the quality checks compare each unit against it."""
from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..languages.sr_script import detect_script
from .features import (MAD_TO_SD, caseless, length, length_deviation, name_candidates, name_key, normalised,
                       trigrams)

LANGUAGE_MIN_TRIGRAMS = 12  # trigrams a text needs before its language is judged


@dataclass
class DocumentProfile:
    """What is normal in one document, learnt from all its units: the checks compare each unit against it."""

    src_lang: str
    tgt_lang: str
    log_ratio: float  # median log(target length / source length)
    length_spread: float  # robust spread of the Gale-Church deviation
    tgt_script: str | None  # "Latn" / "Cyrl" when the target side is written in one of them
    src_trigrams: Counter[str]
    tgt_trigrams: Counter[str]
    shared_names: frozenset[str]  # names written alike on both sides of this document (plain Latin, 4 letters)

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, str]], src_lang: str, tgt_lang: str) -> DocumentProfile:
        usable = [(s, t) for s, t in pairs if length(s) and length(t)]
        ratios = sorted(math.log(length(t) / length(s)) for s, t in usable)
        log_ratio = ratios[len(ratios) // 2] if ratios else 0.0
        deviations = sorted(abs(length_deviation(s, t, log_ratio)) for s, t in usable)
        spread = MAD_TO_SD * deviations[len(deviations) // 2] if deviations else 1.0
        scripts = Counter(detect_script(t) for _, t in pairs)
        latin, cyrillic = scripts["Latn"], scripts["Cyrl"]
        tgt_script = None
        if latin + cyrillic and max(latin, cyrillic) >= 0.6 * sum(scripts.values()):
            tgt_script = "Latn" if latin > cyrillic else "Cyrl"
        src_trigrams, tgt_trigrams = Counter(), Counter()
        for s, t in pairs:
            src_trigrams.update(trigrams(s))
            tgt_trigrams.update(trigrams(t))
        return cls(src_lang=src_lang, tgt_lang=tgt_lang, log_ratio=log_ratio, length_spread=max(spread, 0.5),
                   tgt_script=tgt_script, src_trigrams=src_trigrams, tgt_trigrams=tgt_trigrams,
                   shared_names=names_written_alike(pairs))

    @functools.cached_property
    def _trigram_totals(self) -> tuple[int, int, int]:
        """Trigrams counted on each side, and distinct trigrams of both."""
        return (sum(self.src_trigrams.values()), sum(self.tgt_trigrams.values()),
                len(self.src_trigrams.keys() | self.tgt_trigrams.keys()))

    def deviation(self, src: str, tgt: str) -> float:
        """How far the target length is from what the source implies, in this document's standard deviations."""
        return length_deviation(src, tgt, self.log_ratio) / self.length_spread

    def length_factor(self, src: str, tgt: str) -> float:
        """Actual target length over the length the source implies in this document."""
        return max(length(tgt), 1) / max(length(src) * math.exp(self.log_ratio), 1.0)

    def language_llr(self, src: str, tgt: str, min_trigrams: int = LANGUAGE_MIN_TRIGRAMS) -> float | None:
        """Mean log-likelihood ratio per trigram that `tgt` is in the source rather than the target language.

        Naive Bayes over letter trigrams (add-one smoothing), each side's statistics learnt from the document
        itself minus this unit, so that a copied source does not vote for itself. None when `tgt` is too short.
        """
        grams = trigrams(tgt)
        size = sum(grams.values())
        if size < min_trigrams:
            return None
        own_src = trigrams(src)
        src_total = self._trigram_totals[0] - sum(own_src.values())
        tgt_total = self._trigram_totals[1] - size
        if src_total <= 0 or tgt_total <= 0:
            return None
        vocabulary = self._trigram_totals[2]
        llr = 0.0
        for gram, n in grams.items():
            in_src = max(self.src_trigrams[gram] - own_src[gram], 0) + 1
            in_tgt = max(self.tgt_trigrams[gram] - n, 0) + 1
            llr += n * (math.log(in_src / (src_total + vocabulary)) - math.log(in_tgt / (tgt_total + vocabulary)))
        return llr / size



def names_written_alike(pairs: Sequence[tuple[str, str]]) -> frozenset[str]:
    """The names this document writes alike in both languages: their plain-Latin first four letters occur
    among the names of both sides. Only these are expected on both sides of a unit: many names are translated
    (Serbia / Srbija, Germany / Nemačka, OSCE / OEBS) and German capitalises every noun, but Vitale, NATO or
    Lausanne stay recognisable. Units whose target copies the source do not count (they would make every name
    look shared). No names at all when a side is in a caseless script (Chinese)."""
    if any(caseless(" ".join(texts)) for texts in ([s for s, _ in pairs], [t for _, t in pairs])):
        return frozenset()
    translated = [(s, t) for s, t in pairs if normalised(s) != normalised(t)]
    keys = []
    for side in (0, 1):
        found = set()
        for pair in translated:
            acronyms, capitalised = name_candidates(pair[side])
            found.update(name_key(name) for name in acronyms + capitalised)
        keys.append(found)
    return frozenset(keys[0] & keys[1])
