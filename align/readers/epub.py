"""EPUB books (2 and 3): the documents of the spine in reading order, each read by the HTML reader
(align.readers.html: paragraphs with their kinds; navigation, scripts and asides such as EPUB 3 footnotes left
out).

The container names the package document (META-INF/container.xml); its spine lists the reading order. Left out:
spine items marked linear="no" (pop-ups, answer keys), the EPUB 3 navigation document (a table of contents that
repeats the headings), items that are not (X)HTML, and everything outside the spine (cover image, NCX).
Parts are inflated with bounds and parsed without DTDs or entities (align.readers.package).
"""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from ..errors import AlignError
from ..records import Paragraph
from .html import decode_html, html_paragraphs
from .package import local_name, open_package

NAME = "epub"
SUFFIXES = (".epub",)
MIMETYPE = "application/epub+zip"
HTML_TYPES = ("application/xhtml+xml", "text/html")


def sniff(data: bytes, path: Path) -> bool:
    package = open_package(data, path)
    return package is not None and (package.text("mimetype") == MIMETYPE or (
        "META-INF/container.xml" in package and path.suffix.lower() == ".epub"))


def read(data: bytes, path: Path) -> list[Paragraph]:
    package = open_package(data, path)
    if package is None:
        raise AlignError("not an EPUB (no zip container)", path)
    rootfile = next((e.get("full-path") for e in package.xml("META-INF/container.xml").iter()
                     if local_name(e) == "rootfile" and e.get("full-path")), None)
    if rootfile is None:
        raise AlignError("damaged EPUB: META-INF/container.xml names no package document", path)
    opf = package.xml(rootfile)
    folder = posixpath.dirname(rootfile)
    manifest = {item.get("id"): item for item in opf.iter() if local_name(item) == "item"}
    paragraphs: list[Paragraph] = []
    for itemref in (e for e in opf.iter() if local_name(e) == "itemref"):
        item = manifest.get(itemref.get("idref"))
        if (item is None or itemref.get("linear") == "no" or "nav" in (item.get("properties") or "").split()
                or item.get("media-type") not in HTML_TYPES):
            continue
        part = posixpath.normpath(posixpath.join(folder, unquote(item.get("href", ""))))
        paragraphs.extend(html_paragraphs(decode_html(package.read(part), f"{path}!{part}")))
    return paragraphs
