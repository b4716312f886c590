"""Bilingual files given where a monolingual document is expected: TMX, XLIFF (1.2, 2.x, SDLXLIFF, memoQ's
MQXLIFF) and gettext PO/POT. They already pair source and target, so aligning them as a document would make
units of their markup; the reader refuses them (a usage error, exit status 2) and says which command reads them.

Recognised from the content (the XML root element; PO's msgid/msgstr entries), else from the extension.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import AlignUsageError
from ..records import Paragraph
from .decoding import BOMS

NAME = "bilingual"

XML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
                      r"<(?:[\w.-]+:)?(tmx|xliff)[\s>/]", re.S | re.I)
PO_ENTRY = re.compile(r"^msgid\s+\".*\"\s*\n(?:\".*\"\s*\n)*(?:msgid_plural\s+\".*\"\s*\n(?:\".*\"\s*\n)*)?"
                      r"msgstr(?:\[\d+\])?\s+\"", re.M)
SUFFIXES = {".tmx": "tmx", ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff",
            ".po": "po", ".pot": "po"}
MESSAGES = {
    "tmx": "a TMX translation memory (bilingual), not a document to align: `align check {name}` scores its units, "
           "`align export {name}` turns it into other formats",
    "xliff": "an XLIFF file (bilingual: its source and target are already paired); `align` aligns two monolingual "
             "documents: give it the source document and its translation",
    "po": "a gettext PO file (bilingual: msgid and msgstr are already paired); `align` aligns two monolingual "
          "documents: give it the source document and its translation",
}


def kind_of(data: bytes, path: Path) -> str | None:
    """"tmx", "xliff" or "po" when the bytes are one of those, else None."""
    head = data[:8192]
    for bom, codec in BOMS:
        if head.startswith(bom):
            head = head.decode(codec, errors="ignore").encode("utf-8")
            break
    text = head.decode("utf-8", "ignore").replace("\r\n", "\n")
    root = XML_ROOT.match(text)
    if root:
        return root.group(1).lower()
    if PO_ENTRY.search(text):
        return "po"
    return SUFFIXES.get(path.suffix.lower())


def sniff(data: bytes, path: Path) -> bool:
    return kind_of(data, path) is not None


def read(data: bytes, path: Path) -> list[Paragraph]:
    raise AlignUsageError(MESSAGES[kind_of(data, path) or "xliff"].format(name=path.name), path)
