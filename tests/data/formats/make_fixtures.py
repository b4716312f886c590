"""Make the format fixtures of tests/test_readers_formats.py and bench/bench_formats.py with real producers.

    /usr/bin/python3 tests/data/formats/make_fixtures.py              # the committed fixtures
    /usr/bin/python3 tests/data/formats/make_fixtures.py --all DIR    # every text, for bench/bench_formats.py

Needs (Debian): pandoc, libreoffice-writer-nogui, python3-uno (LibreOffice is driven through UNO for the
reference documents, so this runs with the system Python), hyphen-en-us and hyphen-sr (hyphenation in the PDFs),
poppler-utils (the page image of the "scanned" PDF); translate-toolkit from the project's venv (.venv/bin). The
outputs are committed, so the tests need none of these.

From each text of the interview corpus (corpora/interview/{en,sr-Latn,sr-Cyrl}.txt) and of the English-Serbian
documents written blind (bench/data/ensr/*.txt), without changing a character of its text:

1. an HTML page: the first paragraph a title (h1), short paragraphs without final punctuation headings (h2), a
   word split across a bold and a plain run, an italic phrase inside a sentence, four paragraphs laid out as a
   2 x 2 table (fewer where headings come more often); for the word processors also a comment on a word, a
   hidden run (a character style with hidden
   text) and a tracked change (a decoy word deleted, the right word inserted);
2. pandoc, from that page: DOCX (with a reference document that LibreOffice made from pandoc's own: page
   headers, footers with page numbers, automatic hyphenation, justified text, the hidden character style),
   EPUB 3 (the title in the package document) and Markdown (GFM, wrapped at 72 columns);
3. LibreOffice (`soffice --convert-to`), from pandoc's DOCX: ODT, DOCX again for the interview in English
   (LibreOffice's own writer), and PDF from a DOCX without the tracked change
   (a PDF shows changes as displayed, not as accepted). The PDFs run over several pages, with the running header,
   the footer's page numbers and words hyphenated at line ends.

Committed: the interview's (interview/); the others only for the bench (--all), to keep the repository small.
Besides: `interview.fodt` (flat ODT of the interview's first paragraphs), `notes.docx` / `notes.odt` (footnotes, a bulleted list, a captioned table, a text box) and refusals
(refused/: a legacy .doc, an .xlsx, a "scanned" PDF of a page image, a PO and an XLIFF file from
translate-toolkit). Subtitles (subtitles/) are written by hand, not by this script.
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException, Locale

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
INTERVIEW = ROOT / "corpora" / "interview"
ENSR = ROOT / "bench" / "data" / "ensr"
VENV_BIN = ROOT / ".venv" / "bin"

TERMINAL = (".", "?", "!", ":", ";", ",", "…", "“", "”", "\"", "'", "’", "»", ")")
LOCALES = {"en": Locale("en", "US", ""), "sr-Latn": Locale("qlt", "RS", "sr-Latn-RS"),
           "sr-Cyrl": Locale("sr", "RS", "")}
HEADERS = {"en": "Draft for review", "sr-Latn": "Radna verzija", "sr-Cyrl": "Радна верзија"}
PAGE_WORD = {"en": "Page", "sr-Latn": "Strana", "sr-Cyrl": "Страна"}
HIDDEN = " [hidden: editor's note, not for translation]"  # the hidden run's text
COMMENT = "Check this sentence with the author."
FONT = "DejaVu Serif"


def sources() -> list[tuple[str, str, Path]]:
    """(document, side, text file) of every text the fixtures are made from."""
    found = [("interview", side, INTERVIEW / f"{side}.txt") for side in ("en", "sr-Latn", "sr-Cyrl")]
    for beads in sorted(ENSR.glob("*.beads")):
        for text in sorted(ENSR.glob(f"{beads.stem}.*.txt")):
            found.append((beads.stem, text.name.split(".")[1], text))
    return found


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def is_heading(paragraph: str) -> bool:
    return len(paragraph) < 90 and "\n" not in paragraph and not paragraph.endswith(TERMINAL)


def table_cells(items: list[str]) -> tuple[int, int]:
    """Where the table goes and how many cells it has (two per row): the run of four body paragraphs after the
    opening ones whose longest is shortest, or of two where headings come more often (a heading and its text
    where every other paragraph is one)."""
    for size, headings in ((4, False), (2, False), (2, True)):
        runs = [start for start in range(3, len(items) - size + 1)
                if headings or not any(map(is_heading, items[start:start + size]))]
        if runs:
            return min(runs, key=lambda start: max(map(len, items[start:start + size]))), size
    raise SystemExit("too short for a table")


def split_word(paragraph: str) -> str:
    """The paragraph's markup with its longest word's first three letters bold (one word, two runs) and the two
    words after it italic."""
    words = list(re.finditer(r"[^\W\d_]{6,}", paragraph))
    longest = max(words, key=lambda m: len(m.group()))
    before, word, after = paragraph[:longest.start()], longest.group(), paragraph[longest.end():]
    italic = re.match(r"(\s+)([^\W\d_]+\s+[^\W\d_]+)(.*)", after, re.S)
    rest = (f"{italic.group(1)}<i>{html.escape(italic.group(2))}</i>{html.escape(italic.group(3))}" if italic
            else html.escape(after))
    return f"{html.escape(before)}<b>{html.escape(word[:3])}</b>{html.escape(word[3:])}{rest}"


def decoy_word(items: list[str], body: int) -> tuple[str, str]:
    """A word that occurs once in the whole text (in paragraph `body`), and its decoy: the word reversed, the
    tracked change's deleted text."""
    whole = "\n".join(items)
    for match in re.finditer(r"[^\W\d_]{7,}", items[body]):
        word = match.group()
        if len(re.findall(rf"(?<!\w){word}(?!\w)", whole)) == 1 and word[::-1] not in whole:
            return word, word[::-1]
    raise SystemExit("no unique word for the tracked change")


