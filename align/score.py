"""Score stage: the quality checks behind the report's flags, and the one rule that decides `ok`.

Each check looks at one unit -- a source and a target text -- against what is normal for its own document
(`DocumentProfile`: the document's length ratio, the target's script, the letter statistics of each side,
the names it writes alike in both languages) and returns a `Flag` with a short reason a reviewer can read, or
None. The same checks serve the beads of an Alignment (`flag_alignment`) and the units of a TMX made by any tool
(align.check).

How `ok` is decided (`is_ok`, the only place): a unit is ok unless one of its flags is SEVERE. Severe flags are
those that mean "this is not a usable translation unit": no translation (empty, unaligned, untranslated), a cut
translation, or embedding evidence that the pair is wrong (low-confidence: the calibrated confidence is below
MIN_CONFIDENCE; low-margin: the target clearly belongs to another unit). The other flags are hints: they
fire on a fair share of good translations too (numbers spelled out, names adapted, a question turned into a
statement), so they point a reviewer at details without condemning the unit.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .records import Alignment, Bead, Flag, is_serbian, primary_language, script_subtag
from .script import SERBIAN_CYRILLIC_LETTERS, detect_script, serbian_words_by_script, to_latin

EMPTY = "empty"
UNALIGNED = "unaligned"
UNTRANSLATED = "untranslated"
TRUNCATED = "truncated"
LOW_CONFIDENCE = "low-confidence"
LOW_MARGIN = "low-margin"
LENGTH_RATIO = "length-ratio"
NUMBERS = "numbers"
NAMES = "names"
PUNCTUATION = "punctuation"
WRONG_SCRIPT = "wrong-script"
UNALIGNED_NEIGHBOUR = "unaligned-neighbour"
MISMATCHED = "mismatched-documents"
MISLABELLED = "mislabelled-script"
INLINE_CODES = "inline-codes"

SEVERE = frozenset({MISMATCHED, MISLABELLED, INLINE_CODES, EMPTY, UNALIGNED, UNTRANSLATED, TRUNCATED,
                    LOW_CONFIDENCE, LOW_MARGIN, LENGTH_RATIO})

# What each flag means, for the report's legend, most severe first.
FLAG_MEANINGS = {
    MISMATCHED: "the whole document is suspect: the two files are not translations of each other, or their "
                "languages are swapped",
    MISLABELLED: "a side is tagged with one script (sr-Latn) and written in the other: a CAT tool would serve it "
                 "to the wrong project",
    INLINE_CODES: "the two sides carry different inline codes (placeholders, tags): the target would lose or "
                  "invent formatting or a variable",
    EMPTY: "one side of the unit is empty",
    UNALIGNED: "a sentence with no counterpart on the other side (a 1-0 or 0-1 bead)",
    UNTRANSLATED: "the target is a copy of the source, or written in the source language",
    TRUNCATED: "one side stops mid-sentence and is much shorter than the other side implies",
    LOW_CONFIDENCE: "the embedding evidence says the two sides are probably not translations of each other",
    LOW_MARGIN: "the target belongs to another unit: shifted by one along with its neighbours, or swapped",
    LENGTH_RATIO: "the target is far longer or shorter than this document's translations usually are",
    NUMBERS: "a number on one side is missing on the other (1,400 = 1.400; 2019. = 2019; 15th = 15.)",
    NAMES: "a name or acronym on one side is not found on the other (Cyrillic read as Latin: НАТО = NATO)",
    PUNCTUATION: "one side is a question or an exclamation and the other is not",
    WRONG_SCRIPT: "the target is written in another script than the rest of the document, or mixes both",
    UNALIGNED_NEIGHBOUR: "next to an unaligned sentence, which may belong to this unit",
}

MIN_CONFIDENCE = 0.5
# A median absolute deviation times this estimates a normal standard deviation, and outliers do not move it.
MAD_TO_SD = 1.4826
# mismatched-documents: the aligned 1-1 sentence pairs must be this many standard deviations more similar than two
# sentences of the two documents taken at random. Measured with multilingual-e5-small (bench/bench_mismatch.py)
# on 31 translated documents (interview, blind EN-SR, Text+Berg, MAC, ParIce: 1.78 and up) and 73 pairs of
# different documents of the same sets, or halves of different parts (1.04 at most); standardised, so that it
# holds for models of other scales.
TRANSLATION_MIN_Z = 1.5
# With n pairs z cannot exceed sqrt(n - 1), and short lists of look-alike sentences (menus, opening hours) sit
# near the threshold even when translated: documents with fewer 1-1 pairs are not judged.
TRANSLATION_MIN_PAIRS = 12
# ... and when one side is Serbian, the other side must not read as more Serbian than it: the share of letters
# that only Serbian uses (Cyrillic, č ć š ž đ) is 0.03-0.06 in Serbian Latin, 1 in Cyrillic, 0-0.02 in English
# text full of Serbian names.
SERBIAN_LETTERS_MIN = 0.01
# ... and a side declared English or Serbian must not read as the other: their commonest words (none that both
# share, such as "to", nor Serbian "i", English "I"), counted when at least this many are found, one language's
# outnumbering the other's this many times.
_FUNCTION_WORDS = {
    "en": frozenset("the and of in is that for it with as was on are be this by not have from".split()),
    "sr": frozenset("je u da se na su za od koji ne sa ali kao što iz po ili će bio biti smo sam".split()),
}
_LANGUAGE_NAMES = {"en": "English", "sr": "Serbian"}
FUNCTION_WORDS_MIN = 20
FUNCTION_WORDS_RATIO = 3
# length-ratio: the unit's ratio is this many times off the document's median ratio ...
LENGTH_FACTOR = 2.2
# ... and this many standard deviations off it (Gale-Church: deviation scaled by sqrt of the length).
LENGTH_Z = 3.0
# truncated: the side without a sentence end is at most this share of the length the other side implies.
TRUNCATED_SHARE = 0.6
TRUNCATED_MIN_EXPECTED = 8  # characters the cut side should have had: shorter texts vary too much to tell
# untranslated: mean log-likelihood ratio per letter trigram, source language over target language.
LANGUAGE_LLR = 0.4
LANGUAGE_MIN_TRIGRAMS = 12
COPY_MIN_TRIGRAMS = 4  # a target identical to its source needs less to show its language
WRONG_SCRIPT_MIN_LETTERS = 8
_SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic"}
MIXED_SCRIPT_MIN_WORDS = 2  # Serbian words of each script in one target: fewer may be a quoted term
SMALL_NUMBER = 10  # whole numbers up to this are often spelled out in translation: a mismatch is not flagged


# ---------------------------------------------------------------------------------------------- text features

# a sentence ends with a full stop, question or exclamation mark, ellipsis, colon, or a dash of broken-off
# speech, perhaps followed by closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?…:;。！？—–]['\"”’»«)\]]*\s*$")
_WORD = re.compile(r"[^\W_][\w'’-]*")


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _length(text: str) -> int:
    """Characters that carry content (white space not counted)."""
    return len("".join(text.split()))


@functools.lru_cache(maxsize=1 << 16)
def _plain_latin(text: str) -> str:
    """Serbian Cyrillic read as Latin, lower case, accents dropped: НАТО, NATO and Nato meet as "nato"."""
    decomposed = unicodedata.normalize("NFKD", to_latin(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(unicodedata.normalize("NFKC", text)))


# Numbers: digit groups joined by separators. Each number is read in every way its separators allow ("1,400" is
# 1400 or 1.4, and so is "1.400"), and two numbers match when they share a reading. A space separates thousands
# only after a group of at most three digits ("1 400", not "2019 500").
_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0\u202f'’]\d{3}(?![\d]|[.,]\d))+|\d+(?:[.,]\d+)*)")


def number_readings(token: str) -> list[frozenset[str]]:
    """The numbers written as `token`, each as the set of values it can have, as canonical strings:
    "1,400" -> [{"1400", "1.4"}]; "1,5" -> [{"1.5"}]; a date such as "15.3.2019" -> [{"15"}, {"3"}, {"2019"}]."""
    parts = re.split(r"([., ])", re.sub(r"[\u00a0\u202f'’]", " ", token))
    digits, seps = parts[0::2], parts[1::2]
    if not seps:
        return [frozenset({str(int(token))})]
    readings = set()
    if len(set(seps)) == 1 and all(len(d) == 3 for d in digits[1:]):  # 1,400 / 1.400 / 1 400 / 12,345,678
        readings.add(str(int("".join(digits))))
    if seps[-1] in ".," and seps[-1] not in seps[:-1] and all(len(d) == 3 for d in digits[1:-1]):
        fraction = digits[-1].rstrip("0")  # 1.5 / 1,50 / 1.234,5 / 1 234,5
        readings.add(str(int("".join(digits[:-1]))) + (f".{fraction}" if fraction else ""))
    return [frozenset(readings)] if readings else [frozenset({str(int(d))}) for d in digits]


@functools.lru_cache(maxsize=1 << 16)  # a TMX check compares each text with several others
def _number_tokens(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(as written, readings) for every number of a text; 2019. and 15th read as 2019 and 15."""
    return tuple((m.group(0), readings) for m in _NUMBER.finditer(unicodedata.normalize("NFKC", text))
                 for readings in number_readings(m.group(0)))


