"""Segment stage: paragraphs -> sentences (read -> *segment* -> embed -> align -> score -> write).

The splitters form a family, one module per member, chosen by the language's module (align.languages):
- `rules` (rules.py): our boundary rules, with the language's data (abbreviations, words that start a
  sentence, ordinals, dates). English, Serbian (both scripts; Croatian and Bosnian share its lists), Slovenian,
  Macedonian, Bulgarian, and any language neither has data for (then: split after . ? ! … before a capital
  letter, digit or opening quote, dash or bracket).
- `pysbd` (pysbd_splitter.py): pysbd, for the other languages it knows (de, fr, es, it, nl, ru, pl, zh, ja, ...).

A member is a module with NAME and `split(text, language) -> list[str]` for one block of text.
"""
from __future__ import annotations

import re

from ..languages import language
from ..readers.text import split_paragraphs
from ..records import Paragraph, Sentence
from . import pysbd_splitter, rules
from .lines import line_blocks

SPLITTERS = {member.NAME: member for member in (rules, pysbd_splitter)}

_WHITESPACE = re.compile(r"\s+")


def _normalize_space(run: re.Match[str]) -> str:
    # A lone no-break space is typography ("5\u00a0%", "General\u00a0Milan"): kept as written.
    space = run.group(0)
    return space if space in rules.NO_BREAK_SPACES and len(space) == 1 else " "


def split_paragraph(paragraph: str, lang: str) -> list[str]:
    """The sentences of one paragraph.

    Each run of whitespace inside a sentence becomes one space (a lone no-break space is kept); otherwise the
    text is unchanged: no character is lost, added or reordered.
    """
    if any(space in paragraph for space in rules.NO_BREAK_SPACES):
        text = _WHITESPACE.sub(_normalize_space, paragraph.strip())
    else:
        text = " ".join(paragraph.split())
    if not text:
        return []
    spoken = language(lang)  # Montenegrin (cnr) comes back as Serbian
    return SPLITTERS[spoken.splitter].split(text, spoken)


def _paragraphs(document: str | list[Paragraph]) -> list[Paragraph]:
    return [Paragraph(p) for p in split_paragraphs(document)] if isinstance(document, str) else document


def split_document(document: str | list[Paragraph], lang: str) -> list[Sentence]:
    """All sentences of a document (its paragraphs, or a plain text whose paragraphs are separated by blank
    lines), numbered 0..n-1; a paragraph boundary always ends a sentence, and so does a line break before a list
    item or after a heading (line_blocks). Each sentence keeps its paragraph's number and kind."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(_paragraphs(document)):
        for block in line_blocks(paragraph.text):
            for sentence in split_paragraph(block, lang):
                sentences.append(Sentence(sentence, len(sentences), number, paragraph.kind))
    return sentences


def presplit_document(document: str | list[Paragraph]) -> list[Sentence]:
    """A pre-split document: one sentence per non-empty line, taken as given (surrounding whitespace stripped);
    blank lines separate paragraphs and are not sentences."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(_paragraphs(document)):
        for line in paragraph.text.split("\n"):
            if line.strip():
                sentences.append(Sentence(line.strip(), len(sentences), number, paragraph.kind))
    return sentences


def sentence_lines(sentences: list[Sentence]) -> str:
    """One sentence per line, an empty line between paragraphs: what presplit_document reads back."""
    lines: list[str] = []
    for previous, sentence in zip([None, *sentences], sentences):
        if previous is not None and previous.paragraph != sentence.paragraph:
            lines.append("")
        lines.append(sentence.text)
    return "\n".join(lines) + "\n" if lines else ""
