"""Align stage: sentence vectors in, beads out -- a dynamic programme over window embeddings, searched coarse to
fine (read -> segment -> embed -> *align* -> score -> write). The aligner takes the sentences' texts and their
vectors, and knows nothing of the encoder that made them.

A bead of a source and b target sentences (1 <= a, b <= max_align) is scored
from window embeddings, the normalised sum of its sentences' embeddings:

    score = margin_weight * margin / scale - length_weight * delta^2 / 2 + evidence + shape constants

- margin: cos(x, y) minus the mean similarity of each side to the sentences just before and after the other
  side (Bertalign's neighbour margin). A bead that leaves out an adjacent sentence that matches it, or that
  takes in one that does not, loses; so merges, splits and 1-0/0-1 beads are decided by the sentences around.
- scale: how far a sentence's best 1-1 margin stands above an ordinary one in this very document, so the
  constants mean the same in close and loose translations (about 0.085 in Text+Berg, 0.05 in MAC).
- delta: the Gale-Church length deviation, with the document's own character ratio (nothing learnt per
  language pair).
- evidence: numbers shared or not, names and acronyms shared (Cyrillic read as Latin), question marks.
- 1-0 and 0-1 beads score `skip`; each sentence beyond 1-1 adds `merge`.

Search (linear time and memory): both sequences are halved repeatedly (neighbours summed) until small, aligned
there in full with beads up to 2-2, and each finer level searches only a band around the coarser path. Within
the band, bead scores come from one matrix product per block of rows and bead shape; the DP then fills one row
at a time. Each bead gets a calibrated confidence: a logistic function of its margin, similarity, shape,
length deviation and whether a 1-0/0-1 bead is next to it (CONFIDENCE, fitted on Text+Berg dev).

`rescore` gives any list of beads (after a human's edit, say) the confidence, similarity and margin the aligner
would have given them: the same scorer, built over the same band, describes them.

What was measured to arrive at this design, and what was tried and dropped, is in bench/EXPERIMENTS.md.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .errors import AlignError
from .languages.sr_script import to_latin
from .records import Bead


@dataclass(frozen=True)
class Settings:
    """The scoring and search constants; scores are in units of the document's margin scale (see Scorer).

    Chosen by coordinate search on the two development sets, Text+Berg dev (de-fr) and MAC dev (zh-en), mean
    strict F1 (`.venv/bin/python bench/bench_accuracy.py --tune`, whose grid also says what was tried), then
    checked on Text+Berg test, ParIce and the interview. The search preferred skip -1.5 to -2 (MAC has
    almost no 1-0/0-1 beads); -1.25 is the value between that and the -1.0 the other sets do as well with.
    """

    margin_weight: float = 1.2  # weight of the margin, in units of the document's margin scale
    adjacent_weight: float = 1.0  # weight of the similarity to the sentences just before and after a bead
    length_weight: float = 0.5  # weight of the Gale-Church penalty delta^2 / 2
    length_variance: float = 6.8  # Gale-Church's variance per character
    number_weight: float = 2.0
    name_weight: float = 1.0
    question_weight: float = 0.5
    skip: float = -1.25  # score of a 1-0 or 0-1 bead
    merge: float = -1.0  # added once per sentence beyond 1-1 in a bead
    # added when a side of a bead spans two paragraphs: sentences of different paragraphs (a byline, a photo
    # credit, "Share this article" beside the text) seldom make one translation unit
    paragraph_cross: float = -1.0
    full_cells: int = 250_000  # above this many cells the search goes coarse to fine
    band: int = 8  # half-width of the band around the coarser path, in sentences


# ---------------------------------------------------------------------------------------------- features

# Not score._NUMBER's stricter reading (which wants no letter before a number): digits right after a Chinese
# character count here, and using it lowered MAC dev strict F1 0.844 -> 0.842 with no gain elsewhere.
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
EVIDENCE_DIM = 32  # slots of the hashed bags of numbers and of names
QUESTION_MARKS = ("?", "？", "؟")  # Latin/Cyrillic, full-width (Chinese, Japanese), Arabic


def evidence_keys(text: str) -> list[str]:
    """Numbers (digits only) and capitalised words or acronyms (Cyrillic read as Latin by Serbian's table, accents
    dropped, 4-letter stem)."""
    keys = ["#" + re.sub(r"[.,]", "", m.group(0)) for m in _NUMBER.finditer(text)]
    latin = "".join(c for c in unicodedata.normalize("NFKD", to_latin(text)) if not unicodedata.combining(c))
    for k, word in enumerate(_WORD.finditer(latin)):
        token = word.group(0)
        if len(token) > 1 and token[0].isupper() and (k > 0 or token.isupper()):
            keys.append("@" + token.lower()[:4])
    return keys


def _stable_hash(text: str) -> int:
    value = 2166136261  # FNV-1a: Python's hash() changes between runs
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def _evidence_bags(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashed bags of each text's numbers and of its names."""
    numbers = np.zeros((len(texts), EVIDENCE_DIM), dtype=np.float32)
    names = np.zeros((len(texts), EVIDENCE_DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        for key in evidence_keys(text):
            (numbers if key[0] == "#" else names)[i, _stable_hash(key[1:]) % EVIDENCE_DIM] += 1
    return numbers, names


def _normalise(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)


@dataclass
class Side:
    """One side at one resolution. Per unit (a sentence, or a block of sentences at coarse levels): the
    sum of sentence embeddings, characters, evidence bags and question marks, and whether it opens a paragraph
    (at coarse levels none does: the coarse path only places the band)."""

    embeddings: np.ndarray
    chars: np.ndarray
    numbers: np.ndarray
    names: np.ndarray
    questions: np.ndarray
    breaks: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], embeddings: np.ndarray, paragraphs: Sequence[int] | None = None) -> Side:
        chars = np.array([max(len(t.strip()), 1) for t in texts], dtype=np.float64)
        questions = np.array([any(mark in t for mark in QUESTION_MARKS) for t in texts], dtype=np.float64)
        breaks = np.zeros(len(texts))
        if paragraphs is not None:
            breaks[1:] = np.diff(np.asarray(paragraphs)) != 0
        return cls(embeddings.astype(np.float32), chars, *_evidence_bags(texts), questions, breaks)

    def __len__(self) -> int:
        return len(self.chars)

    def halved(self) -> Side:
        """Neighbouring units summed pairwise (an odd last unit stays alone)."""
        def pairs(x: np.ndarray) -> np.ndarray:
            even = x[: len(x) // 2 * 2]
            return np.concatenate([even[0::2] + even[1::2], x[len(even):]])
        return Side(pairs(self.embeddings), pairs(self.chars), pairs(self.numbers), pairs(self.names),
                    pairs(self.questions), np.zeros((len(self) + 1) // 2))

    def windows(self, size: int) -> Windows:
        """Features of every window of `size` units, indexed by the window's first unit."""
        def running(x: np.ndarray) -> np.ndarray:
            cum = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0, dtype=np.float64)])
            return cum[size:] - cum[:-size]
        numbers, names = running(self.numbers).astype(np.float32), running(self.names).astype(np.float32)
        crossing = (running(self.breaks) - self.breaks[:len(self) - size + 1]) > 0  # a paragraph opens inside
        return Windows(_normalise(running(self.embeddings)).astype(np.float32), running(self.chars),
                       numbers, numbers.sum(axis=1), names, names.sum(axis=1), running(self.questions) > 0, crossing)


