"""Text features the quality checks and the document verdict read: lengths, sentence ends, numbers in every way
they are written, names and acronyms across scripts, letter trigrams."""
from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..languages.sr_script import to_latin

# A median absolute deviation times this estimates a normal standard deviation, and outliers do not move it.
MAD_TO_SD = 1.4826
SMALL_NUMBER = 10  # whole numbers up to this are often spelled out in translation: a mismatch is not flagged

# a sentence ends with a full stop, question or exclamation mark, ellipsis, colon, or a dash of broken-off
# speech, perhaps followed by closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?…:;。！？—–]['\"”’»«)\]]*\s*$")
_WORD = re.compile(r"[^\W_][\w'’-]*")


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def length(text: str) -> int:
    """Characters that carry content (white space not counted)."""
    return len("".join(text.split()))


@functools.lru_cache(maxsize=1 << 16)
def plain_latin(text: str) -> str:
    """Serbian Cyrillic read as Latin, lower case, accents dropped: НАТО, NATO and Nato meet as "nato"."""
    decomposed = unicodedata.normalize("NFKD", to_latin(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(unicodedata.normalize("NFKC", text)))


# Numbers: digit groups joined by separators. Each number is read in every way its separators allow ("1,400" is
# 1400 or 1.4, and so is "1.400"), and two numbers match when they share a reading. A space separates thousands
# only after a group of at most three digits ("1 400", not "2019 500").
_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?:[.,]\d+)?(?![\d]|[.,]\d)|\d+(?:[.,]\d+)*)")
# Times of day, read as "H:MM" (0-23) and, on the hour, as the hour alone: "10:15" = "10.15" = "10h15",
# "6 p.m." = "18:00" = "18 часова" = "18h". Twelve-hour times by a.m./p.m. or the Serbian words for morning and
# afternoon/evening (both scripts; "u 6 uveče" = 18:00).
_MORNING = "ujutru|ujutro|izjutra|prepodne|pre podne|ујутру|ујутро|изјутра|преподне|пре подне"
_EVENING = ("popodne|po podne|poslepodne|posle podne|uveče|uvečer|navečer|поподне|по подне|послеподне"
            "|после подне|увече|увечер|навечер")
_CLOCK = re.compile(r"(?<![\w.,:])(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s?(?:(?P<ampm>[ap])\.?\s?m\b\.?"
                    rf"|(?P<morning>{_MORNING})\b|(?P<evening>{_EVENING})\b)", re.IGNORECASE)
_DIAL = re.compile(r"(?<![\w.,:])(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?![\d]|[.,:]\d)")
_DOTTED_TIME = re.compile(r"(\d{1,2})\.(\d{2})")  # "10.15": a decimal, or a time
# Roman numerals of two letters or more, in capitals ("XIV", "XXI vek"; not "I", "V", "C", which are words and
# initials). They only ever match a number: one left over is no evidence (a name, an acronym: "CD", "MIX").
_ROMAN = re.compile(r"(?<![\w.'’-])(?=[MDCLXVI]{2,}(?![\w'’-]))M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})"
                    r"(?:IX|IV|V?I{0,3})(?![\w'’-])")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# Midnight and noon as words ("from 5 a.m. to midnight" = "od 5 do 24 časa"): like Roman numerals, they may
# match a number and are never missing.
_MIDNIGHT, _NOON = frozenset({"0:00", "0", "24"}), frozenset({"12:00", "12"})
_NAMED_TIMES = re.compile(r"\b(?:(?P<midnight>midnight|ponoć\w*|поноћ\w*)|(?P<noon>noon|midday|podne|подне))\b",
                          re.IGNORECASE)


def number_readings(token: str) -> list[frozenset[str]]:
    """The numbers written as `token`, each as the set of values it can have, as canonical strings:
    "1,400" -> [{"1400", "1.4"}]; "1,5" -> [{"1.5"}]; "10.15" -> [{"10.15", "10:15"}] (a decimal, or a time of
    day); a date such as "15.3.2019" -> [{"15"}, {"3"}, {"2019"}]."""
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
    time = _DOTTED_TIME.fullmatch(token)
    if time:
        readings |= _time_readings(int(time.group(1)), int(time.group(2)))
    return [frozenset(readings)] if readings else [frozenset({str(int(d))}) for d in digits]


def _time_readings(hour: int, minute: int) -> frozenset[str]:
    """A time of day as "H:MM", and on the hour as the hour too; nothing when it is no time (25:00, 10:75)."""
    if hour > 24 or minute > 59:
        return frozenset()
    hour %= 24
    return frozenset({f"{hour}:{minute:02d}"} | ({str(hour)} if minute == 0 else set()))


def _clock_readings(match: re.Match[str]) -> frozenset[str]:
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    twelve_hour = match.groupdict().get("ampm") or match.groupdict().get("morning") or match.groupdict().get("evening")
    if twelve_hour:
        if not 1 <= hour <= 12:
            return frozenset()
        evening = (match.group("ampm") or "").lower() == "p" or bool(match.group("evening"))
        hour = hour % 12 + (12 if evening else 0)
    return _time_readings(hour, minute)


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0]))


