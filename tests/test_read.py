"""Read stage: encodings, line ends, HTML article extraction and XML safety, on real files."""
from __future__ import annotations

import importlib.util
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from align.errors import AlignError, AlignUsageError
from align.readers import read_text
from align.readers.decoding import decode_bytes
from align.readers.html import html_paragraphs, is_utf8

INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
_spec = importlib.util.spec_from_file_location("make_inputs", INPUTS / "make_inputs.py")
make_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_inputs)

CHROME = ("Portal", "News", "Sport", "Most read", "Another story", "Comment", "Send", "Tags", "All rights",
          "not text", "track", "margin")


def test_committed_inputs_are_what_make_inputs_writes():
    for name, data in make_inputs.files().items():
        assert (INPUTS / name).read_bytes() == data, f"{name} is stale: run tests/data/inputs/make_inputs.py"


@pytest.mark.parametrize("name", sorted(make_inputs.ENCODED))
def test_each_encoding_and_line_end_reads_back_the_text(name):
    document, side, _, _ = make_inputs.ENCODED[name]
    path = INPUTS / "encodings" / name
    assert decode_bytes(path.read_bytes(), path) == make_inputs.text_of(make_inputs.DOCUMENTS[document][side])
    assert read_text(path) == make_inputs.text_of(make_inputs.DOCUMENTS[document][side]).strip()


@pytest.mark.parametrize("name, side", [("article.sr-Latn.html", "sr-Latn"),
                                        ("article.sr-Cyrl.windows-1251.htm", "sr-Cyrl"),
                                        ("article-saved-as.txt", "sr-Latn")])
def test_html_page_gives_the_article_paragraphs_only(name, side):
    text = read_text(INPUTS / "html" / name)
    assert text.split("\n\n") == [make_inputs.HTML_TITLES[side], *make_inputs.harbour_paragraphs(side)]
    assert not [word for word in CHROME if word in text]


def test_html_without_article_drops_page_chrome_and_splits_blocks():
    page = """<html><body><header><p>Site name</p></header><nav><a>Home</a></nav>
    <h2>Title</h2><p>First <b>bold</b>\n   line.<br>Same paragraph.</p><p>A<br><br>B</p>
    <ul><li><p>Item one.</p></li><li>Item <i>two</i>.</li></ul><blockquote>Quoted.</blockquote>
    <div>Loose text <span>in a div</span><p>and a nested paragraph</p> and its tail.</div>
    <p hidden>Hidden.</p><aside>Aside.</aside><footer>Footer.</footer></body></html>"""
    assert [p.text for p in html_paragraphs(page)] == ["Title", "First bold line. Same paragraph.", "A", "B", "Item one.",
                                     "Item two.", "Quoted.", "Loose text in a div", "and a nested paragraph",
                                     "and its tail."]


def test_html_prefers_main_when_there_is_no_article():
    page = "<body><p>Teaser.</p><main><header><h1>Title</h1></header><p>Body.</p></main><p>Outside.</p></body>"
    assert [p.text for p in html_paragraphs(page)] == ["Title", "Body."]


def test_html_meta_charset_is_used_and_a_wrong_one_is_overruled(tmp_path):
    body = "<p>Đorđe Šimić iz Čačka je žurno došao.</p><p>Žena je kupila šešir.</p>"
    declared = tmp_path / "declared.html"
    declared.write_bytes(f'<meta charset="iso-8859-2">{body}'.encode("iso8859_2"))
    wrong = tmp_path / "wrong.html"  # says UTF-8, is windows-1250: detection decides
    wrong.write_bytes(f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">{body}'
                      .encode("cp1250"))
    latin1 = tmp_path / "latin1.html"  # HTML reads an ISO-8859-1 label as windows-1252
    latin1.write_bytes('<meta charset="ISO-8859-1"><p>“Quoted” – café</p>'.encode("cp1252"))
    expected = "Đorđe Šimić iz Čačka je žurno došao.\n\nŽena je kupila šešir."
    assert read_text(declared) == expected
    assert read_text(wrong) == expected
    assert read_text(latin1) == "“Quoted” – café"


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    '<!DOCTYPE html [<!ENTITY % remote SYSTEM "file://{secret}"> %remote;]>',
    '<!DOCTYPE html SYSTEM "file://{secret}">',
])
def test_external_entities_leak_nothing(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-1234")
    page = tmp_path / "page.xhtml"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + doctype.format(secret=secret)
                    + '\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Before &xxe; after.</p>'
                    '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{}"/></body></html>'
                    .format(secret))
    text = read_text(page)
    assert "TOP-SECRET" not in text
    assert text == "Before &xxe; after."


def test_billion_laughs_is_read_fast_without_expansion():
    started = time.perf_counter()
    text = read_text(INPUTS / "html" / "billion-laughs.xhtml")
    assert time.perf_counter() - started < 1.0
    assert text == "Laughs: &lol9;"


