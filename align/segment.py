"""Segment stage: text -> paragraphs -> sentences (read -> *segment* -> embed -> align -> score -> write).

Which splitter a language gets:
- sr (also sr-Latn, sr-Cyrl, cnr), hr, bs, sl, mk, bg: the boundary rules below with
  reldi-tokeniser's abbreviation lists for the language (bs and cnr use the Serbian one) and, for
  the Serbo-Croatian languages, Serbian/Croatian word lists. Latin and Cyrillic are handled alike:
  every word list holds both scripts.
- en: the same boundary rules with English abbreviation and sentence-starter lists.
- other languages pysbd knows (de, fr, es, it, nl, ru, pl, zh, ja, ...): pysbd with that language,
  one paragraph at a time.
- any other language: the boundary rules with no abbreviation lists (split after . ? ! … before a
  capital letter, digit or opening quote/dash/bracket).

Why the rules are our own rather than reldi-tokeniser's and pysbd's splitters (whose data we use:
reldi-tokeniser's abbreviation lists): on the gold passages in tests/data/segment
(bench/bench_split.py) plain reldi-tokeniser reaches 0.872 boundary F1 on Serbian Latin (0.852 Cyrillic)
and plain pysbd 0.917 on English, at about 13,000 and 2,500 sentences/s; the project needs 0.99 and
10,000 sentences/s. Both decide from the same local
context (the word before the period, the word after it), so the rules below look only at that
context, at every . ? ! … followed by a space, and add what those splitters miss: closing
quotes/brackets and opening dashes/quotes/brackets around a boundary, legal citations, initials,
ordinals and dates, abbreviations that end a sentence only before a word that starts one
(`_SR_STARTERS`, `_EN_STARTERS`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .records import Sentence, primary_language
from .script import to_cyrillic

# --- paragraphs ---------------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text: separated by one or more blank (whitespace-only) lines.

    CRLF and CR line ends are normalised; a paragraph's inner line breaks are kept (they are
    whitespace to the sentence splitter). Empty paragraphs are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


_WHITESPACE = re.compile(r"\s+")
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"


def _normalize_space(run: re.Match[str]) -> str:
    # A lone no-break space is typography ("5\u00a0%", "General\u00a0Milan"): kept as written.
    space = run.group(0)
    return space if space in _NO_BREAK_SPACES and len(space) == 1 else " "


# --- word lists ---------------------------------------------------------------------------------

_TERMINALS = ".?!…"
_CLOSERS = "\"'”“»«’‘)]}"
_OPENERS = "\"'„“”«»‘’‚([{–—-"

# A run of terminal punctuation, possibly interleaved with closing quotes/brackets, before a space.
_CANDIDATE = re.compile(r"[.?!…]+(?:[\"'”“»«’‘)\]}]+[.?!…]*)*(?= |$)")

# Never a sentence end before a capital: titles and abbreviations always followed by more text.
_SR_NEVER = """
prof dr doc mr gen pukov puk kap gosp gđa ing inž dipl akad mons msgr vlč sv ul tzv npr tj br str čl
st tač al v.d t.j
"""
# Sentence-final only before a word that starts a sentence (on top of reldi-tokeniser's lists).
_SR_AMBIGUOUS = """
mil mlrd god sl d.o.o a.d d.d j.p o.d doo tel ok pr prim aut prev ur izd knj pog red pok min sek kol
cca
"""
# Sentence-final before any capital ("itd." = etc.).
_SR_ALWAYS = "itd"

# Words that commonly open a sentence (function words, sentence adverbs): after an ambiguous
# abbreviation, an initial or an ordinal number, a capitalised word from this list starts a sentence.
_SR_STARTERS = """
ja ti on ona ono mi vi oni one to ta taj te ovo ova ovaj ove ovi onaj tog toga tom tome tim ovog ovoga
ovom ovome ovim takav takva takvo takvi ovakav ovakva sve svi sav svaki svaka svako svakog svim mnogi
mnoge mnogo neki neka neko nešto nekoliko niko ništa nijedan nijedna većina ko šta što koji koja koje
čiji gde kada kad kako zašto koliko njegov njegova njegovo njegovi njen njena njeno njeni njihov
njihova njihovo njihovi moj moja moje naš naša naše naši vaš vaša vaše njemu njoj njima nama vama
meni mene tebi tebe njega nje njih nas vas ostali ostale ostalo ostalih ovakvi takve
i a ali ili pa te ni niti no jer da ne već dok ako iako mada premda čim kao međutim ipak zato stoga
dakle naime inače takođe tako tada onda zatim potom posle pre nakon kasnije ranije sada danas juče
sutra sutradan još čak samo upravo evo eto nije nisu jeste jesu bilo bio bila bili biće treba može
mora ima nema postoji postoje prema osim uprkos zbog pored umesto tokom putem radi
u na za od do po sa s iz o k ka kod kroz uz bez pri pod nad pred među između iza ispod iznad oko
protiv preko
prvi prva prvo drugi druga drugo treći treća jedan jedna jedno jedini naravno verovatno vjerovatno
možda svakako zapravo uostalom konačno najzad ovde ovdje tamo tu ovako onako posebno pritom štaviše
prošle prošlog sledeće sledećeg sledeći sledeća naredne narednog ove ovih tih iste istog trenutno
nedavno uskoro odmah najpre prije poslije sljedeće sljedeći također
"""
# Words before an ordinal number ("na 15. Sajmu", "članom 54. Ustava", "održan je 4. Svetski
# kongres"): after them a number with a period does not end the sentence.
_SR_BEFORE_ORDINALS = """
sa s iz pred posle nakon tokom povodom uoči prilikom pre između čl st tač
član člana članu članom stav stava stavu stavom stavka stavak tačka tačke tački tačkom tačku alineja
alineje alineji odeljak odeljka odeljku paragraf paragrafa pasus pasusa članak članka točka točke točki
"""
# Prepositions before an ordinal or a cardinal: "na 15. Sajmu" (the next word inflected) is an
# ordinal, "porastao je na 12. Spasioci ..." (a nominative opens a sentence) a cardinal.
_SR_CASE_PREPOSITIONS = "na u o po pri do za od"
# Labels before a cardinal ("br. 12", "str. 45"): a period after that number is no ordinal's.
_SR_NUMBER_ABBREVIATIONS = "br str tel"
_SR_OBLIQUE = re.compile(r"\w+(?:u|om|em|oj|ji|im|ima|ama|og|oga|ih|у|ом|ем|ој|ји|им|има|ама|ог|ога|их)$",
                         re.IGNORECASE)
_SR_MONTHS = """
januar januara februar februara mart marta april aprila maj maja jun juna jul jula avgust avgusta
septembar septembra oktobar oktobra novembar novembra decembar decembra siječnja veljače ožujka
travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga studenog prosinca
"""
_SR_DATE_OPENERS = "dana na u od do posle nakon pre tokom krajem početkom sredinom zaključno"
# Auxiliaries between a participle and an ordinal: "otvoren je 65. Sajam knjiga".
_SR_AUXILIARIES = "je su se bio bila bilo bili biće"
# Endings of the adjectives that follow an ordinal in event and institution names
# ("4. Svetski kongres", "3. Beogradsku gimnaziju", "65. Međunarodnom sajmu").
_SR_PARTICIPLE = re.compile(r"\w{3,}(?:an|en|ana|ena|ano|eno|ani|eni|ан|ен|ана|ена|ано|ено|ани|ени)$")
_SR_ADJECTIVE = re.compile(
    r"\w{2,}(?:sk|čk|šk|n|ov|ev|in)(?:i|a|o|e|og|oga|om|omu|oj|u|ih|im|ima)$"
    r"|\w{2,}(?:ск|чк|шк|н|ов|ев|ин)(?:и|а|о|е|ог|ога|ом|ому|ој|у|их|им|има)$", re.IGNORECASE)

# Nouns followed by a one-letter name ("u grupi B.", "vitamina C."), so the letter is no initial.
_SR_LETTER_NOUNS = """
grup plan vitamin tip kategorij blok sektor zon faz opcij varijant ulaz prilog tačk klas hepatitis
model seri sprat pojas odeljenj razred slov
"""
# "i dr." (and others), "i sl." (and the like), "i tsl.": sentence-final before a capital
_AND_OTHERS = frozenset({"dr", "sl", "tsl", "др", "сл", "тсл"})

_EN_NEVER = """
mr mrs ms dr prof gen lt col maj capt cmdr adm brig sgt cpl pvt gov sen rep pres amb rev hon messrs
mme mlle msgr supt insp det fr vs v e.g i.e cf viz approx ca
"""
_EN_AMBIGUOUS = """
inc ltd co corp jr sr bros plc llc dept univ assn ave blvd rd st mt ft al a.m p.m u.s u.k u.n e.u d.c
n.y l.a ph.d esq jan feb mar apr jun jul aug sep sept oct nov dec est govt
"""
_EN_ALWAYS = "etc"
_EN_NUMBER_ABBREVIATIONS = "no nos art arts p pp vol vols ch fig figs sec para tel ext"
# Clock times: "8 p.m. Results are ..." ends a sentence before any capital except the words that
# go on stating the time ("4 p.m. Friday", "7 p.m. Eastern time", "9 a.m. GMT").
_EN_CLOCK_ABBREVIATIONS = "a.m p.m"
_EN_CLOCK_FOLLOWERS = """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
eastern central pacific mountain atlantic local et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc
bst cet cest eet eest
"""
# As _SR_STARTERS.
_EN_STARTERS = """
the a an this that these those it its he she they we i you his her their our my your there here
but and or so yet nor in on at by with from as after before since during when while if although
though because however meanwhile moreover furthermore also then now today yesterday tomorrow still
thus therefore instead indeed what who why how where which whose all some many most both each
every no not one two three other another such according despite under over through among between
without within against about around last next earlier later first second finally overall even only
just yes let please several few none neither either nothing everyone everything someone something
nobody there's it's that's he's she's we're they're i'm i've we've let's don't can't
"""

_EN_LETTER_NOUNS = """
group plan vitamin type category block sector zone phase option variant entrance annex point class
grade hepatitis model series section part appendix exhibit
"""

_ROMAN = re.compile(r"[IVXLCDM]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_YEAR_WORDS = frozenset({"in", "since", "until", "year", "u", "у", "godine", "године", "leta", "лета"})
# Capital unit symbols (ampere, volt, watt, kelvin, newton; Cyrillic ampere and volt) and the words that make the
# number before them a reference rather than a quantity ("tačka 3 A. Petrović", "page 5 A. Smith").
_UNIT_LETTERS = frozenset("AVWKNАВ")
_REFERENCE_WORDS = frozenset({"tačka", "tačke", "tačku", "тачка", "тачке", "тачку", "stav", "став", "član", "члан",
                              "strana", "strani", "страна", "страни", "page", "pages", "point", "section", "item",
                              "no", "number", "chapter", "article", "room"})
_INITIAL = re.compile(r"(?:[^\W\d_]|Lj|Nj|Dž|LJ|NJ|DŽ)\.")
_DIGRAPH_INITIALS = frozenset({"Lj", "Nj", "Dž", "LJ", "NJ", "DŽ"})  # "Dž. M. Kuci", "Lj. Simović"
# "d.o.o", "U.S", "Ph.D", "a.m": letter groups joined by periods (web domains are not)
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_DOMAIN = re.compile(r"[\w-]{2,}(?:\.[\w-]+)*\.(?:rs|srb|com|net|org|info|eu|me|ba|hr|io|gov|edu|co|uk"
                     r"|de|ru|fr|it|at|ch|int|mk|si|us)", re.IGNORECASE)


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


def _stems(stems: frozenset[str]) -> re.Pattern[str]:
    """Lower-case words beginning with one of the stems (any inflected form)."""
    return re.compile("|".join(sorted(stems, key=len, reverse=True)))


def _both_scripts(words: frozenset[str]) -> frozenset[str]:
    return words | {to_cyrillic(w) for w in words}


def _reldi_abbreviations(lang: str) -> dict[str, frozenset[str]]:
    """reldi-tokeniser's abbreviation list for `lang`: N (never ends a sentence), B and S."""
    import reldi_tokeniser

    path = Path(reldi_tokeniser.__file__).parent / f"{lang}.abbrev"
    kinds: dict[str, set[str]] = {"N": set(), "B": set(), "S": set()}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        pattern, kind = line.split("\t")[:2]
        if "[" in pattern or "(" in pattern or "\\b" in pattern:
            continue  # regexes (single letters, Roman numerals) are rules here
        kinds[kind].add(pattern.replace("\\.", ".").replace("\\'", "'").rstrip(".").lower())
    return {k: frozenset(v) for k, v in kinds.items()}


