"""Files no reader reads: binary files (NUL bytes without a byte-order mark, or a known binary signature) and
zip containers that are not a document we read (a spreadsheet, a presentation, a plain zip). Refused as a usage
error (exit status 2) naming the type when it is known, and the formats to save the document as.

UTF-16 text without its byte-order mark is left to the text reader, whose message says what to do about it.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import AlignUsageError
from ..records import Paragraph
from .decoding import BOMS, looks_like_utf16_without_bom
from .package import open_package

NAME = "unsupported"

ACCEPTED = ".txt, .docx, .odt, .pdf, .html, .md, .epub or .srt"
SIGNATURES = (  # the start of a file -> what it is
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc, .xls, .ppt)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%!PS", "PostScript"),
    (b"AT&TFORM", "a DjVu document"),
)
ZIP_TYPES = (  # a member or mimetype -> what the container is
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("application/vnd.oasis.opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods)"),
    ("application/vnd.oasis.opendocument.presentation", "an OpenDocument presentation (.odp)"),
    ("application/vnd.oasis.opendocument.graphics", "an OpenDocument drawing (.odg)"),
)


def what_it_is(data: bytes, path: Path) -> str | None:
    """What an unreadable file is, or None when it may be text (the text reader then decides)."""
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name + binary(data)
    package = open_package(data, path)
    if package is not None:
        mimetype = package.text("mimetype")
        return next((name for key, name in ZIP_TYPES if key == mimetype or key in package),
                    "a zip archive that is not a document")
    if b"\x00" in data and not any(data.startswith(bom) for bom, _ in BOMS) and not looks_like_utf16_without_bom(
            data):
        return "a binary file (contains NUL bytes), not text"
    return None


def binary(data: bytes) -> str:
    return ": a binary file (contains NUL bytes)" if b"\x00" in data[:65536] else ""


def sniff(data: bytes, path: Path) -> bool:
    return what_it_is(data, path) is not None


def read(data: bytes, path: Path) -> list[Paragraph]:
    raise AlignUsageError(f"unsupported file type ({what_it_is(data, path)}); save it as {ACCEPTED}", path)