@pytest.mark.parametrize("name, error, message", [
    ("empty.txt", AlignError, "empty file"),
    ("whitespace.txt", AlignError, "contains only whitespace"),
    ("binary.txt", AlignError, "binary file (contains NUL bytes)"),
    ("undecodable.txt", AlignError, "undecodable"),
    ("control-characters.txt", AlignError, "control character U+0007 on line 1"),
    ("mixed-encodings.txt", AlignError, "UTF-8 text with a byte that is not UTF-8 (0x96 on line 3, byte 56)"),
    ("empty-article.html", AlignError, "no article text found"),
    ("missing.txt", AlignUsageError, "cannot read: No such file or directory"),
])
def test_bad_inputs_raise_one_line_naming_the_file(name, error, message):
    path = INPUTS / "bad" / name
    with pytest.raises(error) as caught:
        read_text(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_directory_is_a_usage_error():
    with pytest.raises(AlignUsageError, match="cannot read: Is a directory"):
        read_text(INPUTS)


def test_dos_end_of_file_mark_form_feeds_and_unicode_separators():
    assert decode_bytes(b"one\x0ctwo\r\nthree\x1a") == "one\ntwo\nthree"
    assert decode_bytes("a\u2028b\u2029c".encode()) == "a\nb\n\nc"
    assert decode_bytes("c\u030cas".encode()) == "čas"  # decomposed input comes out NFC


# --- properties ----------------------------------------------------------------------------------------

# Any text a TMX can carry: no C0/C1 controls but tab and newline (the others are the binary-file signal, and
# \r, \f, \v, U+0085, U+2028/9 are line breaks by definition). A leading U+FEFF would be a BOM and a leading
# "<" may be an HTML page: both have their own rules, tested above.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=(
    [chr(c) for c in range(0x20) if c not in (9, 10)] + [chr(c) for c in range(0x7f, 0xa0)]
    + ["\u2028", "\u2029"])), min_size=1).filter(lambda t: t.strip() and not t.lstrip().startswith(("<", "\ufeff")))


@settings(max_examples=150, deadline=None)
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32"]))
def test_any_text_round_trips_through_the_unicode_encodings(tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("rt") / "doc.txt"
    path.write_bytes(make_inputs.encode(text, encoding))
    assert decode_bytes(path.read_bytes(), path) == unicodedata.normalize("NFC", text)


def serbian_words(letters: str, vowels: str):
    """Words of Serbian letters with at least one vowel, in lower, capitalized or upper case."""
    word = st.tuples(st.text(st.sampled_from(letters), max_size=6), st.sampled_from(vowels),
                     st.text(st.sampled_from(letters), max_size=6)).map("".join)
    return st.tuples(word, st.sampled_from([str.lower, str.capitalize, str.upper])).map(lambda p: p[1](p[0]))


SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "? ", "! ", ": ", " (", ") ", "\n", "\n\n", " - "])


def serbian_text(letters: str, vowels: str):
    return st.lists(st.tuples(serbian_words(letters, vowels), SEPARATORS), min_size=1, max_size=30).map(
        lambda pairs: "".join(w + s for w, s in pairs))


LATIN = "abcčćddđefghijklmnoprsštuvzž"
CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"


@settings(max_examples=200, deadline=None)
@given(text=serbian_text(LATIN, "aeiour"), codepage=st.sampled_from(["cp1250", "iso8859_2"]))
def test_serbian_latin_text_round_trips_through_its_8bit_code_pages(text, codepage):
    """Undecidable when the bytes are also valid UTF-8 ("Ćša" in windows-1250 is UTF-8 "ƚa"): read as UTF-8."""
    data = text.encode(codepage)
    assume(not is_utf8(data))  # pure ASCII included: tested above
    assert decode_bytes(data) == text


@settings(max_examples=200, deadline=None)
@given(text=serbian_text(CYRILLIC, "аеиоур"), codepage=st.sampled_from(["cp1251", "iso8859_5"]))
def test_serbian_cyrillic_text_round_trips_through_its_8bit_code_pages(text, codepage):
    """Decidable when one of к л м н о п is there in lower case: their bytes are non-Serbian letters in the other
    code page, while e.g. ISO-8859-5 "у" is windows-1251 "г" and windows-1251 "АР" is ISO-8859-5 "Ра"."""
    assume(re.search("[клмноп]", text))
    assert decode_bytes(text.encode(codepage)) == text


@pytest.mark.parametrize("text, codepage", [
    ("The ticket costs €50 – or £45 – and includes lunch.", "cp1252"),  # € is Ђ in windows-1251
    ("We met at the café; the naïve plan, as the résumé said, was Zürich.", "cp1252"),
    ("Café in München, naïve résumé.", "cp1252"),  # accented words in the majority
    ("Kotizacija je 50 €, a rok za prijavu je sutra.", "cp1250"),  # Serbian without č ć š ž đ
    ("Ово је тест – са цртом и € знаком.", "cp1251"),
])
def test_euro_signs_and_western_accents_in_8bit_text(text, codepage):
    assert decode_bytes(text.encode(codepage)) == text


def test_utf16_without_its_byte_order_mark_gets_a_hint(tmp_path):
    path = tmp_path / "no-bom.txt"
    path.write_bytes("The harbour reopened last spring.\n".encode("utf-16-le"))
    with pytest.raises(AlignError, match="if it is UTF-16, it lacks its byte-order mark"):
        read_text(path)
    with pytest.raises(AlignError) as caught:
        read_text(INPUTS / "bad" / "binary.txt")
    assert "UTF-16" not in str(caught.value)
