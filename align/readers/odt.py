"""OpenDocument text (.odt, .ott, and flat .fodt): the body's paragraphs in reading order, each with its kind, as
the document reads with every tracked change accepted; the same rules as the DOCX reader (align.readers.docx).

Kept: paragraphs and headings with their spans and links (a word split across styled spans stays one word),
spaces (text:s), tabs, line breaks (as "\\n", treated by the segment stage as in plain text), fields' shown
text, table cells (row by row: kind table-cell), list items (kind list-item), text boxes and frames (their
paragraphs after the paragraph they are anchored in), sections, footnotes and endnotes (after the body, in the
order they occur: kind footnote). Insertions are kept (they are in the body); deletions are dropped (ODF keeps
them apart, in text:tracked-changes).
Dropped: hidden text (text:hidden-text, hidden paragraphs, text styled with display none directly or through
its style's parents), comments (office:annotation), page headers and footers (in styles.xml, not the body),
note citations, ruby annotations, tables of contents and other indexes, drawings' titles and descriptions,
list numbers and bullets (generated, not in the text).
Kinds: heading (text:h, Title and Subtitle styles), list-item, table-cell, caption (Caption styles and their
children: Table, Illustration, Figure, Drawing, Text), quote (Quotations), footnote; body otherwise.

Parts are inflated with bounds and parsed without DTDs or entities (align.readers.package).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import AlignError
from ..records import (
    BODY,
    CAPTION,
    FOOTNOTE,
    HEADING,
    LIST_ITEM,
    QUOTE,
    TABLE_CELL,
    Paragraph,
)
from .package import attribute, local_name, open_package, parse_xml
from .text import clean_paragraph

NAME = "odt"
SUFFIXES = (".odt", ".ott", ".fodt")

TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
FLAT_ROOT = re.compile(rb"<office:document[\s>]")
FLAT_TEXT = re.compile(rb'office:mimetype="application/vnd\.oasis\.opendocument\.text')

# Elements whose content is not running text.
SKIPPED = {"tracked-changes", "annotation", "annotation-end", "note-citation", "ruby-text", "sequence-decls",
           "table-of-content", "alphabetical-index", "illustration-index", "table-index", "object-index",
           "user-index", "bibliography", "title", "desc", "forms", "soft-page-break", "bookmark", "bookmark-start",
           "bookmark-end", "reference-mark", "reference-mark-start", "reference-mark-end", "change", "change-start",
           "change-end", "table-columns", "table-column", "covered-table-cell", "variable-decls",
           "user-field-decls", "dde-connection-decls", "event-listeners", "image"}
BLOCKS = {"p", "h"}
CONTAINERS = {"section", "list", "list-item", "list-header", "table", "table-header-rows", "table-rows",
              "table-row-group", "table-row", "table-cell", "text-box", "frame", "note-body", "index-body",
              "deletion", "insertion", "g", "a"}
CAPTION_STYLES = {"caption", "table", "illustration", "figure", "drawing", "text", "table caption",
                  "image caption"}


def sniff(data: bytes, path: Path) -> bool:
    package = open_package(data, path)
    if package is not None:
        return package.text("mimetype") in TEXT_MIMETYPES or (
            "content.xml" in package and path.suffix.lower() in (".odt", ".ott"))
    head = data[:4096]
    return bool(FLAT_ROOT.search(head) and (FLAT_TEXT.search(head) or path.suffix.lower() == ".fodt"))


def read(data: bytes, path: Path) -> list[Paragraph]:
    package = open_package(data, path)
    if package is None:
        content, styles = parse_xml(data, path), None  # flat: the styles are in the one document
    else:
        content = package.xml("content.xml")
        styles = package.xml("styles.xml") if "styles.xml" in package else None
    return OpenDocument(content, styles, path).paragraphs()


class OpenDocument:
    def __init__(self, content, styles, path: Path):
        self.content = content
        self.path = path
        self.styles: dict[str, tuple[str, str | None, bool]] = {}  # name -> (display name, parent, hidden)
        for root in (styles, content):
            if root is not None:
                self._read_styles(root)
        self.notes: list = []

    def _read_styles(self, root) -> None:
        for style in root.iter():
            if local_name(style) != "style":
                continue
            hidden = any(local_name(p) == "text-properties" and attribute(p, "display") == "none" for p in style)
            name = attribute(style, "name") or ""
            display = (attribute(style, "display-name") or name.replace("_20_", " ")).lower()
            self.styles[name] = (display, attribute(style, "parent-style-name"), hidden)

    def _chain(self, name: str | None) -> list[tuple[str, str | None, bool]]:
        chain, seen = [], set()
        while name and name in self.styles and name not in seen:
            seen.add(name)
            chain.append(self.styles[name])
            name = self.styles[name][1]
        return chain

    def _hidden(self, element) -> bool:
        return any(hidden for _, _, hidden in self._chain(attribute(element, "style-name")))

    def paragraphs(self) -> list[Paragraph]:
        body = next((e for e in self.content.iter() if local_name(e) == "text"
                     and e.getparent() is not None and local_name(e.getparent()) == "body"), None)
        if body is None:
            raise AlignError("no text body: not an OpenDocument text", self.path)
        found: list[Paragraph] = []
        self._blocks(body, BODY, found)
        for note in self.notes:
            self._blocks(note, FOOTNOTE, found)
        return found

    def _blocks(self, container, kind: str, found: list[Paragraph]) -> None:
        for element in container:
            name = local_name(element)
            if not name or name in SKIPPED:
                continue
            if name in BLOCKS:
                self._paragraph(element, kind, found)
            elif name in CONTAINERS:
                self._blocks(element, self._container_kind(name, kind), found)

    @staticmethod
    def _container_kind(name: str, kind: str) -> str:
        if kind != BODY:
            return kind
        return {"list-item": LIST_ITEM, "list-header": LIST_ITEM, "table-cell": TABLE_CELL}.get(name, kind)

    def _paragraph(self, element, kind: str, found: list[Paragraph]) -> None:
        if attribute(element, "is-hidden") == "true" or self._hidden(element):
            return
        parts: list[str] = []
        boxes: list = []
        self._inline(element, parts, boxes)
        paragraph = clean_paragraph("".join(parts), self._kind(element, kind))
        if paragraph:
            found.append(paragraph)
        for box in boxes:
            self._blocks(box, BODY if kind == BODY else kind, found)

    def _kind(self, element, kind: str) -> str:
        if kind != BODY:
            return kind
        names = [display for display, _, _ in self._chain(attribute(element, "style-name"))]
        if local_name(element) == "h" or any(name in ("title", "subtitle") or re.fullmatch(r"heading \d+", name)
                                             for name in names):
            return HEADING
        if any(name in CAPTION_STYLES for name in names):
            return CAPTION
        if any(name in ("quotations", "quote") for name in names):
            return QUOTE
        return BODY

    def _inline(self, element, parts: list[str], boxes: list) -> None:
        if element.text:
            parts.append(element.text)
        for item in element:
            name = local_name(item)
            if name == "s":
                parts.append(" " * int(attribute(item, "c") or 1))
            elif name == "tab":
                parts.append("\t")
            elif name == "line-break":
                parts.append("\n")
            elif name == "note":
                body = next((c for c in item if local_name(c) == "note-body"), None)
                if body is not None:
                    self.notes.append(body)
            elif name in ("frame", "text-box"):
                boxes.append(item)
            elif name == "hidden-text" or (name in ("span", "a") and self._hidden(item)):
                pass
            elif name and name not in SKIPPED:  # spans, links, fields (their shown text), ruby bases
                self._inline(item, parts, boxes)
            if item.tail:
                parts.append(item.tail)
