"""The two records every quality check reads: a unit's facts and its document's context."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .profile import DocumentProfile


@dataclass(frozen=True)
class Sentences:
    """One side of a unit as its sentences, with their embeddings (one L2-normalised row each): what the omission
    check reads. Given for both sides of a unit when one of them holds two sentences or more."""

    texts: tuple[str, ...]
    vectors: np.ndarray = field(repr=False, compare=False)


@dataclass(frozen=True)
class UnitFacts:
    """What a check sees of one unit (a bead of an alignment, or a unit of a TMX)."""

    src: str
    tgt: str
    src_tag: str = ""  # the language tags its sides are labelled with
    tgt_tag: str = ""
    src_sentences: tuple[int, ...] = ()  # 0-based sentence numbers (alignments)
    tgt_sentences: tuple[int, ...] = ()
    confidence: float | None = None  # None: not judged (no evidence, or not a pair to judge)
    similarity: float = 0.0
    margin: float = 0.0
    src_codes: tuple[str, ...] = ()  # inline markup of a TMX's segments
    tgt_codes: tuple[str, ...] = ()
    src_pieces: tuple[tuple[bool, str], ...] = ()  # a TMX segment as runs of (is a code, text), codes as native text
    tgt_pieces: tuple[tuple[bool, str], ...] = ()
    beside_unaligned: tuple[str, ...] = ()  # the lone sentences right before and after it ("source sentence 27")
    rival: str | None = None  # a better pairing found elsewhere in the file (audit: a shift, a swap)
    lone: bool = False  # a 1-0 or 0-1 bead: a sentence with no counterpart
    src_split: Sentences | None = None  # its sides sentence by sentence, when one has several (else None)
    tgt_split: Sentences | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.src.strip()) and bool(self.tgt.strip())


@dataclass(frozen=True)
class SimilarityScale:
    """What an embedding cosine means in one document: `unrelated`, the mean cosine of a source and a target that
    are not translations of each other; `translated`, the median cosine of its one-to-one units."""

    unrelated: float
    translated: float

    MIN_PAIRS = 3  # one-to-one units needed to tell what a translation's cosine is

    @classmethod
    def of(cls, src: np.ndarray, tgt: np.ndarray, pairs: list[tuple[int, int]]) -> SimilarityScale | None:
        """The scale of a document given the embeddings of its source and target texts (rows L2-normalised) and
        the (source, target) rows that are one-to-one units: every other pairing counts as unrelated (their mean
        without the n x m matrix). None with fewer than MIN_PAIRS units or nothing else to pair."""
        count = len(src) * len(tgt) - len(pairs)
        if len(pairs) < cls.MIN_PAIRS or count <= 0:
            return None
        paired = np.array([float(src[i] @ tgt[j]) for i, j in pairs])
        total = float(src.sum(axis=0, dtype=np.float64) @ tgt.sum(axis=0, dtype=np.float64)) - paired.sum()
        return cls(float(total / count), float(np.median(paired)))

    def position(self, cosine: float) -> float:
        """Where a cosine stands: 0 as unrelated sentences, 1 as a typical translation."""
        return (cosine - self.unrelated) / max(self.translated - self.unrelated, 1e-6)


@dataclass(frozen=True)
class DocumentContext:
    profile: DocumentProfile
    problems: tuple[str, ...] = ()  # what makes the whole document suspect (document.document_problems)
    scale: SimilarityScale | None = None  # None: too few units to tell what a cosine means here