@dataclass(frozen=True)
class _Rules:
    """What the boundary rules know about one language; empty lists give the generic rules."""

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

    def starts_sentence(self, word: str) -> bool:
        return not self.starters or word.lower() in self.starters

    def is_abbreviation(self, lower: str) -> bool:
        return lower in self.never or lower in self.ambiguous or lower in self.always


@lru_cache(maxsize=None)
def _rules_for(family: str) -> _Rules:
    if family == "en":
        return _Rules(
            never=_words(_EN_NEVER), ambiguous=_words(_EN_AMBIGUOUS), always=_words(_EN_ALWAYS),
            number_abbreviations=_words(_EN_NUMBER_ABBREVIATIONS), starters=_words(_EN_STARTERS),
            clock_abbreviations=_words(_EN_CLOCK_ABBREVIATIONS),
            clock_followers=_words(_EN_CLOCK_FOLLOWERS),
            letter_nouns=_stems(_words(_EN_LETTER_NOUNS)))
    if family in ("sr", "hr", "bs"):
        reldi = _reldi_abbreviations("hr" if family == "hr" else "sr")
        always = _both_scripts(_words(_SR_ALWAYS))
        ambiguous = _both_scripts(_words(_SR_AMBIGUOUS))
        never = _both_scripts(_words(_SR_NEVER) | reldi["N"]) - ambiguous - always
        return _Rules(
            never=never, always=always,
            ambiguous=ambiguous | _both_scripts(reldi["B"] | reldi["S"]) - never - always,
            number_abbreviations=_both_scripts(_words(_SR_NUMBER_ABBREVIATIONS)),
            starters=_both_scripts(_words(_SR_STARTERS)),
            before_ordinals=_both_scripts(_words(_SR_BEFORE_ORDINALS)),
            ordinal_periods=True, adjective=_SR_ADJECTIVE, participle=_SR_PARTICIPLE,
            case_prepositions=_both_scripts(_words(_SR_CASE_PREPOSITIONS)), oblique=_SR_OBLIQUE,
            auxiliaries=_both_scripts(_words(_SR_AUXILIARIES)),
            months=_both_scripts(_words(_SR_MONTHS)),
            date_openers=_both_scripts(_words(_SR_DATE_OPENERS)),
            letter_nouns=_stems(_both_scripts(_words(_SR_LETTER_NOUNS))))
    if family in ("sl", "mk", "bg"):
        reldi = _reldi_abbreviations(family)
        return _Rules(never=reldi["N"], ambiguous=reldi["B"], always=reldi["S"], ordinal_periods=True)
    return _Rules()


