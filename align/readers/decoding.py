"""Decoding the bytes of a text (plain text, HTML, subtitles): whatever encoding people have.

The order of decisions:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. NUL bytes without a BOM mean a binary file (so UTF-16 must carry its BOM, as Notepad and Word write it);
3. bytes that are valid UTF-8 are UTF-8 (legacy 8-bit text is almost never valid UTF-8 by accident);
4. Serbian in an 8-bit code page: Serbian's code pages (align.languages.sr: windows-1250 / ISO-8859-2 for Latin,
   windows-1251 / ISO-8859-5 for Cyrillic) are tried, and the decoding whose words read as Serbian wins (see
   `language_decoding`);
5. text that is mostly valid UTF-8 with a few stray bytes (pasted from an 8-bit source), which no single
   decoding reads right, is an error naming the first stray byte;
6. windows-1252 when its non-ASCII characters are punctuation or accents inside mostly-ASCII words
   (`western_decoding`);
7. anything else is left to charset-normalizer.

Step 4 exists because charset-normalizer alone often picks a neighbouring code page for Serbian (cp1252,
mac_latin2, cp852 or iso8859_10 instead of the Central European page; mac_cyrillic instead of windows-1251): those
pages differ in a handful of letters, and its language models do not weigh š/ž against ą/ľ. On the samples of
bench/bench_encodings.py it decodes 271 of 320 Serbian texts exactly (35 of 78 in ISO-8859-2); this stage, 320.

Limits (where the bytes are ambiguous): Serbian Cyrillic without any of к л м н о п in lower case (in practice
a few words, or capitals only) can read as Serbian in both ISO-8859-5 and windows-1251, and is then taken as
windows-1251; 8-bit text whose bytes happen to be valid UTF-8 ("Ćša" in windows-1250) is read as UTF-8.
windows-1250 and ISO-8859-2 differ only in š ž Š Ž (and some punctuation), so text without them decodes the same
either way. Other languages in 8-bit code pages are charset-normalizer's call; short texts can come out wrong
(a Polish sentence in ISO-8859-2, Russian in KOI8-R).

Line ends become "\\n", form feeds and vertical tabs line breaks, U+2028/U+2029 line and paragraph breaks, and
the text is put in Unicode NFC (the form TMX consumers expect). Other control characters cannot be carried by
TMX (XML 1.0) and mark a binary file.
"""
from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from ..errors import AlignError, AlignUsageError
from ..languages import known_languages

