"""`align check`: audit a TMX made by any tool -- every unit scored with the score stage's checks plus embedding
evidence computed from the TMX itself -- and write the same report as an alignment gets.

Embedding evidence, per unit in file order:
- similarity: the cosine of source and target;
- a hub-corrected score (CSLS: 2 cos - hub(source) - hub(target), hub = mean of the k best cosines nearby), so
  that short, generic sentences that resemble everything do not pass for translations;
- margin: that score minus the best score of the source with a neighbouring unit's target, or of the target
  with a neighbouring unit's source (two units either side). A negative margin is what an off-by-one shift
  leaves behind: each target sits one unit away from its source.

Confidence, learnt from the file itself: a foreign TMX comes with no trusted scores and may be in any language
pair, text type or model, so no fixed threshold fits. Every unit is a draw from a mixture of good pairs and
wrong pairs. Wrong pairs are sampled directly -- a unit's source with the target of a random other unit -- and
good pairs are what most units are; expectation-maximisation fits the good-pair model and the share of good
units, and each unit's confidence is its posterior probability of being a good pair, from the hub-corrected
score, the length deviation and the number, name and punctuation checks (naive Bayes: each piece of evidence
weighs what it is worth in this very file).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..records import ReportRow
from . import DocumentContext, UnitFacts, fires, flags_of, shown_confidence
from .checks import empty, names, numbers, punctuation, untranslated
from .facts import SimilarityScale
from .features import MAD_TO_SD
from .profile import DocumentProfile

HUB_K = 4  # cosines averaged into a hub value
HUB_WINDOW = 100  # hubs are measured among the units this close in file order, so time stays linear
RIVAL_WINDOW = 5000  # how far in file order a better pairing is looked for (the whole file up to this size)
RANDOM_PAIRS = 6  # wrong pairs sampled per unit to learn what a wrong pair looks like
SWAP_SPREADS = 1.0  # how much better each source must fit the other unit's target (see swapped_units)
SHIFT_RUN = 2  # consecutive units whose targets fit the next (or previous) unit's source better: a shift
EM_ROUNDS = 30
MIN_SAMPLES = 30  # sampled wrong pairings needed to learn from
SEED = 20240601  # sampling wrong pairs is part of the verdict: it must not change between runs


# ---------------------------------------------------------------------------------------------- evidence

def _window_blocks(rows: np.ndarray, cols: np.ndarray, window: int, block: int):
    """Row blocks of the cosine matrix rows x cols, each with the columns within `window` of its rows (cells
    farther away set to -inf): (first row, column offset, cosines as float32)."""
    n = len(rows)
    for start in range(0, n, block):
        stop = min(start + block, n)
        lo, hi = max(start - window, 0), min(stop + window, len(cols))
        sims = rows[start:stop] @ cols[lo:hi].T
        # only the first and last `block` columns can be out of reach of some row
        distance = np.arange(start, stop)[:, None] - np.arange(lo, hi)[None, :min(block, hi - lo)]
        sims[:, :min(block, hi - lo)][distance > window] = -np.inf
        tail = max(hi - lo - block, 0)
        distance = np.arange(lo + tail, hi)[None, :] - np.arange(start, stop)[:, None]
        sims[:, tail:][distance > window] = -np.inf
        yield start, lo, sims


def _hubs(src: np.ndarray, tgt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the mean of its HUB_K best cosines with the other side's units within HUB_WINDOW in file order."""
    hubs = []
    for rows, cols in ((src, tgt), (tgt, src)):
        hub = np.zeros(len(rows), dtype=np.float32)
        for start, _, sims in _window_blocks(rows, cols, HUB_WINDOW, 256):
            k = min(HUB_K, sims.shape[1])
            hub[start:start + len(sims)] = -np.partition(-sims, k - 1, axis=1)[:, :k].mean(axis=1)
        hubs.append(hub)
    return hubs[0], hubs[1]


