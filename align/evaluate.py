"""Score an alignment against a gold one: strict and lax precision, recall and F1.

The definitions are the standard ones of the public test sets (see ../shared/benchmarks/README.md): beads with
an empty side are left out; a system bead is strictly correct when it equals a gold bead, laxly correct when it
shares at least one source and one target sentence with a gold bead; recall applies the same rules with the roles
swapped; counts are summed over all documents of a set before P, R and F1 are computed.

Gold files hold one bead per line, 0-based: `[0]:[0, 1]` (a 1-2 bead), `[3]:[]` (a deletion), `[]:[5]`.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AlignError

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]

_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def parse_bead_line(line: str) -> BeadPair:
    """`[0]:[0, 1]` -> ((0,), (0, 1)); raises ValueError on anything else."""
    match = _BEAD_LINE.match(line)
    if not match:
        raise ValueError(f"not a bead: {line.strip()!r}")
    return tuple(_indices(match.group(1))), tuple(_indices(match.group(2)))


def _indices(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def read_beads(path: str | os.PathLike) -> list[BeadPair]:
    """Read a gold (or system) alignment in the line format; one clear AlignError on a bad line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AlignError(f"cannot read the alignment: {getattr(exc, 'strerror', None) or exc}", path) from exc
    beads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            beads.append(parse_bead_line(line))
        except ValueError as exc:
            raise AlignError(f"line {number}: {exc}", path) from None
    return beads


@dataclass
class Counts:
    """Correct and total beads, strict and lax, summed over documents."""

    system: int = 0
    gold: int = 0
    strict_system: int = 0  # system beads equal to a gold bead
    strict_gold: int = 0  # gold beads equal to a system bead
    lax_system: int = 0  # system beads sharing a source and a target sentence with a gold bead
    lax_gold: int = 0  # the same, gold against system

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass
class Evaluation:
    """P/R/F1, strict and lax, from counts summed over one or more documents."""

    counts: Counts = field(default_factory=Counts)

    def add(self, system: Iterable[BeadPair], gold: Iterable[BeadPair]) -> None:
        self.counts.add(count(system, gold))

    @property
    def strict(self) -> Scores:
        return _scores(self.counts.strict_system, self.counts.strict_gold, self.counts.system, self.counts.gold)

    @property
    def lax(self) -> Scores:
        return _scores(self.counts.lax_system, self.counts.lax_gold, self.counts.system, self.counts.gold)


def _scores(correct_system: int, correct_gold: int, system: int, gold: int) -> Scores:
    precision = correct_system / system if system else 0.0
    recall = correct_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _units(beads: Iterable[BeadPair]) -> list[BeadPair]:
    return [(tuple(s), tuple(t)) for s, t in beads if len(s) and len(t)]


def _lax_hits(beads: list[BeadPair], others: list[BeadPair]) -> int:
    """How many of `beads` share at least one source and one target sentence with one bead of `others`."""
    bead_of_src: dict[int, set[int]] = {}
    bead_of_tgt: dict[int, set[int]] = {}
    for number, (src, tgt) in enumerate(others):
        for i in src:
            bead_of_src.setdefault(i, set()).add(number)
        for j in tgt:
            bead_of_tgt.setdefault(j, set()).add(number)
    hits = 0
    for src, tgt in beads:
        via_src = set().union(*(bead_of_src.get(i, set()) for i in src))
        via_tgt = set().union(*(bead_of_tgt.get(j, set()) for j in tgt))
        hits += bool(via_src & via_tgt)
    return hits


def count(system: Iterable[BeadPair], gold: Iterable[BeadPair]) -> Counts:
    """Counts of one document (1-0 and 0-1 beads left out on both sides)."""
    system_units, gold_units = _units(system), _units(gold)
    gold_set, system_set = set(gold_units), set(system_units)
    return Counts(
        system=len(system_units),
        gold=len(gold_units),
        strict_system=sum(bead in gold_set for bead in system_units),
        strict_gold=sum(bead in system_set for bead in gold_units),
        lax_system=_lax_hits(system_units, gold_units),
        lax_gold=_lax_hits(gold_units, system_units),
    )


def evaluate(documents: Iterable[tuple[Iterable[BeadPair], Iterable[BeadPair]]]) -> Evaluation:
    """Evaluate (system, gold) bead lists of several documents together."""
    evaluation = Evaluation()
    for system, gold in documents:
        evaluation.add(system, gold)
    return evaluation


# ---------------------------------------------------------------------------------------------- gold documents

def gold_documents(folder: str | os.PathLike) -> list[tuple[str, str]]:
    """(name, Serbian file tag) of every document of a gold folder laid out as bench/data/ensr is: name.beads with
    name.en.txt/.sent and name.sr-Latn.txt/.sent or name.sr-Cyrl.txt/.sent."""
    folder = Path(folder)
    return [(beads.stem, next(folder.glob(f"{beads.stem}.sr-*.txt")).name.split(".")[1])
            for beads in sorted(folder.glob("*.beads"))]


# ---------------------------------------------------------------------------------------------- sentence splits

@dataclass(frozen=True)
class Passage:
    """A passage of gold sentence splits: the sentences of each paragraph."""

    paragraphs: tuple[tuple[str, ...], ...]
    known_miss: bool = False  # the splitter is known to get it wrong (counted in scores, expected to fail in tests)

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(sentences) for sentences in self.paragraphs)


def read_split_gold(path: str | os.PathLike) -> list[Passage]:
    """Gold sentence splits (tests/data/segment): passages separated by a line "==="; one sentence per line; a
    blank line between paragraphs; lines starting with "#" are notes, and a note starting "# known miss" marks a
    passage the splitter is known to get wrong."""
    raw = Path(path).read_text(encoding="utf-8")
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
    """Sentence ends inside paragraphs and paragraph ends, as counts of non-space characters: two splits of the
    same text compare by these, whatever white space each keeps."""
    inner, paragraph_ends = set(), set()
    position = 0
    for sentences in paragraphs:
        for sentence in sentences:
            position += sum(not c.isspace() for c in sentence)
            inner.add(position)
        inner.discard(position)
        paragraph_ends.add(position)
    return inner, paragraph_ends
