"""Sentence alignment: a dynamic programme over window embeddings, searched coarse to fine.

Each sentence is encoded once. A bead of a source and b target sentences (a, b <= max_align; 1-0 and 0-1
included) is scored from window embeddings (the length-weighted, normalised sum of its sentences' embeddings):

    score = (a + b) * (cos(x, y) - hub(x, y)) + length + evidence + shape

- hub: how similar each side is to its neighbours anyway (the mean of its k best cosines nearby), so that short,
  generic sentences that resemble everything do not win (the margin of Bertalign/Vecalign);
- length: a Gale-Church penalty on the character lengths, with the length ratio of the document itself;
- evidence: numbers, names and acronyms (Cyrillic read as Latin) and question marks found on both sides;
- shape: a constant per bead shape, so merges and skips are chosen only when they pay.

Search: the sentence sequences are halved repeatedly (neighbours summed) until small, aligned there in full,
and each finer level is searched only in a band around the path of the coarser one, so time and memory grow
linearly with the document. Each bead then gets a calibrated confidence (a logistic function of its margin).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .records import Bead
from .script import to_latin


@dataclass(frozen=True)
class Settings:
    """The scoring and search constants. Scores are in units of the document's margin scale (see Scorer)."""

    knn: int = 4  # neighbours averaged into a window's hub value
    hub_weight: float = 1.0
    adjacent_weight: float = 0.0  # weight of the similarity to the sentences right next to the bead
    length_weight: float = 0.5  # weight of the Gale-Church penalty delta^2 / 2
    length_variance: float = 6.8  # Gale-Church's variance per character
    number_weight: float = 1.0
    name_weight: float = 1.0
    question_weight: float = 0.5
    skip: float = -1.0  # score of a 1-0 or 0-1 bead
    merge: float = -1.0  # added once per sentence beyond 1-1 in a bead
    many_to_many: float = 0.0  # added to beads with several sentences on both sides
    length_power: float = 0.5  # window embeddings weight each sentence by (characters ** length_power)
    full_cells: int = 250_000  # above this many cells the search goes coarse to fine
    band: int = 8  # half-width of the band around the coarser path, in sentences


# ---------------------------------------------------------------------------------------------- features

_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
EVIDENCE_DIM = 32  # slots of the hashed bags of numbers and of names


def evidence_keys(text: str) -> list[str]:
    """Numbers (digits only) and capitalised words or acronyms (read as Latin, accents dropped, 4-letter stem)."""
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
    length-weighted embedding sum, characters, evidence bags and question marks."""

    weighted: np.ndarray
    chars: np.ndarray
    numbers: np.ndarray
    names: np.ndarray
    questions: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], embeddings: np.ndarray, settings: Settings) -> Side:
        chars = np.array([max(len(t.strip()), 1) for t in texts], dtype=np.float64)
        weighted = embeddings.astype(np.float32) * (chars ** settings.length_power)[:, None].astype(np.float32)
        return cls(weighted, chars, *_evidence_bags(texts), np.array(["?" in t for t in texts], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.chars)

    def halved(self) -> Side:
        """Neighbouring units summed pairwise (an odd last unit stays alone)."""
        def pairs(x: np.ndarray) -> np.ndarray:
            even = x[: len(x) // 2 * 2]
            return np.concatenate([even[0::2] + even[1::2], x[len(even):]])
        return Side(pairs(self.weighted), pairs(self.chars), pairs(self.numbers), pairs(self.names),
                    pairs(self.questions))

    def windows(self, size: int) -> Windows:
        """Features of every window of `size` units, indexed by the window's first unit."""
        def running(x: np.ndarray) -> np.ndarray:
            cum = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0, dtype=np.float64)])
            return cum[size:] - cum[:-size]
        numbers, names = running(self.numbers).astype(np.float32), running(self.names).astype(np.float32)
        return Windows(_normalise(running(self.weighted)).astype(np.float32), running(self.chars),
                       numbers, numbers.sum(axis=1), names, names.sum(axis=1), running(self.questions) > 0)


@dataclass
class Windows:
    embeddings: np.ndarray
    chars: np.ndarray
    numbers: np.ndarray
    number_count: np.ndarray
    names: np.ndarray
    name_count: np.ndarray
    question: np.ndarray
    hub: np.ndarray | None = None


# ---------------------------------------------------------------------------------------------- scoring