CHANGE = 'data-author="Reviewer" data-date="2024-05-06T07:08:09Z"'


def page_html(items: list[str], change: bool = False, annotations: bool = False) -> str:
    """The HTML page of a text (see the module docstring): with `change`, the tracked change; with `annotations`,
    the comment and the hidden run."""
    start, size = table_cells(items)
    body = [k for k, p in enumerate(items) if k and not is_heading(p) and not start <= k < start + size]
    styled, hidden, changed, commented = body[:4]
    parts = []
    for k, paragraph in enumerate(items):
        text = html.escape(paragraph)
        if start <= k < start + size:
            if k == start:
                cells = [f"<td>{html.escape(p)}</td>" for p in items[start:start + size]]
                rows = "".join(f"<tr>{cells[r]}{cells[r + 1]}</tr>" for r in range(0, size, 2))
                parts.append(f"<table>{rows}</table>")
            continue
        if k == 0:
            parts.append(f"<h1>{text}</h1>")
        elif is_heading(paragraph):
            parts.append(f"<h2>{text}</h2>")
        elif k == styled:
            parts.append(f"<p>{split_word(paragraph)}</p>")
        elif k == hidden and annotations:
            parts.append(f'<p>{text}<span data-custom-style="Hidden">{html.escape(HIDDEN)}</span></p>')
        elif k == commented and annotations:
            first, _, rest = paragraph.partition(" ")
            parts.append(f'<p><span class="comment-start" id="0" {CHANGE}>{html.escape(COMMENT)}</span>'
                         f'{html.escape(first)}<span class="comment-end" id="0"></span> {html.escape(rest)}</p>')
        elif k == changed and change:
            word, decoy = decoy_word(items, changed)
            marked = (f'<span class="deletion" {CHANGE}>{decoy}</span>'
                      f'<span class="insertion" {CHANGE}>{word}</span>')
            parts.append("<p>" + re.sub(rf"(?<!\w){word}(?!\w)", marked, text) + "</p>")
        else:
            parts.append(f"<p>{text}</p>")
    # no <title>: pandoc would make it a title paragraph above the h1
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{}\n</body></html>\n"
            .format("\n".join(parts)))


def pandoc(source: Path, target: Path, *options: str) -> None:
    subprocess.run(["pandoc", "-f", "html", str(source), "-o", str(target), *options], check=True)


# ---------------------------------------------------------------------------------------------- LibreOffice

def prop(name: str, value) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


class Office:
    """LibreOffice headless, driven through UNO over a pipe, with its own throw-away profile."""

    def __init__(self, profile: Path):
        # A new profile makes LibreOffice restart itself once, which would drop the connection: made first.
        subprocess.run(["soffice", "--headless", "--norestore", "--terminate_after_init",
                        f"-env:UserInstallation={profile.as_uri()}"], check=True, stderr=subprocess.DEVNULL)
        self.process = subprocess.Popen(
            ["soffice", "--headless", "--norestore",
             "--accept=pipe,name=alignfixtures;urp;", f"-env:UserInstallation={profile.as_uri()}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                self.context = resolver.resolve("uno:pipe,name=alignfixtures;urp;StarOffice.ComponentContext")
                break
            except NoConnectException:  # until the office listens
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        self.desktop = self.context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                             self.context)
        self._no_thumbnails()

    def _no_thumbnails(self) -> None:
        """ODT files without Thumbnails/thumbnail.png: a few KB less per fixture."""
        provider = self.context.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.context)
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (prop("nodepath", "/org.openoffice.Office.Common/Save/Document"),))
        access.setPropertyValue("GenerateThumbnail", False)
        access.commitChanges()

    def open(self, path: Path):
        return self.desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))

    @staticmethod
    def save(document, path: Path, filter_name: str) -> None:
        document.storeToURL(path.resolve().as_uri(), (prop("FilterName", filter_name), prop("Overwrite", True)))

    def close(self) -> None:
        try:
            self.desktop.terminate()
        except DisposedException:
            pass  # the office went away while answering: what terminate asks
        self.process.wait(timeout=60)


