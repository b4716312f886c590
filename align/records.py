"""The typed records passed between pipeline stages: read -> segment -> embed -> align -> score -> write."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .languages import is_serbian, standard_tag

# What a paragraph is in its document; readers say it, and it travels with each sentence to the alignment file
# and the report, so that a reviewer sees which unit came from a heading, a table cell or a caption.
BODY, HEADING, LIST_ITEM, TABLE_CELL, CAPTION, QUOTE, FOOTNOTE = (
    "body", "heading", "list-item", "table-cell", "caption", "quote", "footnote")
PARAGRAPH_KINDS = (BODY, HEADING, LIST_ITEM, TABLE_CELL, CAPTION, QUOTE, FOOTNOTE)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as a reader found it: its text (line breaks inside it kept as "\\n") and its kind."""

    text: str
    kind: str = BODY


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document; `index` is its 0-based position in the document."""

    text: str
    index: int
    paragraph: int
    kind: str = BODY  # the kind of its paragraph


@dataclass(frozen=True)
class SourceFile:
    """The file a document was read from: where it was, its SHA-256 and the reader that read it."""

    path: str
    sha256: str
    format: str  # a member of align.readers: "text", "html", ...


@dataclass
class Document:
    """A segmented document: its sentences in order, its language and (for Serbian) its script."""

    name: str
    lang: str  # as given by the user: "en", "sr", "de", ...
    sentences: list[Sentence]
    script: str | None = None  # "Latn", "Cyrl" or "mixed" when detected
    source: SourceFile | None = None  # None for sentences given directly
    notices: list[str] = field(default_factory=list)  # what the reader or splitter warns of (not saved)

    @property
    def tag(self) -> str:
        """BCP-47 tag for TMX: Serbian gets its script subtag (sr-Latn / sr-Cyrl)."""
        if is_serbian(self.lang) and self.script in ("Latn", "Cyrl"):
            return f"sr-{self.script}"
        return standard_tag(self.lang)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass(frozen=True)
class Flag:
    """A quality check that fired on a unit, with a short reason a reviewer can read; `severe` when it means the
    unit is not usable as it is (the check says so: align.quality)."""

    name: str
    reason: str
    severe: bool = False


def is_ok(flags: list[Flag]) -> bool:
    """The one rule: a unit is ok unless one of its flags is severe."""
    return not any(flag.severe for flag in flags)


@dataclass
class Bead:
    """A group of source and target sentences aligned together (either side may be empty).

    `score` is the calibrated confidence in [0, 1]; `similarity` the raw embedding cosine;
    `margin` how much better this bead is than its neighbourhood.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    similarity: float = 0.0
    margin: float = 0.0
    flags: list[Flag] = field(default_factory=list)
    status: str = ""  # what a reviewer said: "confirmed", "rejected", or "" (not yet reviewed)

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_unit(self) -> bool:
        """1-0 and 0-1 beads are not translation units."""
        return bool(self.src) and bool(self.tgt)


@dataclass(frozen=True)
class Splice:
    """What an edit changed in one list (the beads, or one side's sentences): `old` became `new` at position `at`."""

    at: int = 0
    old: tuple = ()
    new: tuple = ()


@dataclass(frozen=True)
class EditStep:
    """One reviewer's action (one or more edit operations, align.edits) with what it changed, enough to undo and
    redo it without the model: beads as (source count, target count, status), sentences as (text, paragraph, kind,
    vector as little-endian float32 bytes or None)."""

    ops: tuple[dict, ...]
    beads: Splice
    src: Splice
    tgt: Splice


@dataclass
class EditHistory:
    """The edits made to an alignment: `steps[:done]` are applied, `steps[done:]` were undone (redo brings them
    back; a new edit drops them)."""

    steps: list[EditStep] = field(default_factory=list)
    done: int = 0


@dataclass
class Alignment:
    """The result of aligning two documents."""

    src: Document
    tgt: Document
    beads: list[Bead]
    name: str = ""  # document name; unit ids (TMX tuids) derive from it
    model: str = ""
    settings: dict = field(default_factory=dict)  # what the aligner was run with: {"max_align": 4, ...}
    timings: dict[str, float] = field(default_factory=dict)
    # the sentence embeddings the beads were found with (one row per sentence); the report draws them
    src_embeddings: np.ndarray | None = field(default=None, repr=False, compare=False)
    tgt_embeddings: np.ndarray | None = field(default=None, repr=False, compare=False)
    warnings: list[str] = field(default_factory=list)  # what makes the whole alignment suspect (score stage)
    history: EditHistory = field(default_factory=EditHistory)  # the review's edits, for undo and redo
    # the TMX the two documents were taken from (its units, one sentence each side), when the alignment is a review
    # of another tool's TMX: what the review leaves alone is written back from it as it was (align.formats.tmx_review)
    original_tmx: bytes | None = field(default=None, repr=False)

    @property
    def units(self) -> list[Bead]:
        """The beads that become translation units (both sides non-empty), in document order."""
        return [b for b in self.beads if b.is_unit]

    @property
    def to_review(self) -> int:
        """Beads a reviewer must look at: units that are not ok and unaligned sentences (their flags are severe)."""
        return sum(not is_ok(bead.flags) for bead in self.beads)

    def unit_id(self, position: int) -> str:
        """Stable id of the unit at 0-based `position` among `units`: `<name>-0001`, ..."""
        return f"{self.name or 'doc'}-{position + 1:04d}"

    def src_text(self, bead: Bead) -> str:
        return " ".join(self.src.sentences[i].text for i in bead.src)

    def tgt_text(self, bead: Bead) -> str:
        return " ".join(self.tgt.sentences[j].text for j in bead.tgt)


@dataclass
class ReportRow:
    """One row of a report: a bead of an alignment, or a unit of an audited TMX."""

    id: str  # the unit's id (TMX tuid); empty for 1-0 / 0-1 beads
    src: str
    tgt: str
    bead: str  # its shape, "2-1"
    unit: bool  # a translation unit (False for the 1-0 / 0-1 beads of an alignment)
    score: float | None  # None for 1-0 / 0-1 beads, which have no confidence of their own
    flags: list[Flag]
    similarity: float | None = None
    margin: float | None = None
    src_indices: list[int] = field(default_factory=list)
    tgt_indices: list[int] = field(default_factory=list)
    src_kinds: list[str] = field(default_factory=list)  # the kinds of the paragraphs its sentences come from
    tgt_kinds: list[str] = field(default_factory=list)
    # a TMX segment with inline codes as runs of (is a code, text); the page shows the codes as chips
    src_pieces: tuple[tuple[bool, str], ...] = ()
    tgt_pieces: tuple[tuple[bool, str], ...] = ()

    @property
    def ok(self) -> bool:
        return is_ok(self.flags)
