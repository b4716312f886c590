"""Serbian script: detect Latin / Cyrillic / mixed, and convert between the two scripts.

Why the mapping is written here rather than taken from PyPI: the packages on offer were checked
(srtools 0.1.13, cyrtranslit 1.2.0, serbian-translit 0.4.3). srtools and cyrtranslit turn the
n+j / d+ž words into single letters (injekcija -> ињекција, nadživeti -> наџивети) and cyrtranslit
also gets all-caps digraphs wrong; serbian-translit has the same exception bug, converts acronyms
such as IBM, and leaves everything inside quotation marks in Latin, which is wrong for the
quoted speech of an interview. The letter table itself is a short fixed list; the rules around it
are what matters and are below.

Latin -> Cyrillic (`to_cyrillic`) leaves alone:
- URLs, web domains, e-mail addresses, @handles, file names (setup.exe), identifiers with an underscore
  (report_final.docx) and keyboard shortcuts (Ctrl+C);
- words with a letter outside the Serbian alphabets (q, w, x, y, é, ü, ...: foreign names such
  as Washington or Müller), camel-case words (iPhone, YouTube, McDonald), a short list of
  international acronyms conventionally kept in Latin (`LATIN_ACRONYMS`: BBC, CNN, IBM, EUR, HTTPS, ...),
  international brands in English spelling (`_LATIN_BRANDS`: Facebook, Google, ..., with a case ending) and
  any word the caller passes in `keep`; a hyphenated compound with such a part stays whole (Wi-Fi), except a
  case ending after an acronym (HTTPS-а);
- Roman numerals of two or more letters (XIV, XXI) and single-letter ones where the context says
  numeral: "V" unless it is an initial ("V. Petrović"); "I" inside a sentence ("Petar I",
  "u I kvartalu"), while "I" opening a sentence is the conjunction; in all-caps text I, MI, VI,
  LI are words (conjunction, pronouns, particle) and are converted.
Digraphs: lj, nj, dž become љ, њ, џ in every case form (lj, Lj, LJ), except in the words where
the two letters belong to different morphemes (`_SPLIT_STEMS`: injekcija, konjugacija,
konjunktura, Tanjug, vanjezički, nadživeti, podžanr, predželudac, odžaliti, ... with all their
inflected forms, matched as stems).

Cyrillic -> Latin (`to_latin`) gives Љ/Њ/Џ as LJ/NJ/DŽ inside an all-caps word and Lj/Nj/Dž
otherwise; a one-letter word takes the case of its neighbouring words. Words with Cyrillic
letters that Serbian does not use (Russian ы, щ, я, ...) are left alone.

Latin -> Cyrillic -> Latin gives back the original Serbian Latin text (tested on arbitrary text
with hypothesis). The one ambiguity is a word made of a single upper-case digraph ("NJ" and "Nj"
both become "Њ"), resolved by the neighbouring words.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The Serbian script of an output: as found, converted to one script, or one file per script.
SCRIPT_CHOICES = ("keep", "latn", "cyrl", "both")

_LAT2CYR_LOWER = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф",
    "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
_DIGRAPH2CYR_LOWER = {"lj": "љ", "nj": "њ", "dž": "џ"}

LAT2CYR = {**_LAT2CYR_LOWER, **{k.upper(): v.upper() for k, v in _LAT2CYR_LOWER.items()}}
CYR2LAT = {v: k for k, v in LAT2CYR.items()}
for _lat, _cyr in _DIGRAPH2CYR_LOWER.items():
    CYR2LAT[_cyr] = _lat
    CYR2LAT[_cyr.upper()] = _lat.capitalize()  # title form; all-caps decided in context

SERBIAN_LATIN_LETTERS = frozenset(LAT2CYR)
SERBIAN_CYRILLIC_LETTERS = frozenset(CYR2LAT)
_SERBIAN_WORD_CHARS = SERBIAN_LATIN_LETTERS | SERBIAN_CYRILLIC_LETTERS | frozenset("'’")

# International acronyms Serbian Cyrillic text conventionally keeps in Latin; Serbian and
# adapted acronyms (RZS, MUP, NATO, EU) are converted like words.
LATIN_ACRONYMS = frozenset({
    "BBC", "CNN", "HBO", "MTV", "IBM", "BMW", "PDF", "HTML", "CSS", "URL", "GPS", "USB", "CD",
    "DVD", "LED", "SUV", "AC", "DC", "HD", "PC", "DJ", "OK",
    # NATO programmes named by English acronyms; the Serbian MoD's Cyrillic pages keep them in Latin
    "OCC", "DEEP",
    # protocols, currency codes and the English acronym that letter-by-letter would misspell (ЦОВИД for КОВИД)
    "HTTP", "HTTPS", "FTP", "EUR", "USD", "GBP", "CHF", "RSD", "COVID",
    # file formats and programming terms: written so in Cyrillic text about computing
    "JSON", "YAML", "SQL", "PHP", "SSL", "TLS", "SSH", "DNS", "VPN", "RAM", "CPU", "GPU",
})
# International brands written in English spelling, which letter-by-letter conversion would misspell
# (Фацебоок): kept in Latin with any Serbian case ending (Facebooku, Googlea).
_LATIN_BRANDS = re.compile(r"(?:Facebook|Google|Microsoft|Twitter|Instagram|Apple|Amazon|Netflix|Spotify|Office"
                           r"|Excel|Outlook|Chrome|Firefox|Android|Adobe|Photoshop|Oracle|Cisco|Intel)[a-zšđčćž]*")

# n+j and d+ž that are two letters: "|" marks the morpheme boundary, "^" anchors the stem to the
# start of the word. Stems, so every inflected form is covered (injekcija, injekcijom, ...).
_SPLIT_STEMS = (
    "^in|jek", "^in|jic", "^in|junk", "kon|jug", "kon|junk", "kon|jekt", "van|jezi", "^van|jugo",
    "^tan|jug", "nad|živ", "nad|žnj", "nad|žanj", "^od|žal", "^od|živ", "pod|žanr", "pod|želu",
    "pred|želu", "^pod|žup", "^pred|žet",
)


def _compile_split_stems(stems: Iterable[str]) -> list[tuple[re.Pattern[str], int]]:
    compiled = []
    for stem in stems:
        anchored = stem.startswith("^")
        stem = stem.lstrip("^")
        cut = stem.index("|")
        body = stem.replace("|", "")
        compiled.append((re.compile(("^" if anchored else "") + re.escape(body)), cut))
    return compiled


_SPLIT_PATTERNS = _compile_split_stems(_SPLIT_STEMS)

_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_OR_WORD = frozenset({"MI", "VI", "LI", "DI", "MIL"})  # Roman-shaped Serbian words

# Spans never converted, tried before words at each position.
_PROTECTED = (
    r"(?:https?|ftp)://[^\s<>\"“”„«»]+"
    r"|www\.[^\s<>\"“”„«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@\w+"
    r"|(?i:ctrl|alt|shift|cmd|fn|win)(?:\+\w+)+"  # keyboard shortcuts: Ctrl+C, Ctrl+Shift+S
    r"|[\w.-]*_[\w.-]*"  # identifiers and file names with an underscore: report_final.docx, max_align
    r"|\b[\w-]+\.(?:docx?|xlsx?|pptx?|odt|ods|pdf|txt|csv|tsv|zip|rar|7z|gz|tar|png|jpe?g|gif|svg|webp|mp[34]"
    r"|wav|avi|mov|mkv|iso|exe|msi|dll|apk|json|xml|tmx|ya?ml|ini|cfg|conf|log|md|html?|css|py|js|ts|java|sh"
    r"|bat|sql|db)\b"  # file names
    r"|(?<![\w/\\])(?:[A-Za-z]:)?[\\/](?:[\w.-]+[\\/])*[\w.-]+"  # paths: /home/marko/projekat, C:\Users\Marko
    r"|(?<!\S)--?[A-Za-z][\w-]*"  # command-line options: --help, -v
    r"|\bv\d+(?:\.\d+)+\b"  # versions: v2.3.1
    r"|\b(?:[A-Za-z0-9-]+\.)+(?:rs|srb|com|net|org|info|eu|me|ba|hr|io|gov|edu|co|uk|de|ru|fr|it"
    r"|at|ch|int|mk|si|ly)\b(?:/[^\s<>\"“”„«»]*)?"
)
_WORD = r"(?:[^\W\d_]|[\u0300-\u036f])+(?:['’](?:[^\W\d_]|[\u0300-\u036f])+)*"
_TOKEN = re.compile(f"(?P<protected>{_PROTECTED})|(?P<word>{_WORD})")

_SENTENCE_START_CHARS = frozenset(".!?…:;\"'„“”«»‘’–—-(")

_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")
MIXED_MIN_SHARE = 1 / 3


def serbian_words_by_script(text: str) -> dict[str, int]:
    """How many words of each script a Serbian text has, leaving out acronyms (NATO is often kept in Latin in
    Cyrillic text), the words to_cyrillic keeps in Latin (foreign names, brands) and URLs: {"Latn": n, "Cyrl": m}."""
    counts = {"Latn": 0, "Cyrl": 0}
    for m in _TOKEN.finditer(text):
        word = m.group("word")
        if word and not word.isupper() and not _keeps_latin(word, frozenset()):
            counts["Cyrl" if _CYRILLIC_LETTER.match(word) else "Latn"] += 1
    return counts


def detect_script(text: str) -> str | None:
    """"Latn", "Cyrl", "mixed", or None when the text has no Latin or Cyrillic letters.

    URLs, domains, e-mail addresses and the words to_cyrillic keeps in Latin (foreign names, brands, kept
    acronyms) are not counted: they are written so in either script. "mixed" means the smaller script holds at
    least a third of the letters: "Бренд Facebook и YouTube" is "Cyrl".
    """
    counted = _TOKEN.sub(lambda m: "" if m.group("protected") or _keeps_latin(m.group(0), frozenset())
                         else m.group(0), text)
    latin = len(_LATIN_LETTER.findall(counted))
    cyrillic = len(_CYRILLIC_LETTER.findall(counted))
    total = latin + cyrillic
    if total == 0:
        return None
    if min(latin, cyrillic) >= MIXED_MIN_SHARE * total:
        return "mixed"
    return "Latn" if latin > cyrillic else "Cyrl"


def _is_all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_camel_case(word: str) -> bool:
    return any(b.isupper() and a.islower() for a, b in zip(word, word[1:]))


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_START_CHARS


def _neighbour_words(words: list[re.Match[str]], i: int) -> tuple[str, str]:
    prev = words[i - 1].group(0) if i > 0 else ""
    nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
    return prev, nxt


def _in_all_caps_context(words: list[re.Match[str]], i: int) -> bool:
    """Whether the nearest word of two or more letters (before, else after) is all capitals."""
    for j in [*range(i - 1, -1, -1), *range(i + 1, len(words))]:
        word = words[j].group(0)
        if sum(c.isalpha() for c in word) >= 2:
            return _is_all_caps(word)
    return False


def _is_roman_numeral(word: str, text: str, match: re.Match[str], prev: str, nxt: str) -> bool:
    if not word or not word.isupper() or not _ROMAN.fullmatch(word):
        return False
    in_caps_text = _is_all_caps(prev) or _is_all_caps(nxt)
    if word in _ROMAN_OR_WORD:
        return not in_caps_text
    if len(word) >= 2:
        return True
    if re.match(r"\.\s*[A-ZČĆŠŽĐ]", text[match.end():match.end() + 3]):
        return False  # "V. Petrović", "I. Andrić": an initial
    if word == "V":
        # "230 V": volts, not a numeral; "15 V 2020" is a date with the month in Roman numerals
        return not (re.search(r"\d\s?$", text[max(match.start() - 2, 0):match.start()])
                    and not re.match(r"\s*\d", text[match.end():match.end() + 2]))
    if word == "I":
        # "Petar I", "u I kvartalu": inside a sentence a capital I is no conjunction
        return not in_caps_text and not _at_sentence_start(text, match.start())
    return False  # L, C, D, M alone are far more often initials


def _split_points(lower_word: str) -> set[int]:
    """Indices i where word[i-1:i+1] is n+j / d+ž that must stay two letters."""
    points: set[int] = set()
    if "nj" not in lower_word and "dž" not in lower_word:
        return points
    for pattern, cut in _SPLIT_PATTERNS:
        for found in pattern.finditer(lower_word):
            points.add(found.start() + cut)
    return points


def _word_to_cyrillic(word: str) -> str:
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    lower = word.lower()
    splits = _split_points(lower)
    out = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if (len(pair) == 2 and pair.lower() in _DIGRAPH2CYR_LOWER and i + 1 not in splits
                and not (pair[0].islower() and pair[1].isupper())):
            cyr = _DIGRAPH2CYR_LOWER[pair.lower()]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        out.append(LAT2CYR.get(word[i], word[i]))
        i += 1
    return "".join(out)


def _keeps_latin(word: str, keep: frozenset[str]) -> bool:
    if word in keep or word in LATIN_ACRONYMS or _is_camel_case(word) or _LATIN_BRANDS.fullmatch(word):
        return True
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    return not _SERBIAN_WORD_CHARS.issuperset(word)


def _is_case_ending(word: str, before: str) -> bool:
    """A Serbian case ending hyphenated to a word kept in Latin: HTTPS-а, YouTube-у, PayPal-ом."""
    return len(word) <= 3 and word.islower() and (before[:1].isupper() or _is_camel_case(before))


def to_cyrillic(text: str, keep: Iterable[str] = ()) -> str:
    """Serbian Latin -> Cyrillic; see the module docstring for what is left in Latin.

    `keep`: extra words (foreign names, brands) to leave exactly as they are.
    """
    keep_set = frozenset(keep)
    tokens = list(_TOKEN.finditer(text))
    words = [m for m in tokens if m.group("word")]
    position = {m.start(): i for i, m in enumerate(words)}
    kept = {i for i, m in enumerate(words) if _keeps_latin(m.group(0), keep_set)}
    # a hyphenated compound stays whole in one script (Wi-Fi, not Wi-Фи), but a case ending after an acronym is
    # Serbian: HTTPS-а, USB-ом
    compound: list[int] = []
    for i in range(len(words) + 1):
        if compound and (i == len(words) or text[words[i - 1].end():words[i].start()] != "-"):
            if kept.intersection(compound):
                kept.update(k for k in compound
                            if k == compound[0] or not _is_case_ending(words[k].group(0), words[k - 1].group(0)))
            compound = []
        if i < len(words):
            compound.append(i)
    out = []
    last = 0
    for m in tokens:
        out.append(text[last:m.start()])
        last = m.end()
        token = m.group(0)
        if m.group("protected") or position.get(m.start()) in kept:
            out.append(token)
            continue
        prev, nxt = _neighbour_words(words, position[m.start()])
        if _is_roman_numeral(token, text, m, prev, nxt):
            out.append(token)
        else:
            out.append(_word_to_cyrillic(token))
    out.append(text[last:])
    return "".join(out)


_DIGRAPH_CYR_UPPER = frozenset("ЉЊЏ")


def _word_to_latin(word: str, caps_context: bool) -> str:
    if any(_CYRILLIC_LETTER.match(c) and c not in SERBIAN_CYRILLIC_LETTERS for c in word):
        return word  # Russian, Ukrainian, ... : not ours to transliterate
    letters = sum(c.isalpha() for c in word)
    out = []
    for i, c in enumerate(word):
        lat = CYR2LAT.get(c, c)
        if c in _DIGRAPH_CYR_UPPER:
            after = word[i + 1] if i + 1 < len(word) else ""
            before = word[i - 1] if i > 0 else ""
            if after.isalpha():
                upper = after.isupper()
            elif before.isalpha():
                upper = before.isupper()
            else:
                upper = letters == 1 and caps_context
            if upper:
                lat = lat.upper()
        out.append(lat)
    return "".join(out)


def to_latin(text: str) -> str:
    """Serbian Cyrillic -> Latin; Latin text, URLs and non-Serbian Cyrillic words are left alone."""
    tokens = list(_TOKEN.finditer(text))
    words = [m for m in tokens if m.group("word")]
    out = []
    last = 0
    for i, m in enumerate(words):
        out.append(text[last:m.start()])
        last = m.end()
        token = m.group(0)
        if _CYRILLIC_LETTER.search(token):
            single = sum(ch.isalpha() for ch in token) == 1
            out.append(_word_to_latin(token, single and _in_all_caps_context(words, i)))
        else:
            out.append(token)
    out.append(text[last:])
    return "".join(out)


# Conversion to one Serbian script and the tag it gives, for the "latn" and "cyrl" of SCRIPT_CHOICES.
CONVERSIONS = {"latn": (to_latin, "sr-Latn"), "cyrl": (to_cyrillic, "sr-Cyrl")}