@dataclass(frozen=True)
class Number:
    """A number as a text writes it: `readings`, the values it can have (canonical strings); `parts`, the
    numbers its digit groups read as one by one, for a time that matches no time ("6 p.m." = "6 popodne");
    `optional`, a Roman numeral, which may match a number but is never missing."""

    written: str
    readings: frozenset[str]
    parts: tuple[frozenset[str], ...]
    optional: bool = False


@functools.lru_cache(maxsize=1 << 16)  # a TMX check compares each text with several others
def numbers_of(text: str) -> tuple[Number, ...]:
    """Every number of a text in order: times of day, numbers (2019. and 15th read as 2019 and 15), Roman
    numerals, midnight and noon."""
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, Number]] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return all(match.end() <= a or match.start() >= b for a, b in taken)

    for pattern in (_CLOCK, _DIAL):
        for match in pattern.finditer(text):
            readings = _clock_readings(match)
            if readings and free(match):
                parts = tuple(r for m in _NUMBER.finditer(match.group(0)) for r in number_readings(m.group(0)))
                found.append((match.start(), Number(match.group(0).strip(), readings, parts)))
                taken.append(match.span())
    for match in _NUMBER.finditer(text):
        if free(match):
            found += [(match.start(), Number(match.group(0), readings, (readings,)))
                      for readings in number_readings(match.group(0))]
    for match in _ROMAN.finditer(text):
        value = frozenset({str(_roman_value(match.group(0)))})
        found.append((match.start(), Number(match.group(0), value, (value,), optional=True)))
    for match in _NAMED_TIMES.finditer(text):
        if free(match):
            value = _MIDNIGHT if match.group("midnight") else _NOON
            found.append((match.start(), Number(match.group(0), value, (value,), optional=True)))
    return tuple(number for _, number in sorted(found, key=lambda item: item[0]))


def number_tokens(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(as written, readings) for every number of a text."""
    return tuple((n.written, n.readings) for n in numbers_of(text))


def is_small(readings: frozenset[str]) -> bool:
    return all(r.isdigit() and int(r) <= SMALL_NUMBER for r in readings)


def _paired(src: list[Number], tgt: list[Number]) -> tuple[list[Number], list[Number]]:
    """The numbers of each side left over when each is paired with a number of the same value on the other side
    (in order; Roman numerals last, so that they take no number from an Arabic one)."""
    used = [False] * len(tgt)
    src_left = []
    for number in sorted(src, key=lambda n: n.optional):
        candidates = sorted((k for k, other in enumerate(tgt) if not used[k] and number.readings & other.readings),
                            key=lambda k: tgt[k].optional)
        if candidates:
            used[candidates[0]] = True
        else:
            src_left.append(number)
    return src_left, [number for number, taken in zip(tgt, used) if not taken]


def _as_parts(numbers: list[Number]) -> list[Number]:
    return [Number(n.written, part, (part,), n.optional) for n in numbers for part in n.parts]


def unmatched_numbers(src: str, tgt: str) -> tuple[list[tuple[str, frozenset[str]]], list[tuple[str, frozenset[str]]]]:
    """Numbers of each side with no number of the same value on the other side: (as written, readings). A time
    that matches none of the other side's is tried as the numbers it is written with ("6 p.m." = "u 6 popodne")."""
    src_left, tgt_left = _paired(list(numbers_of(src)), list(numbers_of(tgt)))
    src_left, tgt_left = _paired(_as_parts(src_left), _as_parts(tgt_left))
    return ([(n.written, n.readings) for n in src_left if not n.optional],
            [(n.written, n.readings) for n in tgt_left if not n.optional])


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
def plain_words(text: str) -> tuple[str, ...]:
    return tuple(plain_latin(w) for w in _WORD.findall(text))


def same_name(name: str, word: str) -> bool:
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


def trigrams(text: str) -> Counter[str]:
    """Letter trigrams of the words of a text, lower case, words padded with spaces."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def common_words(text: str) -> int:
    """Words that are not names or codes: lower-case words, and runs of a caseless script (Chinese has no spaces
    and no capitals; each run counts as one word per two letters)."""
    lower = sum(1 for w in _WORD.findall(text) if w[0].isalpha() and w[0].islower() and len(w) >= 2)
    return lower + sum(1 for c in text if c.isalpha() and c.lower() == c.upper()) // 2



def length_deviation(src: str, tgt: str, log_ratio: float) -> float:
    """Gale-Church deviation of the target length from the length the source implies in this document:
    (actual - expected) / sqrt(mean length), so that short sentences may vary more than long ones in ratio."""
    expected = length(src) * math.exp(log_ratio)
    actual = length(tgt)
    return (actual - expected) / math.sqrt(max((actual + expected) / 2, 1.0))


def name_key(name: str) -> str:
    return plain_latin(name)[:4]