# --- boundary decision --------------------------------------------------------------------------

def _strip_openers(token: str) -> str:
    return token.lstrip(_OPENERS)


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
    return text[start:end].lower().strip(_OPENERS + _CLOSERS + ",;:")


def _second_previous_word(text: str, word_start: int) -> str:
    """The word before _previous_word's: "str." for the "V" of "str. 5 V.", "održan" for "24" in "održan je 24."."""
    return _previous_word(text, text.rfind(" ", 0, word_start - 1) + 1)


def _unit_after_number(text: str, word_start: int, number: str, following_raw: str) -> bool:
    """Whether a capital unit letter after `number` ends its sentence ("od 16 A. Imajte") rather than being an
    initial: not before another initial ("1941 J. B. Tito"), not after a year ("In 2019 A. Smith"; but "snage
    2000 W. Grejač") and not after a reference such as "str. 5", "page 5" ("str. 5 V. Petrović")."""
    before_number = _second_previous_word(text, word_start)
    return not (_INITIAL.fullmatch(following_raw) or before_number.endswith(".") or before_number in _REFERENCE_WORDS
                or _YEAR.fullmatch(number) and before_number in _YEAR_WORDS)


def _is_boundary(text: str, match: re.Match[str], rules: _Rules, sentence_start: int) -> bool:
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
    if punct != "." or word_raw[-1] in _CLOSERS:
        return True  # a period by a quote or bracket: "dijaloga.“ Tako", "3.) Zatim", "RZS). ("
    word = _strip_openers(word_raw)
    if word_start == sentence_start and (word.isdigit() or _ROMAN.fullmatch(word)):
        return False  # "1. Uvod", "IV. Zaključak", "15. Sajam knjiga otvoren je ...": an ordinal
    lower = word.lower()
    is_abbreviation = rules.is_abbreviation(lower) or (
        _DOTTED_ABBREVIATION.fullmatch(word) is not None and not _DOMAIN.fullmatch(word))
    if not following[0].isalpha():
        # "10. 5. 2020.", "br. 5", "No. 5", "approx. $5", "(Rev. 123/2019)": a number, or an
        # abbreviation (a listed one, or a capitalised word of up to three letters) before a number
        return not (word[:1].isdigit() or is_abbreviation or lower in rules.number_abbreviations
                    or len(word) <= 3 and word[:1].isupper())
    next_word = following.rstrip(_TERMINALS + _CLOSERS + ",;:")
    before = _previous_word(text, word_start)
    if len(word) == 1 and word.islower() and _NUMBER.fullmatch(before):
        return True  # a unit after a number, not an initial: "u 3 č. Vatrogasci", "u 10 h. Ulaz"
    if word in _UNIT_LETTERS and _NUMBER.fullmatch(before) and _unit_after_number(text, word_start, before,
                                                                                  following_raw):
        return True  # "osiguračem od 16 A. Imajte", "napon od 230 V. Isključite"
    if rules.months and lower in rules.months and re.fullmatch(r"\d{1,2}\.", before):
        return True  # a date, not the abbreviation "jun.": "zakazan je za 21. jun. Očekuje se"
    if len(word) == 1 and word.isalpha() or word in _DIGRAPH_INITIALS:
        if _INITIAL.fullmatch(following_raw):
            return False  # "J. J. Zmaj": an initial before another initial
        if rules.letter_nouns and rules.letter_nouns.match(before):
            return True  # "u grupi B. Rivali su ...", "vitamin C. It ..."
        return rules.starts_sentence(next_word)  # "M. Petrović" vs "... fonda B. Ostali"
    if before in ("i", "и") and lower in _AND_OTHERS:
        return True  # "i dr.", "i sl." = "and others", "and the like"
    if is_abbreviation and "." not in word and _NUMBER.fullmatch(before) and not next_word.isupper():
        return True  # a unit after a number: "Knjiga ima 320 str. Cena ...", "5 mil. Od toga"
    if lower in rules.never:
        return False
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


