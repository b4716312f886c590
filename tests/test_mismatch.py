"""The whole-document verdict from 5 sentences a side up (align.quality.document): translations pass, texts that are
not translations of each other are suspect, and then every unit carries the severe mismatched-documents flag, the
warning is printed, written in the TMX header and shown at the top of the report.

With the real model: windows of 5 to 30 sentences cut on gold bead boundaries from the interview and the blind
English-Serbian documents (each window against its translation, and against a window of the same document at least
one window away), the notices written for bench/bench_mismatch.py, and the cases of the issue (`align pair` on two
unrelated notices; the interview's English against 30 unrelated Serbian sentences). Without the model: the
statistic's properties, on vectors built to be translations or not.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.embed import model_texts
from align.evaluate import BeadPair, gold_documents, read_beads
from align.pipeline import align_files, align_sentences
from align.quality import document
from align.records import Alignment, Bead, Document, Sentence
from conftest import ENSR_DIR, INTERVIEW_DIR

NOTICES = Path(__file__).resolve().parent.parent / "bench" / "data" / "notices"
NOT_TRANSLATIONS = "do not read as translations"


def unit_vectors(rng: np.random.Generator, rows: int, dimension: int = 64) -> np.ndarray:
    vectors = rng.normal(size=(rows, dimension))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def translated(rng: np.random.Generator, vectors: np.ndarray, noise: float = 0.6) -> np.ndarray:
    """Vectors near the given ones, as a translation's are near its original's."""
    near = vectors + noise * unit_vectors(rng, len(vectors), vectors.shape[1])
    return near / np.linalg.norm(near, axis=1, keepdims=True)


def alignment_of(src_vectors: np.ndarray, tgt_vectors: np.ndarray) -> Alignment:
    """An alignment of two English documents (no language problem) with the given vectors and 1-1 beads."""
    def doc(rows: int) -> Document:
        return Document(name="doc", lang="en", sentences=[Sentence(f"Sentence {k}.", k, 0) for k in range(rows)])
    n, m = len(src_vectors), len(tgt_vectors)
    beads = [Bead((k,), (k,)) for k in range(min(n, m))]
    beads += [Bead((k,), ()) for k in range(m, n)] + [Bead((), (k,)) for k in range(n, m)]
    return Alignment(src=doc(n), tgt=doc(m), beads=beads, src_embeddings=src_vectors, tgt_embeddings=tgt_vectors)


# ---------------------------------------------------------------------------------------------- the statistic

def test_sentences_that_match_in_order_gain_and_unrelated_ones_do_not():
    rng = np.random.default_rng(7)
    for rows in (5, 8, 30, 200):
        src = unit_vectors(rng, rows)
        assert document.in_order_gain(src, translated(rng, src)) > 0.5
        assert abs(document.in_order_gain(src, unit_vectors(rng, rows + 3))) < document.TRANSLATION_MIN_GAIN


def test_the_same_sentences_in_reverse_order_are_not_a_translation():
    """What counts is the order: every sentence has its match, but not in the document's order."""
    rng = np.random.default_rng(8)
    src = unit_vectors(rng, 12)
    assert document.in_order_gain(src, translated(rng, src)[::-1]) < 0


def test_the_gain_is_the_same_whatever_the_scale_of_the_similarities():
    """Standardised: a model whose cosines are all squeezed together (a*cos + b) gives the same gain."""
    rng = np.random.default_rng(9)
    src = unit_vectors(rng, 9)
    tgt = translated(rng, src)
    angle = 1.2  # a shared component: every cosine becomes cos(angle)^2 * cos + sin(angle)^2
    def squeezed(vectors: np.ndarray) -> np.ndarray:
        return np.hstack([np.cos(angle) * vectors, np.full((len(vectors), 1), np.sin(angle))])
    assert document.in_order_gain(squeezed(src), squeezed(tgt)) == pytest.approx(document.in_order_gain(src, tgt))


def test_the_gain_is_a_function_of_the_vectors():
    rng = np.random.default_rng(10)
    src, tgt = unit_vectors(rng, 6), unit_vectors(rng, 7)
    first = document.in_order_gain(src, tgt)
    np.random.seed(123)  # the global random state plays no part
    assert document.in_order_gain(src, tgt) == first