class BeadScores(NamedTuple):
    """Of the beads of one shape over a block of cells, each an array (rows, columns)."""

    cos: np.ndarray  # cosine of the two window embeddings
    margin: np.ndarray  # cosine minus the similarity to the neighbouring sentences
    delta: np.ndarray  # Gale-Church length deviation
    score: np.ndarray  # what the search maximises


@dataclass
class Windows:
    embeddings: np.ndarray
    chars: np.ndarray
    numbers: np.ndarray
    number_count: np.ndarray
    names: np.ndarray
    name_count: np.ndarray
    question: np.ndarray
    crossing: np.ndarray  # the window spans two paragraphs


# ---------------------------------------------------------------------------------------------- scoring

ROW_BLOCK = 64  # rows scored together: one matrix product per block and bead shape
DEFAULT_SCALE = 0.08  # margin scale for documents too short to measure it (Text+Berg ~0.085, MAC ~0.05)


class WindowsBySize(dict):
    """A side's windows of every size, each computed when first asked for (a bead a reviewer made may be larger
    than any the search tries)."""

    def __init__(self, side: Side):
        super().__init__()
        self.side = side

    def __missing__(self, size: int) -> Windows:
        self[size] = self.side.windows(size)
        return self[size]


class Scorer:
    """Scores of all beads of one shape ending in a block of cells (rows i x columns j), as dense arrays."""

    def __init__(self, src: Side, tgt: Side, settings: Settings, lo: np.ndarray, hi: np.ndarray):
        self.settings = settings
        self.n, self.m = len(src), len(tgt)
        self.src, self.tgt = WindowsBySize(src), WindowsBySize(tgt)
        self.ratio = tgt.chars.sum() / max(src.chars.sum(), 1.0)  # the document's own length ratio
        # sentence embeddings with a zero row before and after, for the neighbours of windows at either end
        def padded(e: np.ndarray) -> np.ndarray:
            zero = np.zeros((1, e.shape[1]), e.dtype)
            return np.concatenate([zero, e, zero])
        self.src_padded, self.tgt_padded = padded(self.src[1].embeddings), padded(self.tgt[1].embeddings)
        # the similarity of two unrelated sentences here: stands in for a neighbour beyond either end
        self.unrelated, self.scale = 0.0, 1.0
        cosines = banded(lambda rows, j0, j1: self.block(rows, 1, 1, j0, j1).cos, 1, 1, lo, hi)
        self.unrelated = float(np.median(cosines[np.isfinite(cosines)]))
        self.scale = self._margin_scale(lo, hi)

    def _margin_scale(self, lo: np.ndarray, hi: np.ndarray) -> float:
        """How far the best 1-1 margin of a sentence typically stands above an ordinary one in this document:
        the unit of all scores, so that the bead and skip constants mean the same in close and loose
        translations and in every language pair."""
        margins = banded(lambda rows, j0, j1: self.block(rows, 1, 1, j0, j1).margin, 1, 1, lo, hi)
        rows = np.isfinite(margins).sum(axis=1) >= 3
        if rows.sum() < 5:  # too few sentences to measure: a typical value of the default model
            return DEFAULT_SCALE
        margins = np.where(np.isfinite(margins[rows]), margins[rows], np.nan)
        return max(float(np.median(np.nanmax(margins, axis=1)) - np.median(np.nanmedian(margins, axis=1))), 0.01)

    def block(self, rows: np.ndarray, a: int, b: int, j0: int, j1: int) -> BeadScores:
        """Cosine, margin, Gale-Church delta and score of the beads src[i-a:i] x tgt[j-b:j] for the consecutive
        rows i >= a and the columns j0 <= j <= j1 (j0 >= b); each an array (rows, columns).

        margin: the cosine minus the mean similarity of each side to the sentences right before and after the
        other side (beyond an end of the document: the similarity of unrelated sentences), so a bead that
        leaves out an adjacent sentence which matches it scores low."""
        s = self.settings
        x, y, cols = self.src[a], self.tgt[b], slice(j0 - b, j1 - b + 1)
        starts = rows - a
        xv, yv = x.embeddings[starts], y.embeddings[cols]
        cos = xv @ yv.T
        js = np.arange(j0, j1 + 1)
        # the neighbours: padded row k + 1 is sentence k, and the zero rows beyond either end count as unrelated
        around = xv @ self.tgt_padded[j0 - b:j1 + 2].T
        missing = (js - b < 1).astype(float) + (js >= self.m)
        tgt_side = around[:, :len(js)] + around[:, b + 1:] + self.unrelated * missing
        around = self.src_padded[starts[0]:rows[-1] + 2] @ yv.T  # rows are consecutive
        missing = (starts < 1).astype(float) + (rows >= self.n)
        src_side = around[:len(rows)] + around[a + 1:] + self.unrelated * missing[:, None]
        margin = cos - s.adjacent_weight * 0.25 * (tgt_side + src_side)
        ls, lt = x.chars[starts][:, None] * self.ratio, y.chars[cols][None, :]
        delta = (lt - ls) / np.sqrt(s.length_variance * 0.5 * (ls + lt))
        score = s.margin_weight * margin / self.scale - (s.length_weight * 0.5) * delta ** 2
        # Dice overlap of the numbers, centred (shared numbers are evidence for a bead, unshared ones against
        # it), and of the names, counted only for: languages capitalise differently (German nouns) and
        # Serbian declines names, so an unshared capitalised word is no evidence against a bead.
        for weight, bags, counts, centre in ((s.number_weight, "numbers", "number_count", 0.5),
                                             (s.name_weight, "names", "name_count", 0.0)):
            total = getattr(x, counts)[starts][:, None] + getattr(y, counts)[cols][None, :]
            shared = getattr(x, bags)[starts] @ getattr(y, bags)[cols].T
            score += weight * np.where(total > 0, 2 * shared / np.maximum(total, 1) - centre, 0.0)
        qx, qy = x.question[starts][:, None], y.question[cols][None, :]
        score += s.question_weight * np.where(qx == qy, qx * 1.0, -1.0)
        score += s.merge * (a + b - 2)
        score += s.paragraph_cross * (x.crossing[starts][:, None] | y.crossing[cols][None, :])
        return BeadScores(cos, margin, delta, score)


