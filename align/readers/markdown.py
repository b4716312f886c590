"""Markdown (.md, .markdown; CommonMark with GFM tables and strikethrough, footnotes, YAML front matter), parsed
by markdown-it-py: the text without its markup.

Kept: paragraphs, headings (kind heading), list items (list-item), block quotes (quote), table cells (table-cell,
row by row), footnotes (footnote, after the text, where the parser puts them), link text, inline code (a term
inside a sentence), emphasis without its asterisks; a soft line break is a space (Markdown is hard-wrapped), a
hard one ("  " or "\\" at the end of a line) a line break; raw HTML blocks read as HTML (align.readers.html).
Dropped: the markup itself, URLs, images (their alternative text is not running text), code blocks and fences,
front matter, inline HTML tags, footnote reference marks.

Markdown is recognised by its extension only: any plain text is valid Markdown, so the content cannot tell.
"""
from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import AlignError
from ..records import BODY, FOOTNOTE, HEADING, LIST_ITEM, QUOTE, TABLE_CELL, Paragraph
from .decoding import decode_bytes
from .html import html_paragraphs
from .text import clean_paragraph

NAME = "markdown"
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

OPENS = {"heading_open": HEADING, "list_item_open": LIST_ITEM, "blockquote_open": QUOTE, "th_open": TABLE_CELL,
         "td_open": TABLE_CELL, "footnote_open": FOOTNOTE}
CLOSES = {name.replace("_open", "_close") for name in OPENS}
INLINE_TEXT = {"text", "code_inline"}


def parser() -> MarkdownIt:
    return (MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
            .use(front_matter_plugin).use(footnote_plugin))


def sniff(data: bytes, path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read(data: bytes, path: Path) -> list[Paragraph]:
    paragraphs = markdown_paragraphs(decode_bytes(data, path))
    if not paragraphs:
        raise AlignError("no text found in the Markdown (only code, images or markup)", path)
    return paragraphs


def markdown_paragraphs(source: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    kinds = [BODY]
    for token in parser().parse(source):
        if token.type in OPENS:
            kinds.append(OPENS[token.type] if kinds[-1] in (BODY, QUOTE) else kinds[-1])
        elif token.type in CLOSES:
            kinds.pop()
        elif token.type == "inline":
            paragraph = clean_paragraph(inline_text(token.children or []), kinds[-1])
            if paragraph:
                paragraphs.append(paragraph)
        elif token.type == "html_block":
            paragraphs.extend(html_paragraphs(token.content))
    return paragraphs


def inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in INLINE_TEXT:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