def test_documents_are_judged_from_five_sentences_a_side():
    rng = np.random.default_rng(11)
    src = unit_vectors(rng, 12)
    def out_of_order(rows: int) -> np.ndarray:  # not a translation (see above)
        return translated(rng, src[:rows])[::-1]
    assert document.document_problems(alignment_of(src[:4], out_of_order(4))) == []
    assert document.document_problems(alignment_of(src[:4], out_of_order(12))) == []  # one side short
    problems = document.document_problems(alignment_of(src[:5], out_of_order(5)))
    assert len(problems) == 1 and NOT_TRANSLATIONS in problems[0]
    assert document.document_problems(alignment_of(src[:5], translated(rng, src[:5]))) == []


def test_a_long_document_is_judged_on_its_leading_beads(monkeypatch):
    beads = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,)), Bead((3,), (3, 4))]
    assert document.leading_block(beads, 3) == document.leading_block(beads, 4) == (3, 3)
    assert document.leading_block(beads, 5) == (4, 5)
    rng = np.random.default_rng(12)
    src = unit_vectors(rng, 130)
    tgt = np.vstack([unit_vectors(rng, 30), translated(rng, src[30:])])  # only the first 30 sentences differ
    alignment = alignment_of(src, tgt)
    assert document.document_problems(alignment) == []
    monkeypatch.setattr(document, "TRANSLATION_MAX_SENTENCES", 30)
    problems = document.document_problems(alignment)
    assert len(problems) == 1 and NOT_TRANSLATIONS in problems[0]


# ---------------------------------------------------------------------------------------------- real documents

def windows(gold: list[BeadPair], size: int) -> list[tuple[int, int, int, int]]:
    """Consecutive runs of gold beads (in document order) whose smaller side has exactly `size` sentences and the
    larger at most 1.5 times as many plus one, as (i0, i1, j0, j1), not overlapping."""
    starts = [(0, 0)]
    for src, tgt in gold:
        starts.append((starts[-1][0] + len(src), starts[-1][1] + len(tgt)))
    out, first = [], 0
    while first < len(gold):
        (i0, j0), found = starts[first], None
        for last in range(first + 1, len(starts)):
            n, m = starts[last][0] - i0, starts[last][1] - j0
            if min(n, m) >= size:
                found = last if min(n, m) == size and max(n, m) <= 1.5 * size + 1 else None
                break
        if found is None:
            first += 1
            continue
        out.append((i0, starts[found][0], j0, starts[found][1]))
        first = found
    return out


@pytest.fixture(scope="module")
def english_serbian(encoder) -> list[tuple[str, np.ndarray, np.ndarray, list[BeadPair]]]:
    """The interview and the blind documents: (name, English vectors, Serbian vectors, gold beads)."""
    documents = [("interview", INTERVIEW_DIR / "en.sent", INTERVIEW_DIR / "sr-Latn.sent",
                  INTERVIEW_DIR / "gold.beads")]
    documents += [(name, ENSR_DIR / f"{name}.en.sent", ENSR_DIR / f"{name}.{script}.sent", ENSR_DIR / f"{name}.beads")
                  for name, script in gold_documents(ENSR_DIR)]
    out = []
    for name, en, sr, beads in documents:
        english = en.read_text(encoding="utf-8").splitlines()
        serbian = model_texts(sr.read_text(encoding="utf-8").splitlines(), "sr")
        out.append((name, encoder.encode(english), encoder.encode(serbian), read_beads(beads)))
    return out


