"""The readers of translators' real files: DOCX, ODT (and flat ODT), PDF, EPUB, Markdown, SRT and WebVTT, and the
refusals of what cannot be aligned (bilingual files, other binary files, scans).

The fixtures under tests/data/formats were made by pandoc and LibreOffice from the interview corpus
(tests/data/formats/make_fixtures.py says how); the subtitles were written by hand. A fixture's sentences must
be those of the text it was made from.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from align import segment
from align.cli import main
from align.errors import AlignError, AlignUsageError
from align.pipeline import align_files, write_outputs
from align.readers import READERS, package, read_paragraphs
from align.readers.markdown import markdown_paragraphs
from align.readers.pdf import join_lines
from align.records import BODY, CAPTION, FOOTNOTE, HEADING, LIST_ITEM, QUOTE, TABLE_CELL

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "tests" / "data" / "formats"
INTERVIEW = ROOT / "corpora" / "interview"
REFUSED = FORMATS / "refused"
SUBTITLES = FORMATS / "subtitles"
FIXTURES = sorted(path for path in (FORMATS / "interview").iterdir() if path.suffix != ".txt")
READER_OF = {".docx": "docx", ".odt": "odt", ".fodt": "odt", ".pdf": "pdf", ".epub": "epub", ".md": "markdown"}
TIMECODE = re.compile(r"\d{2}:\d{2}[:.,]\d{2}|-->")


def side_of(path: Path) -> str:
    return path.name.split(".")[0]


def sentences(path: Path, lang: str) -> list[str]:
    return [s.text for s in segment.split_document(read_paragraphs(path)[0], lang)]


def lang_of(side: str) -> str:
    return "en" if side == "en" else "sr"


# ---------------------------------------------------------------------------------------------- the fixtures

def test_every_format_is_there_for_each_side():
    found = {(side_of(path), path.suffix) for path in FIXTURES}
    for side in ("en", "sr-Latn", "sr-Cyrl"):
        assert {(side, suffix) for suffix in (".docx", ".odt", ".pdf", ".epub", ".md")} <= found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_a_converted_file_gives_the_sentences_of_its_text(path):
    side = side_of(path)
    source = read_paragraphs(path)[1]
    assert source.format == READER_OF[path.suffix]
    assert sentences(path, lang_of(side)) == sentences(INTERVIEW / f"{side}.txt", lang_of(side))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_headings_and_table_cells_keep_their_kind(path):
    paragraphs = read_paragraphs(path)[0]
    kinds = [p.kind for p in paragraphs]
    assert kinds[:2] == [HEADING, HEADING]  # the title and the first subheading
    assert kinds.count(TABLE_CELL) == 4 and kinds[3:7] == [TABLE_CELL] * 4  # the 2 x 2 table, row by row
    assert set(kinds) <= {BODY, HEADING, TABLE_CELL}


@pytest.mark.parametrize("suffix", [".docx", ".libreoffice.docx", ".odt", ".pdf"])
def test_comments_hidden_text_deletions_headers_and_footers_are_left_out(suffix):
    """The word processors' files carry a comment, a hidden run, a tracked replacement (the deleted decoy is the
    right word reversed) and running headers and footers with page numbers: none of it is text to align."""
    text = "\n".join(p.text for p in read_paragraphs(FORMATS / "interview" / f"en{suffix}")[0])
    for left_out in ("Check this sentence", "hidden:", "noitavitca", "Draft for review", "Page "):
        assert left_out not in text
    assert "could lead to the activation of Article 5" in text  # the insertion, accepted


def test_the_pdf_runs_over_pages_with_hyphenated_line_ends():
    """The fixture itself has what the reader must undo: several pages, each with the running header and a page
    number, and words broken at line ends (pdfminer's plain extraction shows them); the reader gives each broken
    word whole, or as the compound it is."""
    from pdfminer.high_level import extract_text
    raw = extract_text(str(FORMATS / "interview" / "en.pdf"))
    assert raw.count("Draft for review") >= 4
    broken = re.findall(r"([^\W\d_]+)-\n+([^\W\d_]+)", raw)
    assert len(broken) >= 10
    text = " ".join(p.text for p in read_paragraphs(FORMATS / "interview" / "en.pdf")[0])
    for start, rest in broken:
        assert f"{start}{rest}" in text or f"{start}-{rest}" in text
    assert sum(f"{start}{rest}" in text for start, rest in broken) >= 10


def test_flat_odt_is_read_like_odt():
    paragraphs = read_paragraphs(FORMATS / "interview.fodt")[0]
    expected = (INTERVIEW / "en.txt").read_text(encoding="utf-8").split("\n\n")[:3]
    assert [p.text for p in paragraphs] == [p.strip() for p in expected]


@pytest.mark.parametrize("name", ["notes.docx", "notes.odt"])
def test_footnotes_lists_captions_and_text_boxes(name):
    paragraphs = read_paragraphs(FORMATS / name)[0]
    assert [(p.kind, p.text) for p in paragraphs] == [
        (HEADING, "Harbour report"),
        (BODY, "The old harbour reopened last spring. Ships now dock at the new pier."),  # no reference marks
        (LIST_ITEM, "The first berth is for ferries."),
        (LIST_ITEM, "The second berth is for fishing boats."),
        (CAPTION, "Berths of the new pier."),
        (TABLE_CELL, "Berth"), (TABLE_CELL, "Length"), (TABLE_CELL, "Ferries"), (TABLE_CELL, "120 m"),
        (BODY, "Repairs will finish next year."),
        (BODY, "A text box: the pier is 200 metres long."),
        (FOOTNOTE, "The works took two years."),
        (FOOTNOTE, "The city council approved the budget in May."),
    ]


def test_the_type_comes_from_the_content_not_the_extension(tmp_path):
    for source, name, reader in [(FORMATS / "interview" / "en.docx", "en.txt", "docx"),
                                 (FORMATS / "interview" / "en.odt", "en.zip", "odt"),
                                 (FORMATS / "interview" / "en.pdf", "en.dat", "pdf"),
                                 (FORMATS / "interview" / "en.epub", "en.bin", "epub"),
                                 (SUBTITLES / "harbour.en.srt", "harbour.txt", "subtitles"),
                                 (SUBTITLES / "harbour.en.vtt", "harbour.text", "subtitles")]:
        renamed = tmp_path / name
        renamed.write_bytes(source.read_bytes())
        assert read_paragraphs(renamed)[1].format == reader


def test_every_reader_is_registered_with_text_last():
    names = [reader.NAME for reader in READERS]
    assert names[-1] == "text"
    assert {"docx", "odt", "pdf", "epub", "markdown", "subtitles", "bilingual", "unsupported", "html"} <= set(names)
    # content sniffing first; the readers that go by extension or refuse come after
    assert names.index("pdf") < names.index("html") < names.index("markdown") < names.index("unsupported")


# ---------------------------------------------------------------------------------------------- DOCX rules

def docx_with_body(body: str, tmp_path: Path) -> Path:
    """A copy of pandoc's DOCX fixture whose body is `body` (the rest of the package, styles included, as made)."""
    source = FORMATS / "interview" / "en.docx"
    target = tmp_path / "edited.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as edited:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                data = (text[:text.index("<w:body>") + 8] + body + text[text.index("<w:sectPr"):]).encode()
            edited.writestr(item, data)
    return target


def test_docx_fields_line_breaks_and_deleted_paragraph_marks(tmp_path):
    body = (
        # a field: its code left out, its shown result kept
        '<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
        '</w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>'
        # a manual line break, and a word split across runs
        '<w:p><w:r><w:t>First line</w:t></w:r><w:r><w:br/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>sec</w:t></w:r>'
        '<w:r><w:t>ond line.</w:t></w:r></w:p>'
        # a deleted paragraph mark: the paragraph runs on into the next
        '<w:p><w:pPr><w:rPr><w:del w:id="9" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr>'
        '<w:r><w:t xml:space="preserve">Joined </w:t></w:r></w:p><w:p><w:r><w:t>again.</w:t></w:r></w:p>'
        # directly hidden text, and a moved-from run
        '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret </w:t></w:r><w:moveFrom w:id="3" w:author="a">'
        '<w:r><w:t>moved </w:t></w:r></w:moveFrom><w:r><w:t>Visible.</w:t></w:r></w:p>')
    paragraphs = read_paragraphs(docx_with_body(body, tmp_path))[0]
    assert [p.text for p in paragraphs] == ["Page 7.", "First line\nsecond line.", "Joined again.", "Visible."]


# ---------------------------------------------------------------------------------------------- PDF rules

@pytest.mark.parametrize("lines, joined", [
    (["the inter-", "view was long"], "the interview was long"),  # hyphenation undone
    (["NATO-", "Serbia relations"], "NATO-Serbia relations"),  # a capital follows: a real hyphen
    (["the NATO-", "led mission"], "the NATO-led mission"),  # after an acronym
    (["a cyber-", "attack"], "a cyber-attack"),  # the compound is written so elsewhere
    (["from 2019-", "2020 on"], "from 2019-2020 on"),
    (["two lines", "of text"], "two lines of text"),
])
def test_pdf_lines_are_rejoined_and_only_hyphenated_words_lose_their_hyphen(lines, joined):
    assert join_lines(lines, vocabulary={"cyber-attack", "interview"}) == joined


# ---------------------------------------------------------------------------------------------- Markdown

def test_markdown_keeps_the_text_and_drops_the_markup():
    source = ("---\ntitle: Front matter\n---\n# The *harbour*\n\nIt [reopened](https://example.org/x) in "
              "**spr**ing with `ferries`;\nthe pier is new.[^1]\n\n- first berth\n- second berth\n\n> A quote.\n\n"
              "| a | b |\n|---|---|\n| c | d |\n\n```\ncode = 1\n```\n\n    indented code\n\n![a photo](p.png)\n\n"
              "Line one  \nline two.\n\n[^1]: The note.\n")
    assert [(p.kind, p.text) for p in markdown_paragraphs(source)] == [
        (HEADING, "The harbour"),
        (BODY, "It reopened in spring with ferries; the pier is new."),
        (LIST_ITEM, "first berth"), (LIST_ITEM, "second berth"),
        (QUOTE, "A quote."),
        (TABLE_CELL, "a"), (TABLE_CELL, "b"), (TABLE_CELL, "c"), (TABLE_CELL, "d"),
        (BODY, "Line one\nline two."),
        (FOOTNOTE, "The note."),
    ]


# ---------------------------------------------------------------------------------------------- subtitles

def test_subtitles_give_cue_text_as_running_sentences():
    expected = [("The old harbour had been closed for almost twenty years when the city finally decided to open "
                 "it again."), "Nobody believed it would happen.", "Are you sure the ferry comes today?",
                "It comes every morning at seven."]
    for name in ("harbour.en.srt", "harbour.en.vtt"):
        found = sentences(SUBTITLES / name, "en")
        assert found[:4] == expected
        assert len(found) == 9
        assert not any(TIMECODE.search(s) or s.strip().isdigit() or "<" in s or "{" in s for s in found)
    assert sentences(SUBTITLES / "harbour.sr-Cyrl.vtt", "sr")[3] == "Долази сваког јутра у седам."


@pytest.mark.model
@pytest.mark.parametrize("src, tgt", [("harbour.en.srt", "harbour.sr-Latn.srt"),
                                      ("harbour.en.vtt", "harbour.sr-Cyrl.vtt")])
def test_a_translated_subtitle_pair_aligns_without_timecodes_or_cue_numbers(src, tgt, encoder, tmp_path):
    alignment = align_files(SUBTITLES / src, SUBTITLES / tgt, "en", "sr", encoder=encoder)
    units = alignment.units
    assert [(b.src, b.tgt) for b in alignment.beads] == [((k,), (k,)) for k in range(9)]
    for bead in units:
        for text in (alignment.src_text(bead), alignment.tgt_text(bead)):
            assert not TIMECODE.search(text) and not re.fullmatch(r"\s*\d+\s*", text) and "<" not in text
    write_outputs(alignment, tmx_path=tmp_path / "out.tmx")
    tmx = (tmp_path / "out.tmx").read_text(encoding="utf-8")
    assert "-->" not in tmx and "<seg>1</seg>" not in tmx


# ---------------------------------------------------------------------------------------------- refusals

REFUSALS = [
    (REFUSED / "interview.xlf", "an XLIFF file (bilingual"),
    (REFUSED / "interview.po", "a gettext PO file (bilingual"),
    (ROOT / "tests" / "data" / "tmx" / "good.tmx", ("a TMX translation memory (bilingual), not a document to align: "
                                                    "`align check good.tmx` scores its units, `align export good.tmx`")),
    (ROOT / "tests" / "data" / "tmx" / "utf16.tmx", "a TMX translation memory"),
    (REFUSED / "interview.doc", "unsupported file type (a legacy Office file (.doc, .xls, .ppt)"),
    (REFUSED / "sheet.xlsx", ("unsupported file type (an Excel workbook (.xlsx)); save it as .txt, .docx, .odt, "
                              ".pdf, .html, .md, .epub or .srt")),
    (ROOT / "tests" / "data" / "inputs" / "bad" / "binary.txt", "unsupported file type (a PNG image"),
    (REFUSED / "scanned.pdf", "no text layer (scanned?); run OCR first"),
]


@pytest.mark.parametrize("path, message", REFUSALS, ids=lambda item: getattr(item, "name", "message"))
def test_a_refusal_is_one_line_exit_2_and_writes_nothing(path, message, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["pair", str(path), str(FORMATS / "interview" / "sr-Latn.docx"),
                                       "--src-lang", "en", "--tgt-lang", "sr", "-o", str(out / "o.tmx"),
                                       "--beads", str(out / "o.jsonl"), "--report-dir", str(out / "report")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0]
    assert not out.exists() or not any(out.rglob("*"))


def test_a_refused_file_is_refused_by_split_too():
    result = CliRunner().invoke(main, ["split", str(REFUSED / "interview.xlf"), "--lang", "en"])
    assert result.exit_code == 2 and "XLIFF" in result.output


def test_a_zip_bomb_is_refused_before_it_inflates(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_MEMBER", 2**20)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(FORMATS / "interview" / "en.docx") as original, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as edited:
        for item in original.infolist():
            data = original.read(item.filename)
            edited.writestr(item, data + b" " * (4 * 2**20) if item.filename == "word/document.xml" else data)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(AlignError, match="inflates to more than 1 MB: refused"):
        read_paragraphs(bomb)


def test_xml_declaring_entities_is_refused(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>'
              '<text:p>&b;</text:p></office:text></office:body></office:document>')
    path = tmp_path / "laughs.fodt"
    path.write_text(laughs, encoding="utf-8")
    with pytest.raises(AlignError, match="declares entities"):
        read_paragraphs(path)


def test_a_damaged_container_is_one_error(tmp_path):
    path = tmp_path / "cut.docx"
    path.write_bytes((FORMATS / "interview" / "en.docx").read_bytes()[:3000])
    with pytest.raises(AlignError) as caught:
        read_paragraphs(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)
    assert not isinstance(caught.value, AlignUsageError) or "unsupported" in str(caught.value)


# ---------------------------------------------------------------------------------------------- split, report

@pytest.mark.parametrize("path", FIXTURES + [SUBTITLES / "harbour.en.srt"], ids=lambda path: path.name)
def test_split_reads_every_format(path):
    side = side_of(path) if path.parent.name == "interview" else "en"
    result = CliRunner().invoke(main, ["split", str(path), "--lang", lang_of(side)])
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line] == sentences(path, lang_of(side))


def test_kinds_travel_to_the_alignment_file_and_the_report(tmp_path):
    alignment = align_files(FORMATS / "interview" / "en.odt", FORMATS / "interview" / "sr-Latn.pdf", "en", "sr")
    paths = write_outputs(alignment, report_dir=tmp_path / "report", alignment_path=tmp_path / "a.align.json")
    saved = json.loads((tmp_path / "a.align.json").read_text(encoding="utf-8"))
    for document in saved["documents"].values() if isinstance(saved["documents"], dict) else saved["documents"]:
        kinds = [s["kind"] for s in document["sentences"]]
        assert kinds[0] == HEADING and TABLE_CELL in kinds
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert '<span class="kind">heading</span>' in page and '<span class="kind">table-cell</span>' in page
    assert '<span class="kind">body</span>' not in page
    assert tmp_path / "report" / "report.html" in paths
