"""What the tool knows about each language, one module per language, looked up by tag.

A language module (`en.py`, `sr.py`, ...) defines `LANGUAGE`, a `Language`: the data its sentence splitter
uses (abbreviations, words that start a sentence, ...), its commonest words (to tell it from another language),
the 8-bit code pages its texts come in, its scripts, and the form of a sentence given to the embedding model.
`language("sr-Latn")` finds Serbian's module by the tag's primary language; a language without a module gets
the generic one (pysbd's splitter when pysbd knows the language, else the generic boundary rules).

Adding a language: one module here named by its ISO 639-1 code that defines LANGUAGE, and its tests.

The tag helpers are here too: every tag the user gives is read with langcodes, so "SR", "sr_RS", "srp" (ISO
639-2/3), "sh" and "cnr" all mean Serbian's rules, and a tag that names no language is a usage error.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import langcodes

from ..errors import AlignUsageError


# ---------------------------------------------------------------------------------------------- tags

@functools.lru_cache(maxsize=4096)
def primary_language(tag: str) -> str:
    """The language of a tag as its shortest code, whatever its case, separator or code set: "sr" for "sr-Latn",
    "SR", "sr_RS", "srp" (ISO 639-2/3) and "sh" (langcodes' normalisation, CLDR's aliases)."""
    try:
        return langcodes.Language.get(tag.replace("_", "-"), normalize=True).language or tag.lower()
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        return tag.replace("_", "-").split("-")[0].lower()


def script_subtag(tag: str) -> str | None:
    """The script of a language tag ("latn" in "sr-Latn-RS"), lower-cased; None when it names none."""
    parts = tag.replace("_", "-").split("-")[1:]
    return next((part.lower() for part in parts if len(part) == 4 and part.isalpha()), None)


def is_serbian(tag: str) -> bool:
    return primary_language(tag) == "sr"


def standard_tag(tag: str) -> str:
    """A tag in BCP 47's conventions (EN -> en, en_us -> en-US, eng -> en); as given when langcodes cannot read it."""
    try:
        return langcodes.standardize_tag(tag.replace("_", "-"))
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        return tag


def canonical_tag(tag: str) -> str:
    """BCP 47 case conventions only (sr-latn -> sr-Latn, en-us -> en-US), so that tags compare equal."""
    parts = tag.replace("_", "-").split("-")
    return "-".join([parts[0].lower()] + [
        p.title() if len(p) == 4 and p.isalpha() else p.upper() if len(p) == 2 else p.lower()
        for p in parts[1:]])


# ---------------------------------------------------------------------------------------------- languages

@dataclass(frozen=True)
class SplitRules:
    """What the boundary rules (align.segment.rules) know about one language; empty lists give the generic
    rules (split after . ? ! … before a capital letter, digit or opening quote, dash or bracket)."""

    never: frozenset[str] = frozenset()  # abbreviations never ending a sentence before a capital
    ambiguous: frozenset[str] = frozenset()  # abbreviations ending one only before a starter
    always: frozenset[str] = frozenset()  # abbreviations ending one before any capital
    number_abbreviations: frozenset[str] = frozenset()  # "No. 5": no split before a digit
    clock_abbreviations: frozenset[str] = frozenset()  # "a.m", "p.m"
    clock_followers: frozenset[str] = frozenset()  # "4 p.m. Friday": words continuing a time
    starters: frozenset[str] = frozenset()  # words that commonly open a sentence (lower case)
    before_ordinals: frozenset[str] = frozenset()  # "na 15. Sajmu", "člana 5. Zakona"
    ordinal_periods: bool = False  # "15. godišnjica": a period after a number marks an ordinal
    adjective: re.Pattern[str] | None = None  # "4. Svetski kongres"
    letter_nouns: re.Pattern[str] | None = None  # nouns named by a letter: "grupa B", "plan B"
    participle: re.Pattern[str] | None = None  # "održan 24. Egzit festival"
    case_prepositions: frozenset[str] = frozenset()  # "na 15. Sajmu" vs "na 12. Spasioci"
    oblique: re.Pattern[str] | None = None  # inflected forms after those prepositions
    auxiliaries: frozenset[str] = frozenset()  # "otvoren je 65. Sajam"
    months: frozenset[str] = frozenset()  # month names as they stand in a date: "6. aprila 1941."
    date_openers: frozenset[str] = frozenset()  # "Dana 15. 3. 2020.", "Od 1. januara 2021."
    and_words: frozenset[str] = frozenset()  # "i" (and): before `and_others` ...
    and_others: frozenset[str] = frozenset()  # ... "i dr." (and others), "i sl." (and the like) end a sentence
    year_words: frozenset[str] = frozenset()  # "In 2019 A. Smith": after these a capital is an initial
    reference_words: frozenset[str] = frozenset()  # "page 5 A. Smith", "tačka 3 A. Petrović": likewise
    initial_digraphs: frozenset[str] = frozenset()  # two-letter initials: "Lj. Simović", "Dž. M. Kuci"

    def starts_sentence(self, word: str) -> bool:
        return not self.starters or word.lower() in self.starters

    def is_abbreviation(self, lower: str) -> bool:
        return lower in self.never or lower in self.ambiguous or lower in self.always