def banded(values, a: int, b: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """values(rows, j0, j1) -> (rows, columns) array, laid out as the band: out[i, j - lo[i]] for the cells
    lo[i] <= j <= hi[i] with i >= a and j >= b; -inf elsewhere."""
    width = int((hi - lo).max()) + 1
    out = np.full((len(lo), width), -np.inf, dtype=np.float32)
    for first in range(a, len(lo), ROW_BLOCK):
        rows = np.arange(first, min(first + ROW_BLOCK, len(lo)))
        j0, j1 = max(lo[rows[0]], b), hi[rows[-1]]  # lo and hi never decrease
        if j0 > j1:
            continue
        dense = values(rows, j0, j1)
        cells = lo[rows][:, None] + np.arange(width)[None, :]
        inside = (cells >= j0) & (cells <= hi[rows][:, None])
        picked = np.take_along_axis(dense, np.clip(cells - j0, 0, j1 - j0), axis=1)
        out[rows] = np.where(inside, picked, -np.inf)
    return out


# ---------------------------------------------------------------------------------------------- search

def bead_shapes(max_align: int) -> list[tuple[int, int]]:
    """1-0, 0-1 and every a-b with 1 <= a, b <= max_align."""
    return [(1, 0), (0, 1)] + [(a, b) for a in range(1, max_align + 1) for b in range(1, max_align + 1)]


def _best_path(n: int, m: int, lo: np.ndarray, hi: np.ndarray, shapes: list[tuple[int, int]],
               scorer: Scorer, skip: float) -> list[tuple[int, int, int, int]]:
    """Highest-scoring monotonic path from (0, 0) to (n, m) through the cells lo[i] <= j <= hi[i] of each row.

    Bead scores are computed for the whole band first, a matrix product per block of rows and shape; then rows
    are filled one at a time, vectorised over the row; the 0-1 beads inside a row are a running maximum.
    Returns the beads as half-open ranges (i0, i1, j0, j1).
    """
    scores = {(a, b): banded(lambda rows, j0, j1: scorer.block(rows, a, b, j0, j1).score, a, b, lo, hi)
              for a, b in shapes if a and b and a <= n and b <= m}
    width = int((hi - lo).max()) + 1
    total = np.full((n + 1, width), -np.inf)
    choice = np.full((n + 1, width), -1, dtype=np.int8)
    insert = shapes.index((0, 1))
    for i in range(n + 1):
        here = hi[i] - lo[i] + 1
        best = np.full(here, -np.inf)
        arg = np.full(here, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for s, (a, b) in enumerate(shapes):
            p = i - a
            if a == 0 or p < 0 or (b and (a, b) not in scores):
                continue
            j0, j1 = max(lo[i], lo[p] + b), min(hi[i], hi[p] + b)  # columns reachable from row p
            if j0 > j1:
                continue
            gain = skip if b == 0 else scores[a, b][i, j0 - lo[i]:j1 - lo[i] + 1]
            cand = total[p, j0 - b - lo[p]:j1 - b - lo[p] + 1] + gain
            cells = slice(j0 - lo[i], j1 - lo[i] + 1)
            better = cand > best[cells]
            best[cells] = np.where(better, cand, best[cells])
            arg[cells][better] = s
        # 0-1 beads: best[j] = max(best[j], best[j-1] + skip), a running maximum of best[k] - k * skip
        steps = np.arange(here) * skip
        running = np.maximum.accumulate(best - steps)
        inserted = running > best - steps
        total[i, :here] = np.where(inserted, running + steps, best)
        choice[i, :here] = np.where(inserted, insert, arg)
    beads = []
    i, j = n, m
    while i or j:
        a, b = shapes[choice[i, j - lo[i]]]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    return beads[::-1]


def _band_around(path: list[tuple[int, int, int, int]], n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows 0..n of the finer level: the cells within `band` rows and columns of the coarse path (doubled).

    Widening by rows too matters for runs of 1-0/0-1 beads: the coarse path may put such a run a unit off
    (halving pairs the last sentence before a gap with the first after it), and the finer path must still be
    able to reach the whole run from the row it really belongs to."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, i1, j0, j1 in path:
        rows = slice(max(min(2 * i0, n) - band, 0), min(2 * i1 + band, n) + 1)
        lo[rows] = np.minimum(lo[rows], min(2 * j0, m))
        hi[rows] = np.maximum(hi[rows], min(2 * j1, m))
    lo = np.maximum(np.minimum.accumulate(lo[::-1])[::-1] - band, 0)
    hi = np.minimum(np.maximum.accumulate(hi) + band, m)
    lo[0], hi[n] = 0, m
    return lo, hi


def _band(src: Side, tgt: Side, settings: Settings, max_align: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells searched at this resolution: all of them in a small document, else a band around the path
    found at half the resolution."""
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= settings.full_cells or min(n, m) < 4:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    coarse = _search(src.halved(), tgt.halved(), settings, min(max_align, 2))[0]
    return _band_around(coarse, n, m, settings.band)


def _search(src: Side, tgt: Side, settings: Settings, max_align: int
            ) -> tuple[list[tuple[int, int, int, int]], Scorer, np.ndarray, np.ndarray]:
    """The best path at this resolution, with the scorer and band it was found in."""
    lo, hi = _band(src, tgt, settings, max_align)
    scorer = Scorer(src, tgt, settings, lo, hi)
    return _best_path(len(src), len(tgt), lo, hi, bead_shapes(max_align), scorer, settings.skip), scorer, lo, hi


# ---------------------------------------------------------------------------------------------- confidence

@dataclass(frozen=True)
class ConfidenceModel:
    """P(bead is right) = logistic(intercept + weights . features), features from confidence_features."""

    intercept: float
    weights: tuple[float, ...]

    def __call__(self, features: Sequence[float]) -> float:
        return float(1.0 / (1.0 + np.exp(-(self.intercept + float(np.dot(self.weights, features))))))


def confidence_features(bead: Bead, delta: float = 0.0, beside_skip: bool = False) -> tuple[float, ...]:
    """Units: margin, similarity, sentences beyond 1-1, |Gale-Church delta| and whether a 1-0 or 0-1 bead
    is next to it (the lone sentence may belong here); 1-0 and 0-1 beads: an indicator and their margin (how
    far the sentence is from matching anything nearby)."""
    if bead.is_unit:
        return (bead.margin, bead.similarity, len(bead.src) + len(bead.tgt) - 2, 0.0, 0.0, abs(delta),
                float(beside_skip))
    return (0.0, 0.0, 0.0, 1.0, bead.margin, 0.0, 0.0)


# Fitted by `.venv/bin/python bench/bench_accuracy.py --fit-confidence` (logistic regression on the beads of
# Text+Berg dev against its gold; checked per confidence bin on the other sets with --calibration).
CONFIDENCE = ConfidenceModel(intercept=2.0205, weights=(0.9109, 0.1818, -0.4539, -0.4412, 1.5554, -1.2904,
                                                        -1.6082))


def _described(path: list[tuple[int, int, int, int]], scorer: Scorer, lo: np.ndarray, hi: np.ndarray
               ) -> list[tuple[Bead, tuple[float, ...]]]:
    """The path as Beads with similarity and margin (in the document's margin scale), each with its
    confidence features."""
    beads, deltas = [], []
    for i0, i1, j0, j1 in path:
        a, b = i1 - i0, j1 - j0
        delta = 0.0
        if a and b:
            cos, margin, delta = (v[0, 0] for v in scorer.block(np.array([i1]), a, b, j1, j1)[:3])
            bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), similarity=float(cos),
                        margin=float(margin) / scorer.scale)
        else:  # minus the best 1-1 margin the lone sentence has with a sentence of the band around it
            if a:
                cols = max(lo[i1], 1), hi[i1]
                best = scorer.block(np.array([i1]), 1, 1, *cols).margin.max() if cols[0] <= cols[1] else 0.0
            else:
                rows = [i for i in range(max(i0 - 2, 1), min(i0 + 3, len(lo))) if lo[i] <= j1 <= hi[i]]
                best = max((scorer.block(np.array([i]), 1, 1, j1, j1).margin[0, 0] for i in rows), default=0.0)
            bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), margin=-float(best) / scorer.scale)
        beads.append(bead)
        deltas.append(float(delta))
    return [(bead, confidence_features(bead, deltas[k], any(0 <= q < len(beads) and not beads[q].is_unit
                                                            for q in (k - 1, k + 1))))
            for k, bead in enumerate(beads)]


# ---------------------------------------------------------------------------------------------- entry points

def described_alignment(src_texts: Sequence[str], tgt_texts: Sequence[str], src_vectors: np.ndarray,
                        tgt_vectors: np.ndarray, max_align: int = 4, settings: Settings | None = None,
                        paragraphs: tuple[Sequence[int], Sequence[int]] | None = None
                        ) -> list[tuple[Bead, tuple[float, ...]]]:
    """The beads of the best alignment, each with its confidence features (score not yet set)."""
    settings = settings or Settings()
    src, tgt = _sides(src_texts, tgt_texts, src_vectors, tgt_vectors, paragraphs)
    return _described(*_search(src, tgt, settings, max_align))


def _scored(described: list[tuple[Bead, tuple[float, ...]]]) -> list[Bead]:
    for bead, features in described:
        bead.score = CONFIDENCE(features)
    return [bead for bead, _ in described]


def _lone_sentences(src_texts: Sequence[str], tgt_texts: Sequence[str]) -> list[Bead]:
    """With one side empty there is nothing to match: every sentence is surely untranslated."""
    return ([Bead((i,), (), score=1.0) for i in range(len(src_texts))]
            + [Bead((), (j,), score=1.0) for j in range(len(tgt_texts))])


def _sides(src_texts: Sequence[str], tgt_texts: Sequence[str], src_vectors: np.ndarray, tgt_vectors: np.ndarray,
           paragraphs: tuple[Sequence[int], Sequence[int]] | None) -> tuple[Side, Side]:
    src_paragraphs, tgt_paragraphs = paragraphs or (None, None)
    return Side.of(src_texts, src_vectors, src_paragraphs), Side.of(tgt_texts, tgt_vectors, tgt_paragraphs)


def align(src_texts: Sequence[str], tgt_texts: Sequence[str], src_vectors: np.ndarray, tgt_vectors: np.ndarray,
          max_align: int = 4, settings: Settings | None = None,
          paragraphs: tuple[Sequence[int], Sequence[int]] | None = None) -> list[Bead]:
    """Align two sentence lists given one L2-normalised vector per sentence: every sentence ends up in exactly
    one bead, in order, each bead with its confidence, similarity and margin. The texts are those the vectors
    were made from (their lengths, numbers and names are evidence too); `paragraphs`, each sentence's paragraph
    number on either side, makes beads that span two paragraphs cost more (Settings.paragraph_cross)."""
    if not src_texts or not tgt_texts:
        return _lone_sentences(src_texts, tgt_texts)
    return _scored(described_alignment(src_texts, tgt_texts, src_vectors, tgt_vectors, max_align, settings,
                                       paragraphs))


def bead_ranges(beads: Sequence[Bead], n: int, m: int) -> list[tuple[int, int, int, int]]:
    """Beads as half-open ranges (i0, i1, j0, j1); an error unless they cover both sides in order, each
    sentence once, every bead a run of consecutive sentences."""
    ranges, i, j = [], 0, 0
    for k, bead in enumerate(beads):
        if not bead.src and not bead.tgt:
            raise AlignError(f"bead {k + 1} is empty")
        for side, indices, start in (("source", bead.src, i), ("target", bead.tgt, j)):
            if list(indices) != list(range(start, start + len(indices))):
                raise AlignError(f"bead {k + 1}: {side} sentences {list(indices)} are not the next ones in order "
                                 f"(expected from {start})")
        ranges.append((i, i + len(bead.src), j, j + len(bead.tgt)))
        i, j = i + len(bead.src), j + len(bead.tgt)
    if (i, j) != (n, m):
        raise AlignError(f"the beads cover {i} of {n} source and {j} of {m} target sentences")
    return ranges


def rescore(src_texts: Sequence[str], tgt_texts: Sequence[str], src_vectors: np.ndarray, tgt_vectors: np.ndarray,
            beads: Sequence[Bead], max_align: int = 4, settings: Settings | None = None,
            paragraphs: tuple[Sequence[int], Sequence[int]] | None = None) -> list[Bead]:
    """New beads with the sentences of `beads` (any beads covering both sides in order, e.g. after a human's
    edit) and the confidence, similarity and margin `align` would have given them: the scorer is built over the
    same band as the search's. Flags and statuses are not touched (the score stage sets flags)."""
    n, m = len(src_texts), len(tgt_texts)
    ranges = bead_ranges(beads, n, m)
    if not n or not m:
        return _lone_sentences(src_texts, tgt_texts)
    settings = settings or Settings()
    src, tgt = _sides(src_texts, tgt_texts, src_vectors, tgt_vectors, paragraphs)
    lo, hi = _band(src, tgt, settings, max_align)
    return _scored(_described(ranges, Scorer(src, tgt, settings, lo, hi), lo, hi))
