"""The boundary rules: where a sentence ends inside a block of text, decided at every . ? ! … followed by a space
from the words around it. A member of the splitter family (align.segment); what it knows of a language comes from
that language's module (align.languages: abbreviations, words that start a sentence, ordinals, dates, months).

Why the rules are our own rather than reldi-tokeniser's and pysbd's splitters (whose data we use:
reldi-tokeniser's abbreviation lists): on the gold passages in tests/data/segment (bench/bench_split.py) plain
reldi-tokeniser reaches 0.872 boundary F1 on Serbian Latin (0.852 Cyrillic) and plain pysbd 0.917 on English,
at about 13,000 and 2,500 sentences/s; the project needs 0.99 and 10,000 sentences/s. Both decide from the same
local context (the word before the period, the word after it), so the rules below look only at that context and
add what those splitters miss: closing quotes/brackets and opening dashes/quotes/brackets around a boundary,
legal citations, initials, ordinals and dates, abbreviations that end a sentence only before a word that starts
one.
"""
from __future__ import annotations

import re

from ..languages import Language, SplitRules

NAME = "rules"

TERMINALS = ".?!…"
CLOSERS = "\"'”“»«’‘)]}"
OPENERS = "\"'„“”«»‘’‚([{–—-"
NO_BREAK_SPACES = "\u00a0\u202f\u2007"

# A run of terminal punctuation, possibly interleaved with closing quotes/brackets, before a space.
_CANDIDATE = re.compile(r"[.?!…]+(?:[\"'”“»«’‘)\]}]+[.?!…]*)*(?= |$)")
_ROMAN = re.compile(r"[IVXLCDM]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_BRACKETED_NUMBER = re.compile(r"\d+(?:[.,]\d+)*\)")  # "12)" of "(lok. 12)"
# Capital unit symbols (ampere, volt, watt, kelvin, newton; Cyrillic ampere and volt): "od 16 A. Imajte".
_UNIT_LETTERS = frozenset("AVWKNАВ")
# "d.o.o", "U.S", "Ph.D", "a.m": letter groups joined by periods (web domains are not)
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_DOMAIN = re.compile(r"[\w-]{2,}(?:\.[\w-]+)*\.(?:rs|srb|com|net|org|info|eu|me|ba|hr|io|gov|edu|co|uk"
                     r"|de|ru|fr|it|at|ch|int|mk|si|us)", re.IGNORECASE)


def _is_initial(token: str, rules: SplitRules) -> bool:
    """"J." or, in languages that write them, a two-letter initial such as "Lj."."""
    return token.endswith(".") and (len(token) == 2 and token[0].isalpha() or token[:-1] in rules.initial_digraphs)


# --- boundary decision --------------------------------------------------------------------------

def _strip_openers(token: str) -> str:
    return token.lstrip(OPENERS)


def _next_word(text: str, position: int) -> tuple[str, str]:
    """The word starting at `position`, past opening dashes, quotes and brackets (which may stand
    alone: "– Jesam"): (word without openers, word as written)."""
    for token in text[position:position + 80].split(" "):
        stripped = _strip_openers(token)
        if stripped:
            return stripped, token
    return "", ""


def _previous_word(text: str, word_start: int) -> str:
    """The word before the one starting at `word_start`, lower-cased, without punctuation."""
    end = word_start - 1 if word_start > 0 and text[word_start - 1] == " " else word_start
    start = text.rfind(" ", 0, end) + 1
    return text[start:end].lower().strip(OPENERS + CLOSERS + ",;:")


def _second_previous_word(text: str, word_start: int) -> str:
    """The word before _previous_word's: "str." for the "V" of "str. 5 V.", "održan" for "24" in "održan je 24."."""
    return _previous_word(text, text.rfind(" ", 0, word_start - 1) + 1)