@dataclass
class Evidence:
    """Embedding evidence for every unit (see the module docstring)."""

    src: np.ndarray
    tgt: np.ndarray
    src_hub: np.ndarray
    tgt_hub: np.ndarray
    # per source: its two best targets (index, hub-corrected score), and per target its two best sources
    src_best: tuple[np.ndarray, np.ndarray]
    tgt_best: tuple[np.ndarray, np.ndarray]

    def csls_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Hub-corrected score of source i with target j."""
        return 2 * np.einsum("nd,nd->n", self.src[i], self.tgt[j]) - self.src_hub[i] - self.tgt_hub[j]

    def margin_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """For pairs (source i, target j): the score minus the best score that either of them reaches with
        another unit (source i with another target, or target j with another source)."""
        def best_other(best: tuple[np.ndarray, np.ndarray], own: np.ndarray, partner: np.ndarray) -> np.ndarray:
            index, value = best
            return np.where(index[own, 0] == partner, value[own, 1], value[own, 0])
        rival = np.maximum(best_other(self.src_best, i, j), best_other(self.tgt_best, j, i))
        return self.csls_of(i, j) - rival

    @property
    def similarity(self) -> np.ndarray:
        return np.einsum("nd,nd->n", self.src, self.tgt)


def _two_best(rows: np.ndarray, cols: np.ndarray, row_hub: np.ndarray, col_hub: np.ndarray):
    """For every row, the two columns with the best hub-corrected score (within RIVAL_WINDOW) and the scores."""
    n = len(rows)
    index = np.zeros((n, 2), dtype=np.int64)
    value = np.full((n, 2), -np.inf, dtype=np.float32)
    for start, lo, sims in _window_blocks(rows, cols, RIVAL_WINDOW, 128):
        stop = start + len(sims)
        scores = 2 * sims - row_hub[start:stop, None] - col_hub[None, lo:lo + sims.shape[1]]
        if scores.shape[1] < 2:
            index[start:stop, 0], value[start:stop, 0] = lo, scores[:, 0]
            continue
        top = np.argpartition(-scores, 1, axis=1)[:, :2]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1)
        index[start:stop] = np.take_along_axis(top, order, axis=1) + lo
        value[start:stop] = np.take_along_axis(top_scores, order, axis=1)
    return index, value


def shifted_units(evidence: Evidence) -> np.ndarray:
    """For each unit, the neighbour (+1 / -1) whose source its target fits better, when it is part of a run of at
    least SHIFT_RUN consecutive units doing the same in the same direction (an off-by-one shift); else 0.

    One unit whose target resembles the next source happens in good files; several in a row is a shift.
    """
    n = len(evidence.src)
    units = np.arange(n)
    own = evidence.csls_of(units, units)
    shifted = np.zeros(n, dtype=np.int64)
    for direction in (1, -1):
        inside = (units + direction >= 0) & (units + direction < n)
        fits_neighbour = np.zeros(n, dtype=bool)
        fits_neighbour[inside] = evidence.csls_of(units[inside] + direction, units[inside]) > own[inside]
        # length of the run of consecutive True values each unit belongs to
        starts = np.flatnonzero(np.diff(np.concatenate([[0], fits_neighbour.astype(np.int8), [0]])) == 1)
        ends = np.flatnonzero(np.diff(np.concatenate([[0], fits_neighbour.astype(np.int8), [0]])) == -1)
        for start, end in zip(starts, ends):
            if end - start >= SHIFT_RUN:
                shifted[start:end] = np.where(shifted[start:end] == 0, direction, shifted[start:end])
    return shifted


def swapped_units(evidence: Evidence) -> np.ndarray:
    """For each unit, the unit it seems to have traded targets with, else -1: each of the two sources fits the
    other unit's target clearly better than its own -- by SWAP_SPREADS times the spread of the file's scores,
    so that the rule means the same whatever the model's scale. Candidates are each unit's best rivals."""
    n = len(evidence.src)
    units = np.arange(n)
    own = evidence.csls_of(units, units)
    gain = SWAP_SPREADS * MAD_TO_SD * float(np.median(np.abs(own - np.median(own))))
    partner = np.full(n, -1)
    for index, _ in (evidence.src_best, evidence.tgt_best):
        other = np.where(index[:, 0] == units, index[:, 1], index[:, 0])
        crossed = ((evidence.csls_of(units, other) > own + gain)
                   & (evidence.csls_of(other, units) > own[other] + gain) & (other != units))
        partner[units[crossed]] = other[crossed]
        partner[other[crossed]] = units[crossed]
    return partner


def embedding_evidence(src: np.ndarray, tgt: np.ndarray) -> Evidence:
    src_hub, tgt_hub = _hubs(src, tgt)
    return Evidence(src, tgt, src_hub, tgt_hub, _two_best(src, tgt, src_hub, tgt_hub),
                    _two_best(tgt, src, tgt_hub, src_hub))


# ---------------------------------------------------------------------------------------------- confidence

@dataclass
class PairFeatures:
    """What the confidence weighs, for a list of (source i, target j) pairings."""

    continuous: np.ndarray  # hub-corrected score, margin to the best rival pairing, length deviation
    binary: np.ndarray  # whether the number, name and punctuation checks fire


def pair_features(texts: list[tuple[str, str]], i: np.ndarray, j: np.ndarray, evidence: Evidence,
                  document: DocumentContext) -> PairFeatures:
    margin = evidence.margin_of(i, j)
    deviation = [document.profile.deviation(texts[a][0], texts[b][1]) for a, b in zip(i, j)]
    pairings = [UnitFacts(texts[a][0], texts[b][1]) for a, b in zip(i, j)]
    binary = [tuple(fires(check, unit, document) for check in (numbers, names, punctuation)) for unit in pairings]
    return PairFeatures(np.column_stack([evidence.csls_of(i, j), margin, np.array(deviation, dtype=float)]),
                        np.array(binary, dtype=bool).reshape(len(i), 3))


def _student_logpdf(x: np.ndarray, centre: np.ndarray, scale: np.ndarray, dof: float = 4.0) -> np.ndarray:
    """Log density of a Student t (up to a constant shared by both classes): heavier tails than a Gaussian, so
    that one loose but good translation is not condemned by a single extreme value."""
    z = (x - centre) / scale
    return (-(dof + 1) / 2 * np.log1p(z * z / dof) - np.log(scale)).sum(axis=1)


def _robust_fit(x: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the weighted median and scaled median absolute deviation: a centre and spread that the
    wrong pairs among the units do not drag along."""
    def median(values: np.ndarray) -> float:
        order = np.argsort(values)
        cumulative = np.cumsum(weights[order])
        return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    centre = np.array([median(column) for column in x.T])
    spread = np.array([MAD_TO_SD * median(np.abs(column - c)) for column, c in zip(x.T, centre)])
    return centre, np.maximum(spread, 1e-3)


