"""The gold sentence splits in tests/data/segment, shared by tests/test_segment.py and bench/bench_split.py.

File format: passages separated by a line "==="; one sentence per line; a blank line between
paragraphs; lines starting with "#" are notes, and a note starting "# known miss" marks a passage the
splitter is known to get wrong (counted in the scores, expected to fail in the tests).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GOLD_DIR = Path(__file__).parent / "data" / "segment"
GOLD_FILES = {"sr-Latn": "sr-Latn.txt", "sr-Cyrl": "sr-Cyrl.txt", "en": "en.txt"}


@dataclass(frozen=True)
class Passage:
    paragraphs: tuple[tuple[str, ...], ...]  # the gold sentences of each paragraph
    known_miss: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(sentences) for sentences in self.paragraphs)


def load_passages(name: str) -> list[Passage]:
    """The gold passages of one language/script ("sr-Latn", "sr-Cyrl", "en")."""
    raw = (GOLD_DIR / GOLD_FILES[name]).read_text(encoding="utf-8")
    passages = []
    for block in raw.split("\n===\n"):
        paragraphs: list[list[str]] = [[]]
        known_miss = False
        for line in block.split("\n"):
            if line.startswith("#"):
                known_miss = known_miss or line.startswith("# known miss")
                continue
            if not line.strip():
                if paragraphs[-1]:
                    paragraphs.append([])
                continue
            paragraphs[-1].append(line)
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            passages.append(Passage(tuple(tuple(p) for p in paragraphs), known_miss))
    return passages


def boundaries(paragraphs: list[list[str]]) -> tuple[set[int], set[int]]:
    """Sentence ends inside paragraphs and paragraph ends, as counts of non-space characters."""
    inner, paragraph_ends = set(), set()
    position = 0
    for sentences in paragraphs:
        for sentence in sentences:
            position += sum(not c.isspace() for c in sentence)
            inner.add(position)
        inner.discard(position)
        paragraph_ends.add(position)
    return inner, paragraph_ends
