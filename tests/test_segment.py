"""Segment stage: paragraphs, sentences on the gold passages, language dispatch, and no text lost."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.evaluate import boundaries, read_split_gold
from align.languages.sr_script import to_cyrillic
from align.readers.text import split_paragraphs
from align.records import Sentence
from align.segment import presplit_document, sentence_lines, split_document, split_paragraph

INTERVIEW = Path(__file__).resolve().parents[1] / "corpora" / "interview"
GOLD = Path(__file__).resolve().parent / "data" / "segment"
SETS = {"sr-Latn": "sr", "sr-Cyrl": "sr", "en": "en"}


def load_passages(name: str):
    return read_split_gold(GOLD / f"{name}.txt")


# --- paragraphs and documents -----------------------------------------------------------------

def test_paragraphs_are_separated_by_blank_lines_with_any_line_ends():
    text = "Prvi red\r\ndrugi red.\r\n\r\n  \t \r\nDrugi pasus.\rI dalje drugi.\r\rTreći.\n\n\n"
    assert split_paragraphs(text) == ["Prvi red\ndrugi red.", "Drugi pasus.\nI dalje drugi.", "Treći."]


def test_no_paragraphs_in_blank_text():
    assert split_paragraphs(" \n\t\r\n ") == []
    assert split_document("\n\n  \n", "sr") == []


def test_whitespace_inside_a_sentence_becomes_single_spaces():
    assert split_paragraph("Ovo  je\tprva\nrečenica.\u00a0 A ovo   druga.", "sr") == [
        "Ovo je prva rečenica.", "A ovo druga."]


def test_a_lone_no_break_space_is_kept_and_can_separate_sentences():
    assert split_paragraph("Rast je 5\u00a0%.\u00a0Pad je 3\u00a0%.", "sr") == [
        "Rast je 5\u00a0%.", "Pad je 3\u00a0%."]


def test_document_numbers_sentences_and_paragraphs():
    text = "Prva rečenica. Druga rečenica.\n\nTreća, u drugom pasusu.\n\n\n\nČetvrta."
    assert split_document(text, "sr") == [
        Sentence("Prva rečenica.", 0, 0), Sentence("Druga rečenica.", 1, 0),
        Sentence("Treća, u drugom pasusu.", 2, 1), Sentence("Četvrta.", 3, 2)]


def test_a_paragraph_boundary_always_ends_a_sentence():
    text = "Sastanku je prisustvovao prof.\n\nPetrović je kasnio\n\nbez objašnjenja"
    assert [s.text for s in split_document(text, "sr")] == [
        "Sastanku je prisustvovao prof.", "Petrović je kasnio", "bez objašnjenja"]


def test_presplit_takes_lines_as_given():
    text = "  Prva rečenica, bez tačke \r\nDruga.  Još uvek druga.\n\n\nTreća u novom pasusu.\n"
    assert presplit_document(text) == [
        Sentence("Prva rečenica, bez tačke", 0, 0), Sentence("Druga.  Još uvek druga.", 1, 0),
        Sentence("Treća u novom pasusu.", 2, 1)]


# --- gold passages ----------------------------------------------------------------------------

def _gold_cases():
    for name, lang in SETS.items():
        for number, passage in enumerate(load_passages(name)):
            marks = [pytest.mark.xfail(strict=True, reason="known miss")] if passage.known_miss else []
            yield pytest.param(passage, lang, id=f"{name}-{number}", marks=marks)


@pytest.mark.parametrize("passage, lang", list(_gold_cases()))
def test_gold_passage(passage, lang):
    predicted = [split_paragraph(p, lang) for p in split_paragraphs(passage.text)]
    assert predicted == [list(p) for p in passage.paragraphs]


def test_gold_sets_are_large_enough_and_cyrillic_matches_latin():
    latin, cyrillic, english = (load_passages(name) for name in SETS)
    assert len(latin) >= 60 and len(english) >= 40
    assert [[[to_cyrillic(s) for s in p] for p in passage.paragraphs] for passage in latin] == \
        [[list(p) for p in passage.paragraphs] for passage in cyrillic]


@pytest.mark.parametrize("name", SETS)
def test_gold_boundary_f1(name):
    tp = fp = fn = 0
    for passage in load_passages(name):
        got, _ = boundaries([split_paragraph(p, SETS[name]) for p in split_paragraphs(passage.text)])
        gold, _ = boundaries([list(p) for p in passage.paragraphs])
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    assert 2 * tp / (2 * tp + fp + fn) >= 0.99


@pytest.mark.parametrize("side, lang", [("en", "en"), ("sr-Latn", "sr"), ("sr-Cyrl", "sr")])
def test_interview_matches_its_gold_split(side, lang):
    # real input: a web page with captions, curly quotes, no-break spaces, comment-form boilerplate
    text = (INTERVIEW / f"{side}.txt").read_text(encoding="utf-8")
    gold = (INTERVIEW / f"{side}.sent").read_text(encoding="utf-8").splitlines()
    assert [s.text for s in split_document(text, lang)] == gold


# --- language dispatch ------------------------------------------------------------------------

def test_other_pysbd_language_is_split_by_pysbd():
    # pysbd's German rules know "Dr." and ordinal dates
    assert split_paragraph("Dr. Müller kam am 3. Oktober nach Berlin. Er blieb zwei Tage.", "de") == [
        "Dr. Müller kam am 3. Oktober nach Berlin.", "Er blieb zwei Tage."]


def test_unknown_language_gets_generic_punctuation_rules():
    assert split_paragraph("Kuna watu wengi. Walifika jana! Je, wewe?", "sw") == [
        "Kuna watu wengi.", "Walifika jana!", "Je, wewe?"]


@pytest.mark.parametrize("lang", ["sr", "sr-Latn", "sr_Cyrl", "hr", "bs", "cnr"])
def test_serbo_croatian_tags_share_the_rules(lang):
    assert split_paragraph("To piše u članu 5. Ustava. Ј. Ј. Змај је песник.", lang) == [
        "To piše u članu 5. Ustava.", "Ј. Ј. Змај је песник."]


# --- nothing lost, added or reordered -----------------------------------------------------------

_alphabet = st.sampled_from(
    list("abcčćdđeghijklmnoprsštuvzžABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ")
    + list("абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ")
    + list(".?!…,;:-–—()[]„“”\"'«»0123456789") + [" ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0"]
    + ["dr.", "prof.", "J.", "15.", "2019.", "d.o.o.", "U.S.", "i dr.", "čl.", "...", "(...)"])
_text = st.lists(_alphabet, max_size=120).map("".join)


def _non_space(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_text, st.text(max_size=200)), lang=st.sampled_from(["sr", "en", "xx"]))
def test_splitting_keeps_every_character_in_order(text, lang):
    sentences = split_document(text, lang)
    assert _non_space("".join(s.text for s in sentences)) == _non_space(text)
    for sentence in sentences:
        assert sentence.text and sentence.text == sentence.text.strip()
        assert not re.search(r"\s\s|[^\S \u00a0\u202f\u2007]", sentence.text)
    assert [s.index for s in sentences] == list(range(len(sentences)))


@settings(max_examples=60, deadline=None)
@given(text=_text)
def test_pysbd_path_keeps_every_character_in_order(text):
    assert _non_space("".join(s.text for s in split_document(text, "de"))) == _non_space(text)


ONE_PARAGRAPH_PER_LINE = """Uvod
Zakon je usvojen 2020. godine. Primenjuje se od 15.
marta 2021. godine, a izmene su usvojene kasnije.
Ključni nalazi:
1. Nivo nitrata je pao za 12% u odnosu na 2023.
2. Kvalitet vode je bolji
- prva stavka
- druga stavka
– Da, rekao je.
Ovo je dugačka rečenica koja je prelomljena na fiksnoj širini kao u starim
tekstovima i mejlovima, pa se nastavlja u sledećem redu bez ikakvog problema."""


@pytest.mark.parametrize("script", ["Latn", "Cyrl"])
def test_headings_and_list_items_on_their_own_lines_are_segments(script):
    """Text exported from Word or a PDF: no blank lines, a heading or list item per line; a line broken at a
    fixed width (or inside a date) still joins the next one."""
    text = ONE_PARAGRAPH_PER_LINE if script == "Latn" else to_cyrillic(ONE_PARAGRAPH_PER_LINE)
    expected = [
        "Uvod", "Zakon je usvojen 2020. godine.",
        "Primenjuje se od 15. marta 2021. godine, a izmene su usvojene kasnije.",
        "Ključni nalazi:", "1. Nivo nitrata je pao za 12% u odnosu na 2023.", "2. Kvalitet vode je bolji",
        "- prva stavka", "- druga stavka", "– Da, rekao je.",
        "Ovo je dugačka rečenica koja je prelomljena na fiksnoj širini kao u starim tekstovima i mejlovima, "
        "pa se nastavlja u sledećem redu bez ikakvog problema."]
    if script == "Cyrl":
        expected = [to_cyrillic(s) for s in expected]
    assert [s.text for s in split_document(text, "sr")] == expected


def test_a_hard_wrapped_english_paragraph_is_not_cut_at_its_lines():
    text = ("The minister said that the new rules would apply from\n"
            "March, and that the Government had consulted every\n"
            "Ministry. Nobody objected.\n")
    assert [s.text for s in split_document(text, "en")] == [
        "The minister said that the new rules would apply from March, and that the Government had consulted "
        "every Ministry.", "Nobody objected."]


def test_sentence_lines_read_back_as_the_same_sentences():
    sentences = split_document("Prvi pasus. Druga rečenica.\n\nDrugi pasus.\nUvod\nTreći red.", "sr")
    assert sentence_lines(sentences) == "Prvi pasus.\nDruga rečenica.\n\nDrugi pasus.\nUvod\nTreći red.\n"
    assert presplit_document(sentence_lines(sentences)) == sentences


@pytest.mark.parametrize("text, expected", [
    ("Shopping list\n1. Milk\n2. Bread\n3. Eggs", ["Shopping list", "1. Milk", "2. Bread", "3. Eggs"]),
    ("Spisak za kupovinu:\n1. mleko\n2. hleb", ["Spisak za kupovinu:", "1. mleko", "2. hleb"]),
    ("a) first option\nb) second option", ["a) first option", "b) second option"]),
    # a parenthetical dash or a date opening a wrapped line continues the sentence
    ("Rezultati ispitivanja kvaliteta vode, kako je juče rekao direktor instituta\n– biće objavljeni sledeće "
     "nedelje.", ["Rezultati ispitivanja kvaliteta vode, kako je juče rekao direktor instituta – biće objavljeni "
                  "sledeće nedelje."]),
    ("Sastanak je zakazan za sredu, a prethodni je bio održan u\n15. marta prošle godine, kada su usvojene odluke.",
     ["Sastanak je zakazan za sredu, a prethodni je bio održan u 15. marta prošle godine, kada su usvojene "
      "odluke."]),
])
def test_list_runs_and_wrapped_continuations(text, expected):
    assert [s.text for s in split_document(text, "sr")] == expected