def _bernoulli_loglik(fired: np.ndarray, rates: np.ndarray) -> np.ndarray:
    return np.where(fired, np.log(rates), np.log1p(-rates)).sum(axis=1)


def confidences(units: PairFeatures, wrong: PairFeatures, learn_from: np.ndarray) -> np.ndarray:
    """Posterior probability that each unit is a good pair (see the module docstring).

    `wrong`: features of sampled wrong pairings. `learn_from`: the units whose features may shape the model
    of a good pair (not the empty or untranslated ones).
    """
    wrong_fit = _robust_fit(wrong.continuous, np.ones(len(wrong.continuous)))
    wrong_rates = (wrong.binary.sum(axis=0) + 1) / (len(wrong.binary) + 2)
    wrong_loglik = _student_logpdf(units.continuous, *wrong_fit) + _bernoulli_loglik(units.binary, wrong_rates)
    good = learn_from.astype(float)
    share = 0.9
    for _ in range(EM_ROUNDS):
        rates = ((good[:, None] * units.binary).sum(axis=0) + 1) / (good.sum() + 2)
        good_loglik = (_student_logpdf(units.continuous, *_robust_fit(units.continuous, good))
                       + _bernoulli_loglik(units.binary, rates))
        log_odds = good_loglik - wrong_loglik + math.log(share / (1 - share))
        posterior = 1 / (1 + np.exp(-np.clip(log_odds, -50, 50)))
        updated = np.where(learn_from, posterior, 0.0)
        share = min(max(float(posterior[learn_from].mean()), 0.5), 0.99)
        converged = np.abs(updated - good).max() < 1e-4
        good = updated
        if converged:
            break
    return posterior


