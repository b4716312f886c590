"""HTML pages (.html, .htm, .xhtml, or a file that starts like one): the article's paragraphs, each with its kind
(h1-h6: heading; li, dt, dd: list item; td, th: table cell; caption, figcaption: caption; blockquote: quote).

lxml's HTML parser (libxml2) with network access off; it never loads a DTD nor expands entities, and the DOCTYPE
(including any internal subset, where "billion laughs" and external entities live) is removed before parsing, so
entity references stay literal text, as in a browser. A member of the readers family (align.readers).
"""
from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import lxml.html

from ..errors import AlignError
from ..records import BODY, CAPTION, HEADING, LIST_ITEM, QUOTE, TABLE_CELL, Paragraph
from .decoding import BOMS, decode_bytes, normalize

NAME = "html"
SUFFIXES = (".html", ".htm", ".xhtml")

HTML_START = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)
DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.I | re.S)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# HTML's own label rules (WHATWG Encoding): these labels mean windows-1252.
WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}

DROPPED = {"nav", "footer", "aside", "script", "style", "form", "noscript", "template", "iframe", "svg",
           "canvas", "object", "embed", "button", "select", "textarea", "head", "dialog", "menu"}
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "section", "article", "main",
          "header", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "figure", "figcaption",
          "pre", "address", "hr", "body", "html"}


SPACES = re.compile(r"[^\S\u00a0\u202f]+|[\u00a0\u202f]{2,}")  # runs of white space, lone no-break spaces aside

KINDS = {"h1": HEADING, "h2": HEADING, "h3": HEADING, "h4": HEADING, "h5": HEADING, "h6": HEADING,
         "li": LIST_ITEM, "dt": LIST_ITEM, "dd": LIST_ITEM, "td": TABLE_CELL, "th": TABLE_CELL,
         "caption": CAPTION, "figcaption": CAPTION, "blockquote": QUOTE}


def sniff(data: bytes, path: Path) -> bool:
    """An HTML extension, or a file that starts like an HTML page (after any BOM, XML declaration, comments)."""
    return path.suffix.lower() in SUFFIXES or looks_like_html(data)


def read(data: bytes, path: Path) -> list[Paragraph]:
    paragraphs = html_paragraphs(decode_html(data, path))
    if not paragraphs:
        raise AlignError("no article text found in the HTML page", path)
    return paragraphs


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes start like an HTML page (after any BOM, XML declaration)."""
    head = data[:2048]
    for bom, codec in BOMS:
        if head.startswith(bom):
            head = head.decode(codec, errors="ignore").encode("utf-8")
            break
    return HTML_START.match(head) is not None


def decode_html(data: bytes, path: str | os.PathLike) -> str:
    """Decode an HTML page: a BOM or valid UTF-8 first (pages often declare latin-1 but are UTF-8), then a
    declared <meta charset> that decodes cleanly, then detection as for plain text."""
    declared = META_CHARSET.search(data[:4096])
    if declared and not any(data.startswith(bom) for bom, _ in BOMS) and not is_utf8(data):
        label = declared.group(1).decode("ascii", errors="ignore").lower()
        label = "cp1252" if label in WINDOWS_1252_LABELS else label
        try:
            if codecs.lookup(label).name not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
                return normalize(data.decode(label), path)
        except (LookupError, UnicodeDecodeError, AlignError):
            pass  # a wrong or unknown declaration: detect instead
    return decode_bytes(data, path)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def html_paragraphs(markup: str) -> list[Paragraph]:
    """The article's paragraphs: each block element's text (p, h1-h6, li, blockquote, ...), in order.

    Navigation, scripts, styles, forms and asides are dropped everywhere. When the page has <article> (or else
    <main>) elements, only those count; a <header> inside them is kept (it holds the title), elsewhere it is
    page chrome and dropped. A single <br> is a line break inside a paragraph, several in a row end it.
    """
    markup = DOCTYPE.sub("", XML_DECLARATION.sub("", markup, count=1), count=1)
    if not markup.strip():
        return []
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                                  default_doctype=False)
    root = lxml.html.document_fromstring(markup, parser=parser)
    roots = root.xpath("//*[local-name()='article'][not(ancestor::*[local-name()='article'])]") \
        or root.xpath("//*[local-name()='main'][not(ancestor::*[local-name()='main'])]")
    chrome = {"header"} if not roots else set()
    paragraphs: list[Paragraph] = []
    for content in roots or [root]:
        collect_paragraphs(content, DROPPED | chrome, paragraphs)
    return paragraphs


def collect_paragraphs(content, dropped: set[str], paragraphs: list[Paragraph]) -> None:
    """Walk the tree in document order, gathering inline text and ending a paragraph at each block edge; a
    paragraph's kind is that of the innermost block holding it that has one (a <p> inside <li> is a list item)."""
    buffer: list[str] = []
    kinds: list[str] = [BODY]

    def flush() -> None:
        for chunk in re.split(r"\n\s*\n", "".join(buffer)):
            # a lone no-break space is typography ("5\u00a0%"): kept, as the text reader and segment stage keep it
            paragraph = " ".join(SPACES.split(chunk.strip()))
            if paragraph:
                paragraphs.append(Paragraph(paragraph, kinds[-1]))
        buffer.clear()

    def walk(element) -> None:
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in dropped or element.get("hidden") is not None or not tag:
            return  # comments and processing instructions have a non-string tag
        block = tag in BLOCKS
        if block:
            flush()
            kinds.append(KINDS.get(tag, kinds[-1]))
        if tag == "br":
            buffer.append("\n")
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()
            kinds.pop()

    walk(content)
    flush()