class Scorer:
    """Scores of the beads of one shape ending in one row, for a range of columns."""

    def __init__(self, src: Side, tgt: Side, settings: Settings, max_align: int, lo: np.ndarray, hi: np.ndarray):
        self.settings = settings
        self.src = {a: src.windows(a) for a in range(1, max_align + 1) if a <= len(src)}
        self.tgt = {b: tgt.windows(b) for b in range(1, max_align + 1) if b <= len(tgt)}
        self.ratio = tgt.chars.sum() / max(src.chars.sum(), 1.0)  # the document's own length ratio
        self._set_hubs(lo, hi)
        # sentence embeddings with a zero row before and after, for the neighbours of windows at either end
        pad = lambda e: np.concatenate([np.zeros((1, e.shape[1]), e.dtype), e, np.zeros((1, e.shape[1]), e.dtype)])
        self.src_padded, self.tgt_padded = pad(self.src[1].embeddings), pad(self.tgt[1].embeddings)
        self.scale = self._margin_scale(lo, hi)

    def _margin_scale(self, lo: np.ndarray, hi: np.ndarray) -> float:
        """How far the best 1-1 margin of a sentence typically stands above an ordinary one in this document:
        the unit of all scores, so that the bead and skip constants mean the same in loose and close
        translations and in every language pair."""
        best, ordinary = [], []
        for i in range(1, len(self.src[1].chars) + 1):
            j0 = max(lo[i], 1)
            if j0 <= hi[i]:
                margin = self.parts(i, 1, 1, j0, hi[i])[1]
                best.append(margin.max())
                ordinary.append(np.median(margin))
        return max(float(np.median(best) - np.median(ordinary)), 1e-3)

    def _set_hubs(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """Each window's hub value: the mean of its k best cosines with the other side's sentences in the band."""
        k = self.settings.knn
        x1, y1 = self.src[1].embeddings, self.tgt[1].embeddings
        rows = [i for i in range(1, len(x1) + 1) if hi[i] >= max(lo[i], 1)]
        for a, windows in self.src.items():  # window src[i-a:i] against the tgt sentences of row i's band
            groups, sims = [], []
            for i in rows:
                if i >= a:
                    sims.append(y1[max(lo[i], 1) - 1:hi[i]] @ windows.embeddings[i - a])
                    groups.append(np.full(len(sims[-1]), i - a))
            windows.hub = _top_k_mean(np.concatenate(groups), np.concatenate(sims), k, len(windows.chars))
        for b, windows in self.tgt.items():  # window tgt[j-b:j] against the src sentences whose band holds j
            groups, sims = [], []
            for i in rows:
                first = max(lo[i], b) - b
                sims.append(windows.embeddings[first:hi[i] - b + 1] @ x1[i - 1])
                groups.append(np.arange(first, first + len(sims[-1])))
            windows.hub = _top_k_mean(np.concatenate(groups), np.concatenate(sims), k, len(windows.chars))

    def parts(self, i: int, a: int, b: int, j0: int, j1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cosine, margin and Gale-Church delta of the beads src[i-a:i] x tgt[j-b:j] for j0 <= j <= j1 (j0 >= b).

        The margin is the cosine minus (1) the mean hub value of the two windows and (2) the mean similarity of
        each window to the sentences right before and after the other one: a bead that leaves out an adjacent
        sentence which matches it scores low (that sentence belongs in the bead)."""
        x, y, cols = self.src[a], self.tgt[b], slice(j0 - b, j1 - b + 1)
        xv, yv = x.embeddings[i - a], y.embeddings[cols]
        cos = yv @ xv
        margin = cos - self.settings.hub_weight * 0.5 * (x.hub[i - a] + y.hub[cols])
        if self.settings.adjacent_weight:
            # padded row k+1 is sentence k; the tgt sentences around window tgt[j-b:j] are j-b-1 and j
            around = self.tgt_padded[j0 - b:j1 + 2] @ xv
            before_t, after_t = around[:j1 - j0 + 1], around[b + 1:]
            n, m = len(self.src_padded) - 2, len(self.tgt_padded) - 2
            js = np.arange(j0, j1 + 1)
            count_t = (js - b - 1 >= 0).astype(float) + (js <= m - 1)
            before_s = self.src_padded[i - a] @ yv.T
            after_s = self.src_padded[i + 1] @ yv.T
            count_s = float(i - a - 1 >= 0) + float(i <= n - 1)
            adjacent = 0.5 * ((before_t + after_t) / np.maximum(count_t, 1) + (before_s + after_s) / max(count_s, 1))
            margin = margin - self.settings.adjacent_weight * adjacent
        ls, lt = x.chars[i - a] * self.ratio, y.chars[cols]
        delta = (lt - ls) / np.sqrt(self.settings.length_variance * 0.5 * (ls + lt))
        return cos, margin, delta

    def __call__(self, i: int, a: int, b: int, j0: int, j1: int) -> np.ndarray:
        """Scores of the beads src[i-a:i] x tgt[j-b:j] for j0 <= j <= j1 (j0 >= b)."""
        s = self.settings
        x, y, xi, cols = self.src[a], self.tgt[b], i - a, slice(j0 - b, j1 - b + 1)
        _, margin, delta = self.parts(i, a, b, j0, j1)
        score = margin / self.scale - (s.length_weight * 0.5) * delta ** 2
        # Dice overlap of the numbers, centred (shared numbers are evidence for a bead, unshared ones against
        # it), and of the names, counted only for: languages capitalise differently (German nouns) and
        # Serbian declines names, so an unshared capitalised word is no evidence against a bead.
        for weight, bags, counts, centre in ((s.number_weight, "numbers", "number_count", 0.5),
                                             (s.name_weight, "names", "name_count", 0.0)):
            x_count, total = getattr(x, counts)[xi], getattr(x, counts)[xi] + getattr(y, counts)[cols]
            shared = getattr(y, bags)[cols] @ getattr(x, bags)[xi] if x_count else 0.0
            score += weight * np.where(total > 0, 2 * shared / np.maximum(total, 1) - centre, 0.0)
        question = y.question[cols]
        score += s.question_weight * np.where(question == x.question[xi], x.question[xi] * 1.0, -1.0)
        return score + (s.merge * (a + b - 2) + (s.many_to_many if a > 1 and b > 1 else 0.0))


def _top_k_mean(groups: np.ndarray, values: np.ndarray, k: int, size: int) -> np.ndarray:
    """Mean of the k largest values of each group 0..size-1 (groups with no values get 0)."""
    order = np.lexsort((-values, groups))
    groups, values = groups[order], values[order]
    starts = np.searchsorted(groups, np.arange(size))
    rank = np.arange(len(groups)) - starts[groups]
    keep = rank < k
    total = np.bincount(groups[keep], weights=values[keep], minlength=size)
    count = np.bincount(groups[keep], minlength=size)
    return total / np.maximum(count, 1)


# ---------------------------------------------------------------------------------------------- search

def bead_shapes(max_align: int) -> list[tuple[int, int]]:
    """1-0, 0-1 and every a-b with 1 <= a, b <= max_align."""
    return [(1, 0), (0, 1)] + [(a, b) for a in range(1, max_align + 1) for b in range(1, max_align + 1)]


def _best_path(n: int, m: int, lo: np.ndarray, hi: np.ndarray, shapes: list[tuple[int, int]],
               scorer: Scorer, skip: float) -> list[tuple[int, int, int, int]]:
    """Highest-scoring monotonic path from (0, 0) to (n, m) through the cells lo[i] <= j <= hi[i] of each row.

    Rows are filled one at a time, vectorised over the row; the 0-1 beads inside a row are a running maximum.
    Returns the beads as half-open ranges (i0, i1, j0, j1).
    """
    width = int((hi - lo).max()) + 1
    total = np.full((n + 1, width), -np.inf)
    choice = np.full((n + 1, width), -1, dtype=np.int8)
    insert = shapes.index((0, 1))
    for i in range(n + 1):
        best = np.full(hi[i] - lo[i] + 1, -np.inf)
        arg = np.full(len(best), -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for s, (a, b) in enumerate(shapes):
            p = i - a
            if a == 0 or p < 0:
                continue
            j0, j1 = max(lo[i], lo[p] + b), min(hi[i], hi[p] + b)  # columns reachable from row p
            if j0 > j1:
                continue
            cand = total[p, j0 - b - lo[p]:j1 - b - lo[p] + 1] + (skip if b == 0 else scorer(i, a, b, j0, j1))
            here = slice(j0 - lo[i], j1 - lo[i] + 1)
            better = cand > best[here]
            best[here] = np.where(better, cand, best[here])
            arg[here][better] = s
        # 0-1 beads: best[j] = max(best[j], best[j-1] + skip), a running maximum of best[k] - k * skip
        steps = np.arange(len(best)) * skip
        running = np.maximum.accumulate(best - steps)
        inserted = running > best - steps
        total[i, :len(best)] = np.where(inserted, running + steps, best)
        choice[i, :len(best)] = np.where(inserted, insert, arg)
    beads = []
    i, j = n, m
    while i or j:
        a, b = shapes[choice[i, j - lo[i]]]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    return beads[::-1]


def _band_around(path: list[tuple[int, int, int, int]], n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows 0..n of the finer level: the columns the coarse path covers (doubled), widened by `band`."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, i1, j0, j1 in path:
        rows = slice(min(2 * i0, n), min(2 * i1, n) + 1)
        lo[rows] = np.minimum(lo[rows], min(2 * j0, m))
        hi[rows] = np.maximum(hi[rows], min(2 * j1, m))
    lo = np.maximum(np.minimum.accumulate(lo[::-1])[::-1] - band, 0)
    hi = np.minimum(np.maximum.accumulate(hi) + band, m)
    lo[0], hi[n] = 0, m
    return lo, hi


def _search(src: Side, tgt: Side, settings: Settings, max_align: int
            ) -> tuple[list[tuple[int, int, int, int]], Scorer, np.ndarray, np.ndarray]:
    """The best path at this resolution, with the scorer and band it was found in."""
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= settings.full_cells or min(n, m) < 4:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    else:
        coarse = _search(src.halved(), tgt.halved(), settings, min(max_align, 2))[0]
        lo, hi = _band_around(coarse, n, m, settings.band)
    scorer = Scorer(src, tgt, settings, max_align, lo, hi)
    return _best_path(n, m, lo, hi, bead_shapes(max_align), scorer, settings.skip), scorer, lo, hi


# ---------------------------------------------------------------------------------------------- confidence

@dataclass(frozen=True)
class ConfidenceModel:
    """P(bead is right) = logistic(intercept + weights . confidence_features(bead))."""

    intercept: float
    weights: tuple[float, ...]

    def __call__(self, bead: Bead) -> float:
        z = self.intercept + float(np.dot(self.weights, confidence_features(bead)))
        return 1.0 / (1.0 + np.exp(-z))


def confidence_features(bead: Bead) -> tuple[float, ...]:
    """Units: margin, similarity and extra sentences; 1-0 and 0-1 beads: an indicator and their margin (how
    far the sentence is from matching anything nearby, in the same units)."""
    if bead.is_unit:
        return (bead.margin, bead.similarity, len(bead.src) + len(bead.tgt) - 2, 0.0, 0.0)
    return (0.0, 0.0, 0.0, 1.0, bead.margin)


# Fitted by `.venv/bin/python bench/bench_accuracy.py --fit-confidence` (logistic regression on the beads of
# Text+Berg dev against its gold; checked per confidence bin on the other sets with --calibration).
CONFIDENCE = ConfidenceModel(intercept=0.0, weights=(1.0, 0.0, 0.0, 0.0, 1.0))


def _beads(path: list[tuple[int, int, int, int]], scorer: Scorer, lo: np.ndarray, hi: np.ndarray) -> list[Bead]:
    """The path as Beads with similarity, margin (in the document's margin scale) and confidence."""
    beads = []
    for i0, i1, j0, j1 in path:
        a, b = i1 - i0, j1 - j0
        if a and b:
            cos, margin, _ = scorer.parts(i1, a, b, j1, j1)
            bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), similarity=float(cos[0]),
                        margin=float(margin[0]) / scorer.scale)
        else:  # the best 1-1 margin the lone sentence has with any sentence of the band around it
            if a:
                cols = max(lo[i1], 1), hi[i1]
                best = scorer.parts(i1, 1, 1, *cols)[1].max() if cols[0] <= cols[1] else 0.0
            else:
                rows = [i for i in range(max(i0 - 2, 1), min(i0 + 3, len(lo))) if lo[i] <= j1 <= hi[i]]
                best = max((scorer.parts(i, 1, 1, j1, j1)[1][0] for i in rows), default=0.0)
            bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), margin=-float(best) / scorer.scale)
        bead.score = CONFIDENCE(bead)
        beads.append(bead)
    return beads


