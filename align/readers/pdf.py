"""PDF with a text layer (any PDF that starts with %PDF, whatever the extension): paragraphs rebuilt from the
layout that pdfminer.six finds (its text boxes and lines, with positions and fonts).

Rebuilding:
- running headers and footers dropped: a line at the top or bottom of a page (its first or last two lines,
  within the outer 15% of the page) whose text, digits aside, recurs there on at least half of the pages (two
  at least), and any such line that is only a page number ("3", "Page 3 of 9", "- 3 -", "Strana 3 / 9");
- table rows: text boxes side by side whose tops align, in two or more rows with the same columns, are read row
  by row (kind table-cell) rather than column by column; a row broken by a page break is joined again;
- paragraphs: each text box is one, split where the space between two lines is wider than the line spacing of
  the body text, where the font size changes (a heading above its text) and before a
  bulleted line; a paragraph continues into the next box across a page or column break when its last line
  runs to the right margin;
- lines joined by a space; a word hyphenated at a line end ("inter-\\nview") is rejoined, and only then: the
  hyphen stays when the next line starts with a capital or a digit, after an acronym ("NATO-\\nled"), and when
  the hyphenated form occurs elsewhere in the document and the joined one does not ("cyber-\\nattack");
- kinds: heading for a paragraph in a larger font than the body text, or in bold, short and without final
  punctuation; table-cell; body otherwise. Ligatures (ﬁ, ﬂ) become their letters.
A PDF without a text layer (a scan) is refused with a hint to run OCR; so is one whose glyphs have no character
map (the text would be "(cid:12)" codes), and an encrypted one that needs a password.
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from ..errors import AlignError, AlignUsageError
from ..records import BODY, HEADING, TABLE_CELL, Paragraph
from .text import clean_paragraph

NAME = "pdf"
SUFFIXES = (".pdf",)

MARGIN_ZONE = 0.15  # share of the page height at the top and at the bottom where running headers/footers live
EDGE_LINES = 2  # lines at each edge of a page that may be a running header or footer
ALIGN_TOLERANCE = 3.0  # points: box tops (table rows) and left edges (table columns) that count as aligned
PARAGRAPH_GAP = 1.15  # lines further apart than this many times the body's line spacing are paragraphs apart
FULL_LINE = 0.93  # a line reaching this share of the text width runs to the right margin
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
PAGE_NUMBER = re.compile(
    r"^\W*(?:(?:page|pg|p|strana|str|стр|страна|seite|página|pagina)\.?\s*)?(?:#|[ivxlc]+)"
    r"(?:\s*(?:/|of|od|од|из|von|de|di|sur)\s*#)?\W*$")
LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)([-\u00ad\u2010])$")
FIRST_WORD = re.compile(r"[^\W\d_]+")
WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
BULLET = re.compile(r"^[•◦▪‣·●○■□]\s")  # not dashes: a wrapped line may start with one
TERMINAL = tuple(".?!:;,…\"'”’»)")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int


@dataclass
class Box:
    lines: list[Line]
    x0: float
    x1: float
    top: float
    kind: str = BODY


@dataclass
class Page:
    number: int
    height: float
    boxes: list[Box] = field(default_factory=list)


def sniff(data: bytes, path: Path) -> bool:
    return b"%PDF-" in data[:1024]


def read(data: bytes, path: Path) -> list[Paragraph]:
    pages = layout(data, path)
    characters = "".join(line.text for page in pages for box in page.boxes for line in box.lines)
    if not characters.strip():
        raise AlignUsageError("no text layer (scanned?); run OCR first, or give the document it was made from",
                              path)
    if characters.count("(cid:") * 8 > len(characters) * 0.2:
        raise AlignUsageError("its text layer has glyph codes without a character map (cid:...), not text; run "
                              "OCR first, or give the document it was made from", path)
    split_boxes(pages)
    drop_running_lines(pages)
    mark_tables(pages)
    join_split_cells(pages)
    return paragraphs(pages)


def layout(data: bytes, path: Path) -> list[Page]:
    """The pages' text boxes and lines, as pdfminer lays them out."""
    # imported here: pdfminer (and the cryptography it loads) costs every `align` command otherwise
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import (
        LAParams,
        LTAnno,
        LTChar,
        LTTextBoxHorizontal,
        LTTextLineHorizontal,
    )
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException

    pages = []
    try:
        for number, page_layout in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            page = Page(number, page_layout.height)
            for box in page_layout:
                if not isinstance(box, LTTextBoxHorizontal):
                    continue
                lines = []
                for line in box:
                    if not isinstance(line, LTTextLineHorizontal):
                        continue
                    items = [item for item in line if isinstance(item, (LTChar, LTAnno))]
                    chars = [item for item in items if isinstance(item, LTChar)]
                    if not chars:
                        continue
                    # a space pdfminer adds before a line's final hyphen is a justification gap, not a space
                    if len(items) >= 2 and items[-1].get_text() == "\n":
                        items = items[:-1]
                    if (len(items) >= 2 and isinstance(items[-2], LTAnno) and items[-1].get_text() == "-"):
                        del items[-2]
                    text = "".join(item.get_text() for item in items).translate(LIGATURES).rstrip("\n")
                    sizes = [c.size for c in chars if c.get_text().strip()] or [chars[0].size]
                    bold = all("bold" in c.fontname.lower() for c in chars if c.get_text().strip())
                    lines.append(Line(text, line.x0, line.x1, line.y1, line.y0, statistics.median(sizes), bold,
                                      number))
                if lines:
                    page.boxes.append(Box(lines, box.x0, box.x1, box.y1))
            pages.append(page)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise AlignUsageError(f"encrypted PDF that needs a password ({exc.__class__.__name__}); save an unprotected "
                              "copy", path) from None
    except (PDFException, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise AlignError(f"damaged or unreadable PDF ({exc.__class__.__name__}: {exc})", path) from None
    return pages


def split_boxes(pages: list[Page]) -> None:
    """Split pdfminer's boxes where the space between two lines is wider than the body text's line spacing:
    it groups paragraphs (and table cells one above the other) that are only a little apart."""
    steps = [a.bottom - b.bottom for page in pages for box in page.boxes for a, b in pairwise(box.lines)
             if abs(a.size - b.size) < 0.05 * a.size and a.bottom > b.bottom]
    if not steps:
        return
    leading = statistics.median(steps) / statistics.median(
        line.size for page in pages for box in page.boxes for line in box.lines)
    for page in pages:
        split = []
        for box in page.boxes:
            parts = [[box.lines[0]]]
            for a, b in pairwise(box.lines):
                if a.bottom - b.bottom > PARAGRAPH_GAP * leading * max(a.size, b.size):
                    parts.append([b])
                else:
                    parts[-1].append(b)
            split.extend(Box(part, min(ln.x0 for ln in part), max(ln.x1 for ln in part), part[0].top)
                         for part in parts)
        page.boxes = split


# ---------------------------------------------------------------------------------------------- running lines

def signature(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def edge_lines(page: Page) -> list[tuple[Box, Line]]:
    """The lines that may be a running header or footer: the top and bottom lines within the outer zones."""
    placed = sorted(((box, line) for box in page.boxes for line in box.lines), key=lambda item: -item[1].top)
    top = [(b, ln) for b, ln in placed[:EDGE_LINES] if ln.bottom >= page.height * (1 - MARGIN_ZONE)]
    bottom = [(b, ln) for b, ln in placed[-EDGE_LINES:] if ln.top <= page.height * MARGIN_ZONE]
    return top + [item for item in bottom if all(item[1] is not line for _, line in top)]


def drop_running_lines(pages: list[Page]) -> None:
    candidates = {page.number: edge_lines(page) for page in pages}
    pages_with = Counter(sig for lines in candidates.values() for sig in {signature(ln.text) for _, ln in lines})
    recurring = max(2, (len(pages) + 1) // 2)
    for page in pages:
        for box, line in candidates[page.number]:
            sig = signature(line.text)
            if pages_with[sig] >= recurring or PAGE_NUMBER.match(sig):
                box.lines.remove(line)
        page.boxes = [box for box in page.boxes if box.lines]


# ---------------------------------------------------------------------------------------------- reading order

def rows_of(page: Page) -> list[list[Box]]:
    """The page's boxes in rows of aligned tops, top to bottom, each row left to right."""
    rows: list[list[Box]] = []
    for box in sorted(page.boxes, key=lambda b: -b.top):
        if rows and abs(rows[-1][0].top - box.top) <= ALIGN_TOLERANCE:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def side_by_side(row: list[Box]) -> bool:
    return len(row) >= 2 and all(a.x1 <= b.x0 for a, b in pairwise(row))


def same_columns(row: list[Box], other: list[Box]) -> bool:
    return len(row) == len(other) and all(abs(a.x0 - b.x0) <= ALIGN_TOLERANCE for a, b in zip(row, other))


def tables(rows: list[list[Box]]) -> list[list[int]]:
    """Runs of two or more rows of boxes side by side on the same columns (their indices in `rows`)."""
    runs, k = [], 0
    while k < len(rows):
        run = [k]
        while (run[-1] + 1 < len(rows) and side_by_side(rows[run[-1]]) and side_by_side(rows[run[-1] + 1])
               and same_columns(rows[run[-1]], rows[run[-1] + 1])):
            run.append(run[-1] + 1)
        if len(run) >= 2:
            runs.append(run)
        k = run[-1] + 1
    return runs


def mark_tables(pages: list[Page]) -> None:
    for page in pages:
        rows = rows_of(page)
        for run in tables(rows):
            for r in run:
                for box in rows[r]:
                    box.kind = TABLE_CELL


def join_split_cells(pages: list[Page]) -> None:
    """Tables across a page break. When a page's last row of boxes side by side is part of a table, or the next
    page's first rows continue it on the same columns, those rows are table rows too; and when that last row runs
    on (a cell's last line does not end a sentence, or the next page starts in lower case), the boxes at the top
    of the next page in its columns are the rest of its cells, appended to them."""
    for page, following in pairwise(pages):
        rows, next_rows = rows_of(page), rows_of(following)
        if not rows or not next_rows or not side_by_side(rows[-1]):
            continue
        last = rows[-1]
        continuing = [row for row in next_rows[:2] if side_by_side(row) and same_columns(row, last)]
        if not (last[0].kind == TABLE_CELL or continuing):
            continue
        for box in last + [box for row in continuing for box in row]:
            box.kind = TABLE_CELL
        if not (any(not cell.lines[-1].text.rstrip().endswith(TERMINAL) for cell in last)
                or any(box.lines[0].text.lstrip()[:1].islower() for box in next_rows[0])):
            continue  # every cell ends a sentence, and the next page starts new ones: a new row
        continued = []
        for box in next_rows[0]:
            column = next((k for k, cell in enumerate(last) if abs(cell.x0 - box.x0) <= ALIGN_TOLERANCE), None)
            limit = last[column + 1].x0 if column is not None and column + 1 < len(last) else None
            if column is None or (limit is not None and box.x1 > limit):
                break  # not a cell's continuation: text across the columns, say
            continued.append((last[column], box))
        else:
            for cell, box in continued:
                cell.lines.extend(box.lines)
                following.boxes.remove(box)


def reading_order(page: Page) -> list[Box]:
    """pdfminer's order of the boxes, except that the rows of a table (boxes side by side marked as table cells)
    are read row by row, left to right, at the place of the table's first box."""
    in_table: dict[int, list[Box]] = {}
    cells: list[Box] = []
    for row in rows_of(page) + [[]]:
        if side_by_side(row) and all(box.kind == TABLE_CELL for box in row):
            cells.extend(row)
            continue
        for box in cells:
            in_table[id(box)] = cells
        cells = []
    ordered, placed = [], set()
    for box in page.boxes:
        if id(box) in placed:
            continue
        group = in_table.get(id(box), [box])
        ordered.extend(group)
        placed.update(id(b) for b in group)
    return ordered


# ---------------------------------------------------------------------------------------------- paragraphs

def paragraphs(pages: list[Page]) -> list[Paragraph]:
    lines = [line for page in pages for box in page.boxes for line in box.lines]
    if not lines:
        return []
    sizes = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    right_edge = {page.number: max((ln.x1 for box in page.boxes for ln in box.lines), default=0.0) for page in pages}
    left_edge = {page.number: min((ln.x0 for box in page.boxes for ln in box.lines), default=0.0) for page in pages}
    vocabulary = inner_words(lines)

    groups: list[tuple[list[Line], str]] = []  # the lines of each paragraph, and its kind
    previous_box: Box | None = None
    for page in pages:
        for box in reading_order(page):
            for k, line in enumerate(box.lines):
                starts = k == 0 or starts_paragraph(box.lines[k - 1], line)
                if k == 0 and previous_box is not None and runs_on(previous_box, box, right_edge, left_edge):
                    starts = False
                if starts or not groups:
                    groups.append(([line], box.kind))
                else:
                    groups[-1][0].append(line)
            previous_box = box
    found = []
    for group, kind in groups:
        text = join_lines([line.text for line in group], vocabulary)
        paragraph = clean_paragraph(text, heading_or(kind, group, text, body_size))
        if paragraph:
            found.append(paragraph)
    return found


def starts_paragraph(previous: Line, line: Line) -> bool:
    return abs(line.size - previous.size) > 0.1 * previous.size or bool(BULLET.match(line.text.lstrip()))


def runs_on(previous: Box, box: Box, right_edge: dict, left_edge: dict) -> bool:
    """Whether a box continues the previous box's paragraph: across a page or column break, when the previous
    box's last line runs to the right margin and the fonts agree; never into or out of a table."""
    last, first = previous.lines[-1], box.lines[0]
    if previous.kind == TABLE_CELL or box.kind == TABLE_CELL or abs(last.size - first.size) > 0.1 * last.size:
        return False
    new_column = first.page != last.page or first.top > last.top + ALIGN_TOLERANCE
    width = right_edge[last.page] - left_edge[last.page]
    full = width > 0 and last.x1 - left_edge[last.page] >= FULL_LINE * width
    return new_column and full


def heading_or(kind: str, group: list[Line], text: str, body_size: float) -> str:
    if kind != BODY:
        return kind
    size = max(line.size for line in group)
    if size > 1.1 * body_size or (all(line.bold for line in group) and len(text) < 150
                                  and not text.rstrip().endswith(TERMINAL)):
        return HEADING
    return BODY


# ---------------------------------------------------------------------------------------------- hyphenation

def inner_words(lines: list[Line]) -> set[str]:
    """The words found inside lines (not broken at a line end), hyphenated compounds as written."""
    words = set()
    for line in lines:
        found = WORDS.findall(line.text)
        if found and LINE_END_HYPHEN.search(line.text.rstrip()):
            found = found[:-1]
        if found and line.text[:1].isalpha() and line.text[:1].islower():
            found = found[1:]  # may be the end of a word broken on the previous line
        words.update(word.lower() for word in found)
    return words


def join_lines(texts: list[str], vocabulary: set[str]) -> str:
    joined = ""
    for text in texts:
        text = text.strip()
        if not joined:
            joined = text
            continue
        hyphen = LINE_END_HYPHEN.search(joined)
        first = FIRST_WORD.match(text)
        if hyphen and first:
            start, mark = hyphen.group(1), hyphen.group(2)
            if mark == "\u00ad" or rejoin(start, first.group(), vocabulary):
                joined = joined[:hyphen.start(2)] + text
            else:
                joined = joined[:hyphen.start(2)] + "-" + text
        elif joined.endswith(("-", "\u2010")) and text[:1].isdigit():
            joined += text  # "2019-\n2020"
        else:
            joined += " " + text
    return joined.replace("\u00ad", "")


def rejoin(start: str, rest: str, vocabulary: set[str]) -> bool:
    """Whether "start-" at a line end and "rest" on the next line are one word broken by hyphenation."""
    if not rest[:1].islower():
        return False  # "NATO-\nSerbia", "Jean-\nPierre"
    whole, compound = (start + rest).lower(), f"{start}-{rest}".lower()
    if compound in vocabulary and whole not in vocabulary:
        return False
    if whole in vocabulary:
        return True
    return not (len(start) > 1 and start.isupper())  # an acronym: "NATO-\nled"