# ---------------------------------------------------------------------------------------------- checking

def native(text: str, pieces: tuple[tuple[bool, str], ...]) -> str:
    """A segment's text with its inline codes' native content in place, as a reviewer reads it ("{0}")."""
    return "".join(piece for _, piece in pieces) if pieces else text


def audit_units(ids: list[str], units: list[UnitFacts], src_embeddings: np.ndarray, tgt_embeddings: np.ndarray,
                src_lang: str, tgt_lang: str) -> list[ReportRow]:
    """Score units in file order, given the normalised embeddings of both sides: a report row each."""
    texts = [(u.src, u.tgt) for u in units]
    n = len(texts)
    document = DocumentContext(DocumentProfile.of(texts, src_lang, tgt_lang))
    learn_from = np.array([not (fires(empty, u, document) or fires(untranslated, u, document)) for u in units],
                          dtype=bool)
    good = np.flatnonzero(learn_from)
    document = dataclasses.replace(document, scale=SimilarityScale.of(
        src_embeddings[good], tgt_embeddings[good], [(k, k) for k in range(len(good))]))
    evidence = embedding_evidence(src_embeddings, tgt_embeddings)
    positions = np.arange(n)
    features = pair_features(texts, positions, positions, evidence, document)
    # wrong pairings: each unit's source with the targets of random other units
    rng = np.random.default_rng(SEED)
    i = np.repeat(positions, RANDOM_PAIRS)
    j = (i + rng.integers(1, max(n, 2), size=len(i))) % n
    sampled = (i != j) & learn_from[i] & learn_from[j]
    if sampled.sum() >= MIN_SAMPLES:
        confidence = confidences(features, pair_features(texts, i[sampled], j[sampled], evidence, document),
                                 learn_from)
    else:  # too few units to learn from: a clearly better pairing elsewhere is all that speaks against a unit
        confidence = np.where(features.continuous[:, 1] < 0, 0.0, 1.0)
    similarity = evidence.similarity
    shifted = shifted_units(evidence)
    swapped = swapped_units(evidence)
    rows = []
    for k, unit in enumerate(units):
        rival = None
        if learn_from[k] and shifted[k]:
            rival = (f"the target fits the source of unit {ids[k + int(shifted[k])]} better, and so do its "
                     "neighbours': shifted by one?")
        elif learn_from[k] and swapped[k] >= 0:
            rival = f"the targets of this unit and unit {ids[int(swapped[k])]} fit better swapped"
        judged = dataclasses.replace(unit, confidence=float(confidence[k]) if learn_from[k] else None,
                                     similarity=float(similarity[k]), margin=float(features.continuous[k, 1]),
                                     rival=rival)
        flags = flags_of(judged, document)
        rows.append(ReportRow(id=ids[k], src=native(unit.src, unit.src_pieces), tgt=native(unit.tgt, unit.tgt_pieces),
                              bead=f"{int(bool(unit.src.strip()))}-{int(bool(unit.tgt.strip()))}", unit=True,
                              score=shown_confidence(float(confidence[k]), flags), flags=flags,
                              similarity=judged.similarity, margin=judged.margin,
                              src_pieces=unit.src_pieces, tgt_pieces=unit.tgt_pieces))
    return rows