def _date_opens_clause(text: str, year_start: int, rules: _Rules, sentence_start: int) -> bool:
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


def _ends_after_ordinal(text: str, word_start: int, next_word: str, rules: _Rules) -> bool:
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


def _split_by_rules(text: str, rules: _Rules) -> list[str]:
    view = text  # the same offsets, with a kept no-break space as a separator
    for space in _NO_BREAK_SPACES:
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


# --- pysbd --------------------------------------------------------------------------------------

_PYSBD_LANGUAGES = frozenset({
    "am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr",
    "my", "nl", "pl", "ru", "sk", "ur", "zh",
})


@lru_cache(maxsize=None)
def _pysbd_segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False)


def _split_by_pysbd(text: str, lang: str) -> list[str]:
    """pysbd's sentences, cut from `text` itself (by counting non-space characters) so that no
    character can be lost, changed or reordered whatever pysbd returns."""
    cuts = []
    end = 0
    for segment in _pysbd_segmenter(lang).segment(text):
        needed = sum(not c.isspace() for c in segment)
        while needed and end < len(text):
            needed -= not text[end].isspace()
            end += 1
        cuts.append(end)
    if cuts:
        cuts[-1] = len(text)  # whatever pysbd left out belongs to the last sentence
    starts = [0, *cuts[:-1]]
    return [piece for piece in (text[a:b].strip() for a, b in zip(starts, cuts)) if piece]