# ---------------------------------------------------------------------------------------------- entry points

def align_embeddings(src_texts: Sequence[str], tgt_texts: Sequence[str], src_embeddings: np.ndarray,
                     tgt_embeddings: np.ndarray, max_align: int = 4, settings: Settings | None = None) -> list[Bead]:
    """Align two sentence lists given one L2-normalised embedding per sentence."""
    settings = settings or Settings()
    if not src_texts or not tgt_texts:
        return [Bead((i,), ()) for i in range(len(src_texts))] + [Bead((), (j,)) for j in range(len(tgt_texts))]
    src, tgt = Side.of(src_texts, src_embeddings, settings), Side.of(tgt_texts, tgt_embeddings, settings)
    return _beads(*_search(src, tgt, settings, max_align))


def align(src_texts: Sequence[str], tgt_texts: Sequence[str], embedder, max_align: int = 4) -> list[Bead]:
    """Align two sentence lists; every sentence of each side ends up in exactly one bead, in order.

    Every sentence is encoded once (in one call, so the embedder's progress bar spans the whole job).
    """
    embeddings = embedder.encode(list(src_texts) + list(tgt_texts))
    return align_embeddings(src_texts, tgt_texts, embeddings[:len(src_texts)], embeddings[len(src_texts):],
                            max_align)