def _unit_after_number(text: str, word_start: int, number: str, following_raw: str, rules: SplitRules) -> bool:
    """Whether a capital unit letter after `number` ends its sentence ("od 16 A. Imajte") rather than being an
    initial: not before another initial ("1941 J. B. Tito"), not after a year ("In 2019 A. Smith"; but "snage
    2000 W. Grejač") and not after a reference such as "str. 5", "page 5" ("str. 5 V. Petrović")."""
    before_number = _second_previous_word(text, word_start)
    return not (_is_initial(following_raw, rules) or before_number.endswith(".")
                or before_number in rules.reference_words
                or _YEAR.fullmatch(number) and before_number in rules.year_words)


def _is_boundary(text: str, match: re.Match[str], rules: SplitRules, sentence_start: int) -> bool:
    """Whether the run of terminal punctuation `match` (followed by a space) ends a sentence."""
    punct = match.group(0)
    word_start = text.rfind(" ", 0, match.start()) + 1
    word_raw = text[word_start:match.start()]
    if not word_raw or word_raw[-1] in "([{":
        return False  # "(...)", "(?)", "[…]": an omission or a remark, not an end
    following, following_raw = _next_word(text, match.end() + 1)
    if not following or following[0].islower():
        return False
    if "?" in punct or "!" in punct or "…" in punct or ".." in punct:
        return True
    if punct != "." or word_raw[-1] in CLOSERS:
        return True  # a period by a quote or bracket: "dijaloga.“ Tako", "3.) Zatim", "RZS). ("
    word = _strip_openers(word_raw)
    if word_start == sentence_start and (word.isdigit() or _ROMAN.fullmatch(word)):
        return False  # "1. Uvod", "IV. Zaključak", "15. Sajam knjiga otvoren je ...": an ordinal
    lower = word.lower()
    is_abbreviation = rules.is_abbreviation(lower) or (
        _DOTTED_ABBREVIATION.fullmatch(word) is not None and not _DOMAIN.fullmatch(word))
    if not following[0].isalpha():
        # "10. 5. 2020.", "br. 5", "No. 5", "approx. $5", "(Rev. 123/2019)": a number, or an
        # abbreviation (a listed one, or a capitalised word of up to three letters) before a number; and
        # "(lok. 12)": a number closing a bracket opened in this sentence never starts one of its own
        return not (word[:1].isdigit() or is_abbreviation or lower in rules.number_abbreviations
                    or len(word) <= 3 and word[:1].isupper()
                    or _BRACKETED_NUMBER.match(following_raw) is not None
                    and text.count("(", sentence_start, word_start) > text.count(")", sentence_start, word_start))
    next_word = following.rstrip(TERMINALS + CLOSERS + ",;:")
    before = _previous_word(text, word_start)
    if len(word) == 1 and word.islower() and _NUMBER.fullmatch(before):
        return True  # a unit after a number, not an initial: "u 3 č. Vatrogasci", "u 10 h. Ulaz"
    if word in _UNIT_LETTERS and _NUMBER.fullmatch(before) and _unit_after_number(text, word_start, before,
                                                                                  following_raw, rules):
        return True  # "osiguračem od 16 A. Imajte", "napon od 230 V. Isključite"
    if rules.months and lower in rules.months and re.fullmatch(r"\d{1,2}\.", before):
        return True  # a date, not the abbreviation "jun.": "zakazan je za 21. jun. Očekuje se"
    if len(word) == 1 and word.isalpha() or word in rules.initial_digraphs:
        if _is_initial(following_raw, rules):
            return False  # "J. J. Zmaj": an initial before another initial
        if rules.letter_nouns and rules.letter_nouns.match(before):
            return True  # "u grupi B. Rivali su ...", "vitamin C. It ..."
        return rules.starts_sentence(next_word)  # "M. Petrović" vs "... fonda B. Ostali"
    if before in rules.and_words and lower in rules.and_others:
        return True  # "i dr.", "i sl." = "and others", "and the like"
    if is_abbreviation and "." not in word and _NUMBER.fullmatch(before) and not next_word.isupper():
        return True  # a unit after a number: "Knjiga ima 320 str. Cena ...", "5 mil. Od toga"
    if lower in rules.never:
        return False
    if is_abbreviation and rules.months and before.endswith(".") and _YEAR.fullmatch(before[:-1]):
        # "održana 15. 3. 2024. god. Prisutni su": "god." closes a date, which ends the sentence unless the
        # date opens it ("Dana 15. 3. 2024. god. Vlada je ...")
        year_start = text.rfind(" ", 0, word_start - 1) + 1
        return (not _date_opens_clause(text, year_start, rules, sentence_start)
                or rules.starts_sentence(next_word))
    if lower in rules.always:
        return True
    if lower in rules.clock_abbreviations:
        return next_word.lower() not in rules.clock_followers
    if is_abbreviation:
        return rules.starts_sentence(next_word)  # "d.o.o. Beograd" / "U.S. Army" vs "U.S. The"
    if rules.ordinal_periods and word.isdigit() and len(word) <= 3:
        return _ends_after_ordinal(text, word_start, next_word, rules)
    if rules.months and word.isdigit() and len(word) == 4 and _date_opens_clause(
            text, word_start, rules, sentence_start):
        return rules.starts_sentence(next_word)  # "Dana 15. 3. 2020. Vlada je ..."
    return True


