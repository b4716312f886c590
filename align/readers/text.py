"""Plain text in any common encoding (align.readers.decoding): paragraphs separated by blank lines, the line
breaks inside a paragraph kept for the segment stage (align.segment.lines decides which of them end a segment).
The readers family's fallback member: whatever no other reader claims is read as text."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import AlignError
from ..records import Paragraph
from .decoding import CONTROL, decode_bytes

NAME = "text"

_BLANK_LINES = re.compile(r"\n\s*\n")


def sniff(data: bytes, path: Path) -> bool:
    return True


def read(data: bytes, path: Path) -> list[Paragraph]:
    text = decode_bytes(data, path)
    if not text.strip():
        raise AlignError("contains only whitespace", path)
    return [Paragraph(paragraph) for paragraph in split_paragraphs(text)]


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: separated by one or more blank (whitespace-only) lines.

    CRLF and CR line ends are normalised; a paragraph's inner line breaks are kept. Empty paragraphs are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def clean_paragraph(text: str, kind: str) -> Paragraph | None:
    """A paragraph from text a structured reader gathered (runs, cues, PDF lines): in NFC, without control
    characters (which TMX cannot carry), each line stripped, empty lines dropped, the line breaks that remain
    kept for the segment stage (which also makes each run of white space inside a sentence one space); None when
    nothing is left."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
    return Paragraph(text, kind) if text else None