# --- public API ---------------------------------------------------------------------------------

def split_paragraph(paragraph: str, lang: str) -> list[str]:
    """The sentences of one paragraph.

    Each run of whitespace inside a sentence becomes one space (a lone no-break space is kept);
    otherwise the text is unchanged: no character is lost, added or reordered. See the module
    docstring for the language dispatch.
    """
    if any(space in paragraph for space in _NO_BREAK_SPACES):
        text = _WHITESPACE.sub(_normalize_space, paragraph.strip())
    else:
        text = " ".join(paragraph.split())
    if not text:
        return []
    family = primary_language(lang)  # Montenegrin (cnr) comes back as sr: Serbian's rules
    if family in ("en", "sr", "hr", "bs", "sl", "mk", "bg") or family not in _PYSBD_LANGUAGES:
        return _split_by_rules(text, _rules_for(family))
    return _split_by_pysbd(text, family)


# A line that opens a list item: a bullet, or "1." / "2)" / "a)" before a word. An en or em dash opens a line of
# dialogue ("– Da, rekao je.") only before a capital: in wrapped text it may be a parenthetical dash.
_BULLET_LINE = re.compile(r"[-•·*▪◦‣]\s")
_DASH_LINE = re.compile(r"[–—]\s+[„“\"'(«]?[^\W\d_]")
_NUMBERED_LINE = re.compile(r"(?:\d{1,2}[.)]|[^\W\d_][)])\s+[„“\"'(«]?[^\W\d_]")
HEADING_SHARE = 0.6  # a line without final punctuation shorter than this share of the paragraph's longest


