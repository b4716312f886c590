"""Subtitles: SubRip (.srt) and WebVTT (.vtt), recognised by their cue timings (or the WEBVTT header), whatever
the extension.

Kept: the cues' text, joined into running text in cue order, so that a sentence running over several cues is
one sentence again (the segment stage then splits it as usual); a line opening with a dialogue dash ("- Hi.",
two speakers in one cue) starts a new paragraph, its dash dropped.
Dropped: cue numbers and identifiers, timecodes and cue settings, styling tags (<i>, <b>, <u>, <font>, <c.x>,
<v Speaker>, <lang>, <ruby>/<rt> annotations, karaoke timestamps), SSA override codes ({\\an8}), WebVTT header
text, NOTE, STYLE and REGION blocks; character references are decoded.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import AlignError
from ..records import BODY, Paragraph
from .decoding import BOMS, decode_bytes
from .text import clean_paragraph

NAME = "subtitles"
SUFFIXES = (".srt", ".vtt")

TIMING = r"(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}"
TIMING_LINE = re.compile(rf"^\s*{TIMING}")
SRT_START = re.compile(rf"^\s*\d+\s*\n\s*{TIMING}")
VTT_START = re.compile(r"^WEBVTT(?:[ \t].*)?$", re.M)
RUBY_TEXT = re.compile(r"<rt>.*?</rt>", re.S | re.I)
TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<\d{1,2}:\d{2}[:.][\d.:]*>")
OVERRIDE = re.compile(r"\{\\[^{}]*\}")
DIALOGUE_DASH = re.compile(r"^[-–—]\s*(?=[^\W\d_]|[\"'„“«¿¡(])")
BLANK_LINES = re.compile(r"\n[ \t]*\n")


def sniff(data: bytes, path: Path) -> bool:
    head = data[:512]
    for bom, codec in BOMS:
        if head.startswith(bom):
            head = head.decode(codec, errors="ignore").encode("utf-8")
            break
    text = head.replace(b"\r\n", b"\n").decode("utf-8", "ignore").lstrip("\ufeff")
    return bool(text.startswith("WEBVTT") or SRT_START.match(text))


def read(data: bytes, path: Path) -> list[Paragraph]:
    text = decode_bytes(data, path).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [] if not text.strip() else subtitle_paragraphs(text)
    if not paragraphs:
        raise AlignError("no cue text found in the subtitles", path)
    return paragraphs


def cue_lines(text: str) -> list[str]:
    """The text lines of every cue, in order: blocks without a timing line (the WebVTT header, NOTE, STYLE and
    REGION blocks, stray numbers) are left out, and so are the lines before and including the timing."""
    lines: list[str] = []
    for block in BLANK_LINES.split(text.strip("\n")):
        block_lines = block.split("\n")
        timing = next((k for k, line in enumerate(block_lines) if TIMING_LINE.match(line)), None)
        if timing is not None:
            lines.extend(block_lines[timing + 1:])
    return lines


def subtitle_paragraphs(text: str) -> list[Paragraph]:
    paragraphs: list[str] = [""]
    for line in cue_lines(text):
        line = html.unescape(TAG.sub("", OVERRIDE.sub("", RUBY_TEXT.sub("", line)))).strip()
        if not line:
            continue
        dash = DIALOGUE_DASH.match(line)
        if dash:
            paragraphs.append(line[dash.end():])
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
    return [p for p in (clean_paragraph(text, BODY) for text in paragraphs) if p]