BOMS = (  # UTF-32 first: its little-endian BOM begins with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

LANGUAGE_FIT = 0.9  # share of non-ASCII words that must read as the language for step 4 to decide

WORD = re.compile(r"[^\W\d_]+")
# C0 controls other than tab and newline, DEL and C1 controls: not text, and not allowed in TMX.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_bytes(path: str | os.PathLike) -> bytes:
    """A file's bytes; a missing file is a usage error (a wrong path on the command line), an empty one an error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except OSError as exc:
        raise AlignError(f"cannot read: {exc.strerror}", path) from exc
    if not data:
        raise AlignError("empty file", path)
    return data


def decode_bytes(data: bytes, path: str | os.PathLike | None = None) -> str:
    """Decode a text file's bytes (see the module docstring) and normalize line ends and Unicode form."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return normalize(data.decode(codec), path)
            except UnicodeDecodeError as exc:
                raise AlignError(f"undecodable: not valid {codec.upper().removesuffix('-SIG')} "
                                 f"despite its byte-order mark (byte {exc.start})", path) from exc
    if b"\x00" in data:
        if looks_like_utf16_without_bom(data):
            raise AlignError("binary file (contains NUL bytes), not text; if it is UTF-16, it lacks its byte-order "
                             "mark: save it as UTF-8, or UTF-16 with a BOM", path)
        raise AlignError("binary file (contains NUL bytes), not text", path)
    try:
        return normalize(data.decode("utf-8"), path)
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    text = language_decoding(data)
    if text is None and mostly_utf8(data):
        line = data.count(b"\n", 0, not_utf8) + 1
        raise AlignError(f"undecodable: UTF-8 text with a byte that is not UTF-8 (0x{data[not_utf8]:02X} on line "
                         f"{line}, byte {not_utf8}); mixed encodings, re-save the file as UTF-8", path)
    text = text or western_decoding(data)
    if text is None:
        match = charset_normalizer.from_bytes(data).best()
        if match is None:
            raise AlignError("undecodable: not UTF-8, UTF-16 or a known 8-bit encoding", path)
        text = str(match)
    return normalize(text, path)


def looks_like_utf16_without_bom(data: bytes) -> bool:
    """Most byte pairs are an ASCII character and a NUL, in either order: Latin-script UTF-16 without its BOM."""
    pairs = [data[k:k + 2] for k in range(0, len(data) - 1, 2)]
    text_byte = set(range(0x20, 0x7F)) | {9, 10, 13}
    for ascii_at in (0, 1):
        if sum(p[1 - ascii_at] == 0 and p[ascii_at] in text_byte for p in pairs) >= 0.8 * len(pairs):
            return True
    return False


def mostly_utf8(data: bytes) -> bool:
    """Whether most of the non-ASCII characters form valid UTF-8: text pasted together from two encodings, which no
    single decoding reads right (8-bit text yields a valid UTF-8 sequence only by the odd accident: "Ćš")."""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(1 for c in text if "\udc80" <= c <= "\udcff")
    return sum(1 for c in text if c > "\x7f") - stray > stray


def language_decoding(data: bytes) -> str | None:
    """The decoding under which the text reads as one of our languages with 8-bit code pages (Serbian), if one
    does; None otherwise.

    Each such language's code pages are tried; a word (a run of letters) holding non-ASCII letters votes for a
    decoding when the language's module says it can be its own (Serbian: align.languages.sr.reads_as_serbian).
    A wrong code page turns š into ą or ¹, Cyrillic into mixed-case or Russian-only letters, or yields C1
    control characters, and so fails. Among decodings where at least 90% of such words read as the language,
    the one with the higher share wins, then the one with more letters in such words, then the earlier code
    page (each language lists its most common pages first).
    """
    best: tuple[tuple[float, int], str] | None = None
    for spoken in known_languages():
        if not (spoken.codepages and spoken.reads_word):
            continue
        for codepage in spoken.codepages:
            try:
                text = data.decode(codepage)
            except UnicodeDecodeError:
                continue
            if CONTROL.search(text):
                continue
            words = voting_words(text)
            if not words:
                continue  # here the non-ASCII bytes are punctuation: nothing to go by
            own = [w for w in words if spoken.reads_word(w)]
            rank = (len(own) / len(words), sum(map(len, own)))
            if rank[0] >= LANGUAGE_FIT and (best is None or rank > best[0]):
                best = (rank, text)
    return best[1] if best else None


def voting_words(text: str) -> list[str]:
    """The non-ASCII words that tell a code page: a lone capital only as an initial ("Е. Петровић"), since a lone
    capital is as often a sign read in the wrong code page (windows-1250's "50 €" and "£45" are "50 Ђ" and
    "Ј45" in windows-1251)."""
    return [m.group() for m in WORD.finditer(text) if not m.group().isascii()
            and not (len(m.group()) == 1 and m.group().isupper() and text[m.end():m.end() + 1] != ".")]


def western_decoding(data: bytes) -> str | None:
    """windows-1252 when its non-ASCII characters are punctuation (curly quotes, dashes, €, no-break spaces) or
    accented letters inside mostly-ASCII words of a plausible case (café, naïve, Zürich).

    With punctuation only, the Windows code pages give the same text, yet charset-normalizer sometimes picks a
    Baltic or Mac page (measured on the English interview); with accents it picked cp1257 for English text
    (café -> cafķ). Cyrillic read as windows-1252 yields words of accented letters only, and fails here.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if CONTROL.search(text):
        return None
    words = [w for w in WORD.findall(text) if not w.isascii()]
    plausible = [w for w in words if (w.islower() or w.isupper() or w.istitle())
                 and (len(w) == 1 or 2 * sum(c.isascii() for c in w) >= len(w))]
    return text if len(plausible) >= LANGUAGE_FIT * len(words) else None


def normalize(text: str, path: str | os.PathLike | None) -> str:
    """One line-end convention, NFC, and no control characters (a trailing DOS end-of-file mark is dropped)."""
    text = text.removeprefix("\ufeff").removesuffix("\x1a")
    text = re.sub(r"\r\n?|[\x0b\x0c\x85\u2028]", "\n", text).replace("\u2029", "\n\n")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise AlignError(f"binary or undecodable: control character U+{ord(bad.group()):04X} on line {line}",
                         path)
    return unicodedata.normalize("NFC", text)