def _date_opens_clause(text: str, year_start: int, rules: SplitRules, sentence_start: int) -> bool:
    """Whether the date ending in the year at `year_start` opens its sentence or clause:
    "U 2020. Srbija", "Dana 15. 3. 2020. Vlada", "Posle toga, 6. aprila 1941. Beograd".
    A date after a verb ("potpisan je 4. septembra 2019. Tada") ends the sentence."""
    start = year_start
    while True:  # walk back over the day and month: "15. 3.", "6. aprila"
        previous_start = text.rfind(" ", 0, start - 1) + 1
        token = text[previous_start:start].strip().lower()
        if start <= sentence_start or not (token.endswith(".") and token[:-1].isdigit()
                                           or token in rules.months):
            break
        start = previous_start
    if start <= sentence_start:
        return True
    before_start = text.rfind(" ", 0, start - 1) + 1
    before = text[before_start:start].strip()
    if before.endswith(","):
        return True
    return before_start == sentence_start and _strip_openers(before).lower() in rules.date_openers


def _ends_after_ordinal(text: str, word_start: int, next_word: str, rules: SplitRules) -> bool:
    """"15." before a capital: "Ispred nje ..." starts a sentence; "Sajmu knjiga" after "na" and
    "Svetski kongres" continue an ordinal; a cardinal ("str. 45 i 46. Prijave") ends one."""
    if rules.starts_sentence(next_word):
        return True
    before = _previous_word(text, word_start)
    if before.rstrip(".") in rules.number_abbreviations:
        return True  # "u ul. Kralja Petra br. 12. Radno vreme ...": a house number, no ordinal
    if rules.adjective and rules.adjective.match(next_word):
        return False  # "4. Svetski kongres"
    if before in rules.case_prepositions:
        return not (rules.oblique and rules.oblique.match(next_word))  # "na 15. Sajmu"
    if before in rules.auxiliaries:
        before = _second_previous_word(text, word_start)
    if before.rstrip(".") in rules.before_ordinals or (rules.participle and rules.participle.match(before)):
        return False  # "člana 5. Zakona", "čl. 12. Zakonika", "održan 24. Egzit festival"
    return True


def _split_by_rules(text: str, rules: SplitRules) -> list[str]:
    view = text  # the same offsets, with a kept no-break space as a separator
    for space in NO_BREAK_SPACES:
        if space in view:
            view = view.replace(space, " ")
    sentences = []
    start = 0
    for match in _CANDIDATE.finditer(view):
        end = match.end()
        if end >= len(view) or match.start() == 0:
            continue
        if _is_boundary(view, match, rules, start):
            sentences.append(text[start:end])
            start = end + 1
    sentences.append(text[start:])
    return [s for s in sentences if s]



def split(text: str, language: Language) -> list[str]:
    """The sentences of one block of text (white space already made single spaces; a kept no-break space counts as
    a space here)."""
    return _split_by_rules(text, language.split_rules)