def _starts_block(previous: str, line: str, following: str, longest: int) -> bool:
    """Whether a line break inside a paragraph ends a segment whatever the sentence rules say: before a list
    item, or after a heading (a line without final punctuation, short beside the paragraph's longest line).
    A numbered line is an item after a line ending in punctuation, or inside a run of numbered lines (a list);
    alone after an unfinished line it is more likely a wrapped date or number ("u\n15. marta")."""
    previous_end = previous.rstrip(_CLOSERS)[-1:]
    if _BULLET_LINE.match(line):
        return True
    dash = _DASH_LINE.match(line)
    if dash and (line[dash.end() - 1].isupper() or previous_end in _TERMINALS + ":;"):
        return True
    numbered = _NUMBERED_LINE.match(line)
    if numbered and (previous_end in _TERMINALS + ":;" and line[numbered.end() - 1].isupper()
                     or previous_end == ":" or _NUMBERED_LINE.match(previous) or _NUMBERED_LINE.match(following)):
        return True
    starts_like_a_sentence = line[0].isupper() or line[0].isdigit() or line[0] in _OPENERS
    return (previous_end not in _TERMINALS + ":;," and starts_like_a_sentence
            and len(previous) < HEADING_SHARE * longest)


def line_blocks(paragraph: str) -> list[str]:
    """A paragraph's lines joined into blocks that the sentence rules then split.

    A line break is a space (text hard-wrapped at a fixed width) except before a list item and after a
    heading: text exported from Word or a PDF often has one paragraph per line and no blank lines, where
    "Uvod" or "- prva stavka" would otherwise run into the next sentence.
    """
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if len(lines) <= 1:
        return lines
    longest = max(map(len, lines))
    blocks = [lines[0]]
    for previous, line, following in zip(lines, lines[1:], [*lines[2:], ""]):
        if _starts_block(previous, line, following, longest):
            blocks.append(line)
        else:
            blocks[-1] += "\n" + line
    return blocks


def split_document(text: str, lang: str) -> list[Sentence]:
    """All sentences of a document, numbered 0..n-1; a paragraph boundary always ends a sentence, and so does a
    line break before a list item or after a heading (line_blocks)."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(split_paragraphs(text)):
        for block in line_blocks(paragraph):
            for sentence in split_paragraph(block, lang):
                sentences.append(Sentence(sentence, len(sentences), number))
    return sentences


def sentence_lines(sentences: list[Sentence]) -> str:
    """One sentence per line, an empty line between paragraphs: what presplit_document reads back."""
    lines: list[str] = []
    for previous, sentence in zip([None, *sentences], sentences):
        if previous is not None and previous.paragraph != sentence.paragraph:
            lines.append("")
        lines.append(sentence.text)
    return "\n".join(lines) + "\n" if lines else ""


def presplit_document(text: str) -> list[Sentence]:
    """A pre-split file: one sentence per non-empty line, taken as given (surrounding whitespace
    stripped); blank lines separate paragraphs and are not sentences."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(split_paragraphs(text)):
        for line in paragraph.split("\n"):
            if line.strip():
                sentences.append(Sentence(line.strip(), len(sentences), number))
    return sentences