def reference_document(office: Office, default: Path, target: Path, side: str, page_of_pages: bool) -> None:
    """pandoc's reference DOCX as LibreOffice re-saves it with running headers, footers with page numbers ("N" or
    "Page N / M"), hyphenation in the text's language, justified body text and a hidden character style."""
    document = office.open(default)
    families = document.getStyleFamilies()
    for name in families.getByName("PageStyles").getElementNames():
        style = families.getByName("PageStyles").getByName(name)
        style.HeaderIsOn = style.FooterIsOn = True
        style.HeaderText.setString(HEADERS[side])
        footer = style.FooterText
        footer.setString(f"{PAGE_WORD[side]} " if page_of_pages else "")
        fields = [("PageNumber", "")] + ([("PageCount", " / ")] if page_of_pages else [])
        for field, before in fields:
            cursor = footer.createTextCursor()
            cursor.gotoEnd(False)
            footer.insertString(cursor, before, False)
            cursor.gotoEnd(False)
            number = document.createInstance(f"com.sun.star.text.TextField.{field}")
            number.NumberingType = 4  # ARABIC
            if field == "PageNumber":
                number.SubType = uno.Enum("com.sun.star.text.PageNumberType", "CURRENT")
            footer.insertTextContent(cursor, number, False)
    paragraph_styles = families.getByName("ParagraphStyles")
    for name in paragraph_styles.getElementNames():
        style = paragraph_styles.getByName(name)
        style.ParaIsHyphenation = True
        style.ParaHyphenationMaxLeadingChars = style.ParaHyphenationMaxTrailingChars = 2
        style.CharFontName = style.CharFontNameComplex = FONT  # one family: fewer fonts in the PDFs
    standard = paragraph_styles.getByName("Standard")
    standard.CharLocale = LOCALES[side]
    for name in ("Text body", "First Paragraph", "Compact"):
        paragraph_styles.getByName(name).ParaAdjust = uno.Enum("com.sun.star.style.ParagraphAdjust", "BLOCK")
    hidden = document.createInstance("com.sun.star.style.CharacterStyle")
    families.getByName("CharacterStyles").insertByName("Hidden", hidden)
    hidden.CharHidden = True
    office.save(document, target, "MS Word 2007 XML")
    document.close(True)


def convert(work: Path, profile: Path, target_format: str, folder: Path, *sources: Path) -> None:
    """LibreOffice's own conversion (in-process, the way users batch-convert files)."""
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", target_format, "--outdir", str(folder), *map(str, sources)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)


# ---------------------------------------------------------------------------------------------- the fixtures

def make_documents(work: Path, profile: Path, references: dict, out: Path, everything: bool) -> None:
    """The fixtures of every text (`everything`, for bench/bench_formats.py) or of the interview (committed)."""
    for number, (name, side, source) in enumerate(sources()):
        if not everything and name != "interview":
            continue
        items = paragraphs(source.read_text(encoding="utf-8"))
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        reference = f"--reference-doc={references[side, number % 2 == 1]}"
        pages = {"docx": page_html(items, change=True, annotations=True), "pdf": page_html(items, annotations=True),
                 "plain": page_html(items)}
        for variant, markup in pages.items():
            (work / f"{variant}.html").write_text(markup, encoding="utf-8")
        pandoc(work / "docx.html", folder / f"{side}.docx", reference, f"--metadata=lang:{side}")
        pandoc(work / "pdf.html", work / f"{side}.docx", reference, f"--metadata=lang:{side}")
        pandoc(work / "plain.html", folder / f"{side}.md", "-t", "gfm")
        # the title in the package document only: pandoc's title page stays empty, the text keeps its own h1
        (work / "epub.xml").write_text(f"<dc:title>{html.escape(items[0])}</dc:title>\n", encoding="utf-8")
        pandoc(work / "plain.html", folder / f"{side}.epub", "-t", "epub3", f"--epub-metadata={work / 'epub.xml'}",
               f"--metadata=lang:{side}")
        convert(work, profile, "pdf", folder, work / f"{side}.docx")
        convert(work, profile, "odt", folder, folder / f"{side}.docx")
        if name == "interview" and side == "en":  # LibreOffice's own DOCX writer too
            convert(work, profile, "docx:MS Word 2007 XML", work, folder / f"{side}.odt")
            shutil.copy(work / f"{side}.docx", folder / f"{side}.libreoffice.docx")
        print(f"{folder / side}.*", file=sys.stderr)


