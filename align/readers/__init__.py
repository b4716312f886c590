"""Read stage: a file -> its paragraphs, each with a kind (read -> segment -> embed -> align -> score -> write).

The readers form a family, one module per member, each with NAME, `sniff(data, path) -> bool` (whether it reads
these bytes: decided from the content first, the extension second) and `read(data, path) -> list[Paragraph]`.
They are asked in the order of READERS; the first that claims the file reads it: the members that sniff the
content first (zip containers by their manifest, %PDF, subtitle cue timings, an XML root), then those that go
by extension or markup (HTML, Markdown), then the refusals of what no member reads, plain text last.

Members: docx, odt (and flat .fodt), epub, pdf, subtitles (SRT, WebVTT), bilingual (refuses TMX, XLIFF, PO with
the command that reads them), html, markdown, unsupported (refuses other binary files and containers), text.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import AlignError
from ..records import Paragraph, SourceFile
from . import (
    bilingual,
    docx,
    epub,
    html,
    markdown,
    odt,
    pdf,
    subtitles,
    text,
    unsupported,
)
from .decoding import read_bytes

READERS = (docx, odt, epub, pdf, subtitles, bilingual, html, markdown, unsupported, text)
BY_NAME = {reader.NAME: reader for reader in READERS}


def read_paragraphs(path: str | os.PathLike) -> tuple[list[Paragraph], SourceFile]:
    """A file's paragraphs, and what it was (path, SHA-256, the reader that read it)."""
    path = Path(path)
    data = read_bytes(path)
    reader = next(reader for reader in READERS if reader.sniff(data, path))
    paragraphs = reader.read(data, path)
    if not paragraphs:
        raise AlignError("no text found", path)
    return paragraphs, SourceFile(str(path), hashlib.sha256(data).hexdigest(), reader.NAME)


def read_text(path: str | os.PathLike) -> str:
    """A file's text, paragraphs separated by blank lines (what `align split` and the tests look at)."""
    return "\n\n".join(paragraph.text for paragraph in read_paragraphs(path)[0])