def test_short_windows_of_english_serbian_documents(english_serbian):
    """Every window of 5, 8, 12, 20 or 30 sentences of a translated document reads as a translation; a window
    against another one of the same document (same topic, same length) as not: at least 95% of the time over all
    sizes (the issue's target), and 90% at each size (at 5 sentences windows of one document against each other
    are the hardest case, about 95%; bench_mismatch.py's held-out figure, with other documents' windows too, 96%)."""
    suspect = {}
    for size in (5, 8, 12, 20, 30):
        true, unrelated = [], []
        for name, english, serbian, gold in english_serbian:
            tiles = windows(gold, size)
            for k, (i0, i1, j0, j1) in enumerate(tiles):
                true.append((name, i0, document.in_order_gain(english[i0:i1], serbian[j0:j1])))
                if len(tiles) >= 3:
                    far = tiles[(k + len(tiles) // 2) % len(tiles)]
                    unrelated.append(document.in_order_gain(english[i0:i1], serbian[far[2]:far[3]]))
        assert true and unrelated
        assert [(name, i0, gain) for name, i0, gain in true if gain < document.TRANSLATION_MIN_GAIN] == [], size
        suspect[size] = [gain < document.TRANSLATION_MIN_GAIN for gain in unrelated]
        assert np.mean(suspect[size]) >= 0.9, (size, np.mean(suspect[size]), sorted(unrelated)[-5:])
    pooled = [verdict for verdicts in suspect.values() for verdict in verdicts]
    assert len(pooled) >= 200 and np.mean(pooled) >= 0.95, np.mean(pooled)


def test_five_sentences_through_the_pipeline(encoder):
    """The first five sentences of each blind document: against their translation no warning and units ok;
    against five sentences from later in the same document, suspect, and every unit flagged severe."""
    for name, script in gold_documents(ENSR_DIR):
        english = (ENSR_DIR / f"{name}.en.sent").read_text(encoding="utf-8").splitlines()
        serbian = (ENSR_DIR / f"{name}.{script}.sent").read_text(encoding="utf-8").splitlines()
        gold = read_beads(ENSR_DIR / f"{name}.beads")
        i0, i1, j0, j1 = windows(gold, 5)[0]
        alignment = align_sentences(english[i0:i1], serbian[j0:j1], "en", "sr", encoder=encoder)
        assert alignment.warnings == [], name
        assert not any(flag.name == "mismatched-documents" for bead in alignment.beads for flag in bead.flags)
        later = windows(gold, 5)[-1]
        alignment = align_sentences(english[i0:i1], serbian[later[2]:later[3]], "en", "sr", encoder=encoder)
        assert len(alignment.warnings) == 1 and NOT_TRANSLATIONS in alignment.warnings[0], name
        for bead in alignment.units:
            flag = next(flag for flag in bead.flags if flag.name == "mismatched-documents")
            assert flag.severe and NOT_TRANSLATIONS in flag.reason


def notice_files() -> tuple[list[Path], dict[str, Path]]:
    english = sorted(NOTICES.glob("*.en.txt"))
    serbian = {path.name.split(".")[0]: path for path in NOTICES.glob("*.sr-*.txt")}
    return english, serbian


def test_notices_on_related_topics(encoder):
    """Six notices of 5-6 sentences (water, heating, roads, buses, library): each against its translation passes;
    of the 30 pairs of unrelated ones, written to look alike (two on the same water supply, two on opening
    hours and timetables), at least 27 are suspect (bench_mismatch.py measures 27)."""
    english, serbian = notice_files()
    assert len(english) == len(serbian) == 6
    suspect = []
    for en in english:
        for name, sr in serbian.items():
            alignment = align_files(en, sr, "en", "sr", encoder=encoder)
            if en.name.startswith(f"{name}."):
                assert alignment.warnings == [], en.name
                assert 5 <= min(len(alignment.src.sentences), len(alignment.tgt.sentences)) <= 6
            else:
                suspect.append(bool(alignment.warnings))
    assert sum(suspect) >= 27, sum(suspect)


def test_align_pair_on_two_unrelated_notices_warns_everywhere(encoder, tmp_path):
    """The issue's first case: two unrelated short notices given to `align pair`."""
    result = CliRunner().invoke(main, ["pair", str(NOTICES / "water.en.txt"), str(NOTICES / "roads.sr-Latn.txt"),
                                       "-o", str(tmp_path / "out.tmx"), "--report-dir", str(tmp_path / "report")])
    assert NOT_TRANSLATIONS in result.output, result.output
    header = etree.parse(str(tmp_path / "out.tmx")).find("header")
    assert any(NOT_TRANSLATIONS in note.text for note in header.findall("note"))
    summary = json.loads((tmp_path / "report" / "summary.json").read_text(encoding="utf-8"))
    assert any(NOT_TRANSLATIONS in warning for warning in summary["warnings"])
    assert summary["flagged"]["not_ok"] == summary["units"] > 0


def test_an_interview_against_thirty_unrelated_serbian_sentences(encoder):
    """The issue's other cases: the interview's English against 30 Serbian sentences of another text, whole
    and cut to 31 sentences (as with --presplit)."""
    english = (INTERVIEW_DIR / "en.sent").read_text(encoding="utf-8").splitlines()
    serbian = (ENSR_DIR / "guide.sr-Latn.sent").read_text(encoding="utf-8").splitlines()[:30]
    for src in (english, english[:31]):
        alignment = align_sentences(src, serbian, "en", "sr", encoder=encoder)
        assert len(alignment.warnings) == 1 and NOT_TRANSLATIONS in alignment.warnings[0]
        assert all(any(flag.severe for flag in bead.flags) for bead in alignment.units)