NOTES = """# Harbour report

The old harbour reopened last spring.[^1] Ships now dock at the new pier.

- The first berth is for ferries.
- The second berth is for fishing boats.

| Berth | Length |
|-------|--------|
| Ferries | 120 m |

Table: Berths of the new pier.

Repairs will finish next year.[^2]

[^1]: The works took two years.
[^2]: The city council approved the budget in May.
"""
TEXT_BOX = "A text box: the pier is 200 metres long."


def make_notes(office: Office, work: Path) -> None:
    """A short document with footnotes, a bulleted list and a captioned table (pandoc), and a text box that
    LibreOffice adds; saved by LibreOffice as DOCX and ODT."""
    (work / "notes.md").write_text(NOTES, encoding="utf-8")
    subprocess.run(["pandoc", str(work / "notes.md"), "-o", str(work / "notes.docx")], check=True)
    document = office.open(work / "notes.docx")
    frame = document.createInstance("com.sun.star.text.TextFrame")
    frame.setSize(uno.createUnoStruct("com.sun.star.awt.Size", 9000, 2000))
    text = document.getText()
    cursor = text.createTextCursor()
    cursor.gotoEnd(False)
    text.insertTextContent(cursor, frame, False)
    frame.getText().setString(TEXT_BOX)
    office.save(document, HERE / "notes.docx", "MS Word 2007 XML")
    office.save(document, HERE / "notes.odt", "writer8")
    document.close(True)


def make_refusals(work: Path, profile: Path) -> None:
    folder = HERE / "refused"
    folder.mkdir(exist_ok=True)
    short = work / "interview.txt"
    short.write_text("\n\n".join(paragraphs((INTERVIEW / "en.txt").read_text(encoding="utf-8"))[:3]) + "\n",
                     encoding="utf-8")
    convert(work, profile, "doc", folder, short)
    convert(work, profile, "fodt", HERE, short)  # flat ODT (read, not refused): LibreOffice's from plain text
    # a spreadsheet (xlsxwriter, from the project's venv): a zip container that is not a text document
    script = ("import sys, xlsxwriter\n"
              "book = xlsxwriter.Workbook(sys.argv[1]); sheet = book.add_worksheet()\n"
              "sheet.write_row(0, 0, ['en', 'sr']); sheet.write_row(1, 0, ['Good morning.', 'Dobro jutro.'])\n"
              "book.close()")
    subprocess.run([str(VENV_BIN / "python"), "-c", script, str(folder / "sheet.xlsx")], check=True)
    # a "scanned" PDF: the first page of a PDF fixture as an image, the only content of a page (pandoc, LibreOffice)
    subprocess.run(["pdftoppm", "-jpeg", "-gray", "-r", "30", "-f", "1", "-l", "1", "-singlefile",
                    str(HERE / "interview" / "en.pdf"), str(work / "scanned")], check=True)
    (work / "scanned.md").write_text("![](scanned.jpg)\n", encoding="utf-8")
    subprocess.run(["pandoc", "scanned.md", "-o", "scanned.docx"], check=True, cwd=work)
    convert(work, profile, "pdf", folder, work / "scanned.docx")
    po = folder / "interview.po"
    subprocess.run([str(VENV_BIN / "txt2po"), str(short), str(po)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(VENV_BIN / "po2xliff"), str(po), str(folder / "interview.xlf")], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", metavar="DIR", type=Path,
                        help="make the documents of every text into DIR (bench/bench_formats.py) and nothing else")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        profile = work / "profile"
        default = work / "pandoc-reference.docx"
        with default.open("wb") as out:
            subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], check=True, stdout=out)
        office = Office(profile)  # the profile is then the conversions' (no ODT thumbnails)
        references = {}
        try:
            for side in LOCALES:
                for page_of_pages in (False, True):
                    references[side, page_of_pages] = work / f"reference.{side}.{int(page_of_pages)}.docx"
                    reference_document(office, default, references[side, page_of_pages], side, page_of_pages)
            if not arguments.all:
                make_notes(office, work)
        finally:
            office.close()
        make_documents(work, profile, references, arguments.all or HERE, everything=bool(arguments.all))
        if not arguments.all:
            make_refusals(work, profile)


if __name__ == "__main__":
    main()
