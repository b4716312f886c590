"""The typed records passed between pipeline stages: read -> segment -> embed -> align -> score -> write."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import langcodes
import numpy as np


@functools.lru_cache(maxsize=4096)
def primary_language(tag: str) -> str:
    """The language of a tag as its shortest code, whatever its case, separator or code set: "sr" for "sr-Latn",
    "SR", "sr_RS", "srp" (ISO 639-2/3) and "sh" (langcodes' normalisation, CLDR's aliases)."""
    try:
        return langcodes.Language.get(tag.replace("_", "-"), normalize=True).language or tag.lower()
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        return tag.replace("_", "-").split("-")[0].lower()


def script_subtag(tag: str) -> str | None:
    """The script of a language tag ("latn" in "sr-Latn-RS"), lower-cased; None when it names none."""
    parts = tag.replace("_", "-").split("-")[1:]
    return next((part.lower() for part in parts if len(part) == 4 and part.isalpha()), None)


def is_serbian(tag: str) -> bool:
    return primary_language(tag) == "sr"


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document; `index` is its 0-based position in the document."""

    text: str
    index: int
    paragraph: int


@dataclass
class Document:
    """A segmented document: its sentences in order, its language and (for Serbian) its script."""

    name: str
    lang: str  # as given by the user: "en", "sr", "de", ...
    sentences: list[Sentence]
    script: str | None = None  # "Latn", "Cyrl" or "mixed" when detected

    @property
    def tag(self) -> str:
        """BCP-47 tag for TMX: Serbian gets its script subtag (sr-Latn / sr-Cyrl)."""
        if is_serbian(self.lang) and self.script in ("Latn", "Cyrl"):
            return f"sr-{self.script}"
        try:
            return langcodes.standardize_tag(self.lang.replace("_", "-"))  # EN -> en, en_us -> en-US, eng -> en
        except (langcodes.tag_parser.LanguageTagError, ValueError):
            return self.lang

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass(frozen=True)
class Flag:
    """A quality check that fired on a unit, with a short reason a reviewer can read."""

    name: str
    reason: str


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

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_unit(self) -> bool:
        """1-0 and 0-1 beads are not translation units."""
        return bool(self.src) and bool(self.tgt)


@dataclass
class Alignment:
    """The result of aligning two documents."""

    src: Document
    tgt: Document
    beads: list[Bead]
    name: str = ""  # document name; unit ids (TMX tuids) derive from it
    model: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    # the sentence embeddings the beads were found with (one row per sentence); the report draws them
    src_embeddings: np.ndarray | None = field(default=None, repr=False, compare=False)
    tgt_embeddings: np.ndarray | None = field(default=None, repr=False, compare=False)
    warnings: list[str] = field(default_factory=list)  # what makes the whole alignment suspect (score stage)

    @property
    def units(self) -> list[Bead]:
        """The beads that become translation units (both sides non-empty), in document order."""
        return [b for b in self.beads if b.is_unit]

    def unit_id(self, position: int) -> str:
        """Stable id of the unit at 0-based `position` among `units`: `<name>-0001`, ..."""
        return f"{self.name or 'doc'}-{position + 1:04d}"

    def src_text(self, bead: Bead) -> str:
        return " ".join(self.src.sentences[i].text for i in bead.src)

    def tgt_text(self, bead: Bead) -> str:
        return " ".join(self.tgt.sentences[j].text for j in bead.tgt)