def _unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class Language:
    """One language as the pipeline sees it (see the module docstring)."""

    code: str  # ISO 639-1 where there is one: "en", "sr"
    name: str  # in English: "Serbian"
    splitter: str = "rules"  # a member of align.segment's splitter family: "rules" or "pysbd"
    split_rules: SplitRules = field(default_factory=SplitRules)
    function_words: frozenset[str] = frozenset()  # its commonest words, none shared with a neighbour language
    codepages: tuple[str, ...] = ()  # the 8-bit encodings its texts come in, most common first ...
    reads_word: Callable[[str], bool] | None = None  # ... and whether a non-ASCII word read in one is its own
    distinctive_letters: frozenset[str] = frozenset()  # letters few other languages use (to tell it apart)
    scripts: tuple[str, ...] = ("Latn",)  # ISO 15924 codes it is written in
    model_text: Callable[[str], str] = _unchanged  # what the embedding model is given for a sentence

    def model_texts(self, texts: list[str]) -> list[str]:
        return [self.model_text(text) for text in texts]


# pysbd's languages: those without a module of their own are split by it, one paragraph at a time
PYSBD_LANGUAGES = frozenset({
    "am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr",
    "my", "nl", "pl", "ru", "sk", "ur", "zh",
})


@functools.lru_cache(maxsize=None)
def _modules() -> dict[str, str]:
    """Language code -> module name, for every language module in this package."""
    return {info.name: f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__)
            if re.fullmatch(r"[a-z]{2,3}", info.name)}


@functools.lru_cache(maxsize=256)
def language(tag: str) -> Language:
    """The Language of a tag: its own module's, else a generic one (named by its code)."""
    code = primary_language(tag)
    module = _modules().get(code)
    if module is not None:
        return importlib.import_module(module).LANGUAGE
    return Language(code=code, name=code, splitter="pysbd" if code in PYSBD_LANGUAGES else "rules")


def known_languages() -> list[Language]:
    """Every language with a module of its own."""
    return [language(code) for code in sorted(_modules())]


def validate_tag(tag: str, option: str) -> str:
    """The tag as given when it is a valid BCP 47 tag naming a known language; a usage error naming the option
    otherwise ("--tgt-lang serbian", "--tgt-lang xx")."""
    cleaned = tag.strip().replace("_", "-")
    try:
        parsed = langcodes.Language.get(cleaned, normalize=True)
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        parsed = None
    if parsed is None or not parsed.language or not parsed.is_valid():
        raise AlignUsageError(f"{option} {tag!r} is not a language tag (BCP 47: en, sr, sr-Latn, de-CH, ...)")
    return cleaned


# ---------------------------------------------------------------------------------------------- helpers for modules

def words(spec: str) -> frozenset[str]:
    """A word list written as white-space separated words."""
    return frozenset(spec.split())


def stems(spec: frozenset[str]) -> re.Pattern[str]:
    """Lower-case words beginning with one of the stems (any inflected form)."""
    return re.compile("|".join(sorted(spec, key=len, reverse=True)))


@functools.lru_cache(maxsize=None)
def reldi_abbreviations(code: str) -> dict[str, frozenset[str]]:
    """reldi-tokeniser's abbreviation list for a South Slavic language (sr, hr, sl, mk, bg): N (never ends a
    sentence), B and S (may end one). Its regexes (single letters, Roman numerals) are left out: the boundary
    rules handle those themselves."""
    from pathlib import Path

    import reldi_tokeniser

    path = Path(reldi_tokeniser.__file__).parent / f"{code}.abbrev"
    kinds: dict[str, set[str]] = {"N": set(), "B": set(), "S": set()}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        pattern, kind = line.split("\t")[:2]
        if "[" in pattern or "(" in pattern or "\\b" in pattern:
            continue
        kinds[kind].add(pattern.replace("\\.", ".").replace("\\'", "'").rstrip(".").lower())
    return {k: frozenset(v) for k, v in kinds.items()}
