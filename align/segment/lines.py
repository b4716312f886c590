"""Line breaks inside a paragraph of plain text: where they end a segment whatever the sentence rules say."""
from __future__ import annotations

import re

from .rules import CLOSERS, OPENERS, TERMINALS

# A line that opens a list item: a bullet, or "1." / "2)" / "a)" before a word. An en or em dash opens a line of
# dialogue ("– Da, rekao je.") only before a capital: in wrapped text it may be a parenthetical dash.
_BULLET_LINE = re.compile(r"[-•·*▪◦‣]\s")
_DASH_LINE = re.compile(r"[–—]\s+[„“\"'(«]?[^\W\d_]")
_NUMBERED_LINE = re.compile(r"(?:\d{1,2}[.)]|[^\W\d_][)])\s+[„“\"'(«]?[^\W\d_]")
HEADING_SHARE = 0.6  # a line without final punctuation shorter than this share of the paragraph's longest


def _starts_block(previous: str, line: str, following: str, longest: int) -> bool:
    """Whether a line break inside a paragraph ends a segment whatever the sentence rules say: before a list
    item, or after a heading (a line without final punctuation, short beside the paragraph's longest line).
    A numbered line is an item after a line ending in punctuation, or inside a run of numbered lines (a list);
    alone after an unfinished line it is more likely a wrapped date or number ("u\n15. marta")."""
    previous_end = previous.rstrip(CLOSERS)[-1:]
    if _BULLET_LINE.match(line):
        return True
    dash = _DASH_LINE.match(line)
    if dash and (line[dash.end() - 1].isupper() or previous_end in TERMINALS + ":;"):
        return True
    numbered = _NUMBERED_LINE.match(line)
    if numbered and (previous_end in TERMINALS + ":;" and line[numbered.end() - 1].isupper()
                     or previous_end == ":" or _NUMBERED_LINE.match(previous) or _NUMBERED_LINE.match(following)):
        return True
    starts_like_a_sentence = line[0].isupper() or line[0].isdigit() or line[0] in OPENERS
    return (previous_end not in TERMINALS + ":;," and starts_like_a_sentence
            and len(previous) < HEADING_SHARE * longest)


def line_blocks(paragraph: str) -> list[str]:
    """A paragraph's lines joined into blocks that the sentence rules then split.

    A line break is a space (text hard-wrapped at a fixed width) except before a list item and after a
    heading: text exported from Word or a PDF often has one paragraph per line and no blank lines, where
    "Uvod" or "- prva stavka" would otherwise run into the next sentence.
    """
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if len(lines) <= 1:
        return lines
    longest = max(map(len, lines))
    blocks = [lines[0]]
    for previous, line, following in zip(lines, lines[1:], [*lines[2:], ""]):
        if _starts_block(previous, line, following, longest):
            blocks.append(line)
        else:
            blocks[-1] += "\n" + line
    return blocks