def _is_small(readings: frozenset[str]) -> bool:
    return all(r.isdigit() and int(r) <= SMALL_NUMBER for r in readings)


def unmatched_numbers(src: str, tgt: str) -> tuple[list[tuple[str, frozenset[str]]], list[tuple[str, frozenset[str]]]]:
    """Numbers of each side with no number of the same value on the other side: (as written, readings)."""
    tgt_numbers = _number_tokens(tgt)
    used = [False] * len(tgt_numbers)
    src_missing = []
    for written, readings in _number_tokens(src):
        match = next((k for k, (_, other) in enumerate(tgt_numbers) if not used[k] and readings & other), None)
        if match is None:
            src_missing.append((written, readings))
        else:
            used[match] = True
    return src_missing, [number for number, taken in zip(tgt_numbers, used) if not taken]


@functools.lru_cache(maxsize=1 << 16)
def name_candidates(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(acronyms, capitalised words not opening a sentence) as written, Cyrillic read as Latin."""
    latin = to_latin(text)
    words = [w for w in _WORD.findall(latin) if sum(c.isalpha() for c in w) >= 2]
    if sum(w.isupper() for w in words) > len(words) / 2:
        return (), ()  # a text in capitals (a headline) shows no names by its case
    acronyms, capitalised = [], []
    previous_end = 0
    for k, match in enumerate(_WORD.finditer(latin)):
        word = match.group(0).strip("'’-")
        before = latin[previous_end:match.start()]
        previous_end = match.end()
        letters = [c for c in word if c.isalpha()]
        if 2 <= len(letters) <= 6 and all(c.isupper() for c in letters):
            acronyms.append(word)
        elif (letters and word[0].isupper() and k > 0 and not all(c.isupper() for c in letters)
              and not re.search(r"[.!?…:\"“”„«»()\[\]\-–—]\s*$", before)):
            capitalised.append(word)
    return tuple(acronyms), tuple(capitalised)


@functools.lru_cache(maxsize=1 << 16)
def _plain_words(text: str) -> tuple[str, ...]:
    return tuple(_plain_latin(w) for w in _WORD.findall(text))


def _same_name(name: str, word: str) -> bool:
    """Whether two plain-Latin words can be the same name, allowing declension and adaptation
    (Vitale ~ Vitalea, Serbia ~ Srbija, Belgrade ~ Beogradu). Adapted names keep their first letter."""
    if name == word:
        return True
    if not word or name[0] != word[0]:
        return False
    if len(name) >= 4 and len(word) >= 4 and name[:4] == word[:4]:
        return True
    matcher = difflib.SequenceMatcher(None, name[:8], word[:8])
    return matcher.quick_ratio() >= 0.75 and matcher.ratio() >= 0.75


def caseless(text: str) -> bool:
    """Whether the text's letters have no upper/lower case (Chinese, Japanese, Arabic...): no names to match."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.lower() != c.upper() for c in letters) < len(letters) / 2


def _trigrams(text: str) -> Counter[str]:
    """Letter trigrams of the words of a text, lower case, words padded with spaces."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _common_words(text: str) -> int:
    """Words that are not names or codes: lower-case words, and runs of a caseless script (Chinese has no spaces
    and no capitals; each run counts as one word per two letters)."""
    lower = sum(1 for w in _WORD.findall(text) if w[0].isalpha() and w[0].islower() and len(w) >= 2)
    return lower + sum(1 for c in text if c.isalpha() and c.lower() == c.upper()) // 2


# ---------------------------------------------------------------------------------------------- the document

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
        usable = [(s, t) for s, t in pairs if _length(s) and _length(t)]
        ratios = sorted(math.log(_length(t) / _length(s)) for s, t in usable)
        log_ratio = ratios[len(ratios) // 2] if ratios else 0.0
        deviations = sorted(abs(_length_deviation(s, t, log_ratio)) for s, t in usable)
        spread = MAD_TO_SD * deviations[len(deviations) // 2] if deviations else 1.0
        scripts = Counter(detect_script(t) for _, t in pairs)
        latin, cyrillic = scripts["Latn"], scripts["Cyrl"]
        tgt_script = None
        if latin + cyrillic and max(latin, cyrillic) >= 0.6 * sum(scripts.values()):
            tgt_script = "Latn" if latin > cyrillic else "Cyrl"
        src_trigrams, tgt_trigrams = Counter(), Counter()
        for s, t in pairs:
            src_trigrams.update(_trigrams(s))
            tgt_trigrams.update(_trigrams(t))
        return cls(src_lang=src_lang, tgt_lang=tgt_lang, log_ratio=log_ratio, length_spread=max(spread, 0.5),
                   tgt_script=tgt_script, src_trigrams=src_trigrams, tgt_trigrams=tgt_trigrams,
                   shared_names=_shared_names(pairs))

    @functools.cached_property
    def _trigram_totals(self) -> tuple[int, int, int]:
        """Trigrams counted on each side, and distinct trigrams of both."""
        return (sum(self.src_trigrams.values()), sum(self.tgt_trigrams.values()),
                len(self.src_trigrams.keys() | self.tgt_trigrams.keys()))

    def language_llr(self, src: str, tgt: str, min_trigrams: int = LANGUAGE_MIN_TRIGRAMS) -> float | None:
        """Mean log-likelihood ratio per trigram that `tgt` is in the source rather than the target language.

        Naive Bayes over letter trigrams (add-one smoothing), each side's statistics learnt from the document
        itself minus this unit, so that a copied source does not vote for itself. None when `tgt` is too short.
        """
        grams = _trigrams(tgt)
        size = sum(grams.values())
        if size < min_trigrams:
            return None
        own_src = _trigrams(src)
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


def _length_deviation(src: str, tgt: str, log_ratio: float) -> float:
    """Gale-Church deviation of the target length from the length the source implies in this document:
    (actual - expected) / sqrt(mean length), so that short sentences may vary more than long ones in ratio."""
    expected = _length(src) * math.exp(log_ratio)
    actual = _length(tgt)
    return (actual - expected) / math.sqrt(max((actual + expected) / 2, 1.0))


def _name_key(name: str) -> str:
    return _plain_latin(name)[:4]


def _shared_names(pairs: Sequence[tuple[str, str]]) -> frozenset[str]:
    """The names this document writes alike in both languages: their plain-Latin first four letters occur
    among the names of both sides. Only these are expected on both sides of a unit: many names are translated
    (Serbia / Srbija, Germany / Nemačka, OSCE / OEBS) and German capitalises every noun, but Vitale, NATO or
    Lausanne stay recognisable. Units whose target copies the source do not count (they would make every name
    look shared). No names at all when a side is in a caseless script (Chinese)."""
    if any(caseless(" ".join(texts)) for texts in ([s for s, _ in pairs], [t for _, t in pairs])):
        return frozenset()
    translated = [(s, t) for s, t in pairs if _normalised(s) != _normalised(t)]
    keys = []
    for side in (0, 1):
        found = set()
        for pair in translated:
            acronyms, capitalised = name_candidates(pair[side])
            found.update(_name_key(name) for name in acronyms + capitalised)
        keys.append(found)
    return frozenset(keys[0] & keys[1])


# ---------------------------------------------------------------------------------------------- the checks

def check_empty(src: str, tgt: str) -> Flag | None:
    if not src.strip() and not tgt.strip():
        return Flag(EMPTY, "both sides are empty")
    if not src.strip() or not tgt.strip():
        return Flag(EMPTY, f"the {'source' if not src.strip() else 'target'} is empty")
    return None


def check_untranslated(src: str, tgt: str, profile: DocumentProfile) -> Flag | None:
    same_language = primary_language(profile.src_lang) == primary_language(profile.tgt_lang)
    if _normalised(src) == _normalised(tgt):
        # names, codes and numbers stay as they are in a translation; prose does not, nor a short phrase that
        # reads as the source language ("Hold it.")
        words = _common_words(src)
        short_llr = None if same_language else profile.language_llr(src, tgt, min_trigrams=COPY_MIN_TRIGRAMS)
        if words >= 2 or (words and short_llr is not None and short_llr > LANGUAGE_LLR):
            return Flag(UNTRANSLATED, "the target is a copy of the source")
        return None
    if same_language:
        return None
    llr = profile.language_llr(src, tgt)
    if llr is not None and llr > LANGUAGE_LLR:
        return Flag(UNTRANSLATED, f"the target reads as {profile.src_lang}, not {profile.tgt_lang}")
    return None


def check_wrong_script(tgt: str, profile: DocumentProfile) -> Flag | None:
    """A target in the other script than its document, or one mixing Serbian words of both scripts (half
    converted: "Министар је одговорио на sva pitanja.")."""
    if is_serbian(profile.tgt_lang):
        words = serbian_words_by_script(tgt)
        if min(words.values()) >= MIXED_SCRIPT_MIN_WORDS:
            return Flag(WRONG_SCRIPT, f"the target mixes scripts: {words['Cyrl']} Serbian words in Cyrillic, "
                                      f"{words['Latn']} in Latin")
    script = detect_script(tgt)
    if (profile.tgt_script and script in ("Latn", "Cyrl") and script != profile.tgt_script
            and _letters(tgt) >= WRONG_SCRIPT_MIN_LETTERS):
        return Flag(WRONG_SCRIPT, f"the target is in {_SCRIPT_NAMES[script]} script; the document is in "
                                  f"{_SCRIPT_NAMES[profile.tgt_script]}")
    return None


def check_script_label(tag: str, text: str, side: str) -> Flag | None:
    """A side whose language tag names a script (sr-Latn, sr-Cyrl-RS) and whose text is in the other one."""
    tagged = (script_subtag(tag) or "").capitalize()
    found = detect_script(text)
    if tagged in ("Latn", "Cyrl") and found in ("Latn", "Cyrl") and found != tagged and (
            _letters(text) >= WRONG_SCRIPT_MIN_LETTERS):
        return Flag(MISLABELLED, f"the {side} is tagged {tag} but written in {_SCRIPT_NAMES[found]} script")
    return None


def check_inline_codes(src_codes: Sequence[str], tgt_codes: Sequence[str]) -> Flag | None:
    """Inline markup (<ph>, <bpt>/<ept>, <it>, <ut>, <hi> of a TMX) that one side has and the other has not."""
    if Counter(src_codes) == Counter(tgt_codes):
        return None

    def described(codes: Sequence[str]) -> str:
        return ", ".join(f"{n} {name}" for name, n in sorted(Counter(codes).items())) or "none"
    return Flag(INLINE_CODES, f"inline codes differ: source {described(src_codes)}, target {described(tgt_codes)}")


def _length_factor(src: str, tgt: str, profile: DocumentProfile) -> float:
    """Actual target length over the length the source implies in this document."""
    return max(_length(tgt), 1) / max(_length(src) * math.exp(profile.log_ratio), 1.0)


def check_truncated(src: str, tgt: str, profile: DocumentProfile) -> Flag | None:
    factor = _length_factor(src, tgt, profile)
    expected_tgt = _length(src) * math.exp(profile.log_ratio)
    if (ends_sentence(src) and not ends_sentence(tgt) and factor <= TRUNCATED_SHARE
            and expected_tgt >= TRUNCATED_MIN_EXPECTED):
        return Flag(TRUNCATED, f"the target stops mid-sentence at {factor:.0%} of the expected length")
    if (ends_sentence(tgt) and not ends_sentence(src) and 1 / factor <= TRUNCATED_SHARE
            and _length(tgt) / math.exp(profile.log_ratio) >= TRUNCATED_MIN_EXPECTED):
        return Flag(TRUNCATED, f"the source stops mid-sentence at {1 / factor:.0%} of the length the target implies")
    return None


def length_deviation(src: str, tgt: str, profile: DocumentProfile) -> float:
    """How far the target length is from what the source implies, in this document's standard deviations."""
    return _length_deviation(src, tgt, profile.log_ratio) / profile.length_spread


def check_length_ratio(src: str, tgt: str, profile: DocumentProfile) -> Flag | None:
    if not _length(src) or not _length(tgt):
        return None
    factor = _length_factor(src, tgt, profile)
    if abs(length_deviation(src, tgt, profile)) >= LENGTH_Z and max(factor, 1 / factor) >= LENGTH_FACTOR:
        if factor > 1:
            return Flag(LENGTH_RATIO, f"the target is {factor:.1f}× longer than usual in this document")
        return Flag(LENGTH_RATIO, f"the target is {1 / factor:.1f}× shorter than usual in this document")
    return None


def check_numbers(src: str, tgt: str) -> Flag | None:
    src_missing, tgt_missing = unmatched_numbers(src, tgt)
    # a small whole number is often spelled out on the other side; it only counts when both sides disagree
    if not (src_missing and tgt_missing):
        src_missing = [n for n in src_missing if not _is_small(n[1])]
        tgt_missing = [n for n in tgt_missing if not _is_small(n[1])]
    parts = []
    for missing, side in ((src_missing, "target"), (tgt_missing, "source")):
        if missing:
            parts.append(f"{', '.join(list(dict.fromkeys(written for written, _ in missing))[:4])} not in the {side}")
    return Flag(NUMBERS, ", ".join(parts)) if parts else None


def check_names(src: str, tgt: str, profile: DocumentProfile) -> Flag | None:
    """Every name or acronym of one side that this document writes alike in both languages must be found on the
    other side (any word there, read as plain Latin, allowing declension: Vitale ~ Vitalea, NATO ~ НАТО-а)."""
    missing: dict[str, list[str]] = {"target": [], "source": []}
    for text, other, other_name in ((src, tgt, "target"), (tgt, src, "source")):
        acronyms, capitalised = name_candidates(text)
        for name in dict.fromkeys(acronyms + capitalised):
            if _name_key(name) in profile.shared_names and not any(
                    _same_name(_plain_latin(name), word) for word in _plain_words(other)):
                missing[other_name].append(name)
    parts = [f"{', '.join(names[:4])} not in the {side}" for side, names in missing.items() if names]
    return Flag(NAMES, ", ".join(parts)) if parts else None


def check_punctuation(src: str, tgt: str) -> Flag | None:
    src, tgt = unicodedata.normalize("NFKC", src), unicodedata.normalize("NFKC", tgt)
    for mark, what in (("?", "a question"), ("!", "an exclamation")):
        if (mark in src) != (mark in tgt):
            has, lacks = ("source", "target") if mark in src else ("target", "source")
            return Flag(PUNCTUATION, f"the {has} is {what}, the {lacks} is not")
    return None


def check_confidence(score: float, similarity: float, margin: float) -> Flag | None:
    if score < MIN_CONFIDENCE:
        return Flag(LOW_CONFIDENCE, f"confidence {score:.2f} (similarity {similarity:.2f}, margin {margin:+.2f})")
    return None


def text_flags(src: str, tgt: str, profile: DocumentProfile) -> list[Flag]:
    """Every check that needs only the two texts and their document."""
    empty = check_empty(src, tgt)
    if empty:
        return [empty]
    found = [check_untranslated(src, tgt, profile), check_wrong_script(tgt, profile),
             check_truncated(src, tgt, profile), check_length_ratio(src, tgt, profile), check_numbers(src, tgt),
             check_names(src, tgt, profile), check_punctuation(src, tgt)]
    return [flag for flag in found if flag is not None]


def is_ok(flags: Sequence[Flag]) -> bool:
    """The one rule: a unit is ok unless one of its flags is severe."""
    return not any(flag.name in SEVERE for flag in flags)


# ---------------------------------------------------------------------------------------------- alignments

def _unaligned_flag(bead: Bead) -> Flag:
    if bead.src:
        numbers_ = ", ".join(str(i + 1) for i in bead.src)
        return Flag(UNALIGNED, f"source sentence {numbers_} has no translation in the target")
    numbers_ = ", ".join(str(j + 1) for j in bead.tgt)
    return Flag(UNALIGNED, f"target sentence {numbers_} has no counterpart in the source")


def _neighbour_flag(alignment: Alignment, k: int) -> Flag | None:
    beads = alignment.beads
    unaligned = [beads[n] for n in (k - 1, k + 1) if 0 <= n < len(beads) and not beads[n].is_unit]
    if not unaligned:
        return None
    what = [f"{'source' if b.src else 'target'} sentence {(b.src or b.tgt)[0] + 1}" for b in unaligned]
    return Flag(UNALIGNED_NEIGHBOUR, f"next to unaligned {' and '.join(what)}, which may belong here")


def translation_z(src_embeddings: np.ndarray, tgt_embeddings: np.ndarray, pairs: Sequence[tuple[int, int]]) -> float:
    """How many standard deviations the (i, j) sentence pairs are more similar, on average, than any source
    sentence with any target sentence (the mean and spread of all n x m cosines, without the n x m matrix)."""
    n, m = len(src_embeddings), len(tgt_embeddings)
    src, tgt = src_embeddings.astype(np.float64), tgt_embeddings.astype(np.float64)
    mean = float(src.mean(0) @ tgt.mean(0))
    # mean of squared cosines = <S'S, T'T> / nm: d x d products instead of the n x m matrix
    variance = float(np.sum((src.T @ src) * (tgt.T @ tgt))) / (n * m) - mean ** 2
    paired = float(np.mean([src[i] @ tgt[j] for i, j in pairs]))
    return (paired - mean) / math.sqrt(max(variance, 1e-12))


def serbian_letter_share(texts: Sequence[str]) -> float:
    """The share of letters only Serbian among the two languages uses: Serbian Cyrillic, and č ć š ž đ."""
    letters = special = 0
    for text in texts:
        for char in text:
            if char.isalpha():
                letters += 1
                special += char in SERBIAN_CYRILLIC_LETTERS or char in "čćšžđČĆŠŽĐ"
    return special / letters if letters else 0.0


def function_word_language(texts: Sequence[str]) -> str | None:
    """"en" or "sr" when the texts' commonest words clearly say which; None when they do not (or too few)."""
    counts = Counter()
    for text in texts:
        for word in _WORD.findall(to_latin(text).lower()):
            counts.update(lang for lang, words in _FUNCTION_WORDS.items() if word in words)
    if counts.total() < FUNCTION_WORDS_MIN:
        return None
    (top, n), *rest = counts.most_common()
    return top if not rest or n >= FUNCTION_WORDS_RATIO * rest[0][1] else None


def document_problems(alignment: Alignment) -> list[str]:
    """What makes the whole alignment suspect: files that are not translations, or in other languages than
    declared (swapped, or the wrong file)."""
    problems = []
    pairs = [(b.src[0], b.tgt[0]) for b in alignment.beads if len(b.src) == len(b.tgt) == 1]
    if alignment.src_embeddings is not None and len(pairs) >= TRANSLATION_MIN_PAIRS:
        z = translation_z(alignment.src_embeddings, alignment.tgt_embeddings, pairs)
        if z < TRANSLATION_MIN_Z:
            problems.append(f"the two documents do not read as translations of each other: aligned sentences are "
                            f"only {z:.1f} standard deviations more similar than random pairs (translations: "
                            f"{TRANSLATION_MIN_Z} or more); wrong file?")
    sides = {"source": alignment.src, "target": alignment.tgt}
    misread = []
    for side, doc in sides.items():
        declared = primary_language(doc.lang)
        found = function_word_language(doc.texts) if declared in _FUNCTION_WORDS else None
        if found and found != declared:
            misread.append(f"the {side} is declared {doc.lang} but reads as {_LANGUAGE_NAMES[found]}: wrong file "
                           "or --src-lang/--tgt-lang?")
    problems += misread
    serbian = [side for side, doc in sides.items() if is_serbian(doc.lang)]
    if len(serbian) == 1 and not misread:  # letters, for a pair other than English-Serbian
        other = "target" if serbian[0] == "source" else "source"
        share = {side: serbian_letter_share(doc.texts) for side, doc in sides.items()}
        if share[other] >= SERBIAN_LETTERS_MIN and share[other] > 2 * share[serbian[0]]:
            problems.append(f"the {other} ({sides[other].lang}) reads as Serbian and the {serbian[0]} "
                            f"({sides[serbian[0]].lang}) does not: are the files or languages swapped?")
    return problems


def flag_alignment(alignment: Alignment) -> None:
    """Set `flags` on every bead of an alignment (1-0 and 0-1 beads get `unaligned`), and `warnings` on the
    alignment when the whole of it is suspect (then every unit carries mismatched-documents too)."""
    pairs = [(alignment.src_text(b), alignment.tgt_text(b)) for b in alignment.units]
    profile = DocumentProfile.of(pairs, alignment.src.lang, alignment.tgt.lang)
    alignment.warnings = document_problems(alignment)
    for k, bead in enumerate(alignment.beads):
        if not bead.is_unit:
            bead.flags = [_unaligned_flag(bead)]
            continue
        flags = [Flag(MISMATCHED, problem) for problem in alignment.warnings]
        confidence = check_confidence(bead.score, bead.similarity, bead.margin)
        if confidence:
            flags.append(confidence)
        flags += text_flags(alignment.src_text(bead), alignment.tgt_text(bead), profile)
        neighbour = _neighbour_flag(alignment, k)
        if neighbour:
            flags.append(neighbour)
        bead.flags = flags
