"""The alignment as a document: saved and loaded exactly, every output written again from it byte for byte, bad
files refused in one line, and beads re-scored exactly as the aligner scored them."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align import aligner, pipeline
from align.cli import main
from align.errors import AlignError
from align.formats import alignment_file
from align.report import REPORT_FILES

INTERVIEW = Path(__file__).resolve().parent.parent / "corpora" / "interview"


@pytest.fixture
def aligned(tmp_path, monkeypatch):
    """`align pair` on the interview (Latin) with every output, under a fixed SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(main, ["pair", str(INTERVIEW / "en.txt"), str(INTERVIEW / "sr-Latn.txt"),
                                       "-o", str(tmp_path / "a.tmx"), "--beads", str(tmp_path / "a.jsonl"),
                                       "--report-dir", str(tmp_path / "report"),
                                       "--alignment", str(tmp_path / "a.align.json")])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_write_gives_back_what_pair_wrote_byte_for_byte(aligned):
    result = CliRunner().invoke(main, ["write", str(aligned / "a.align.json"), "-o", str(aligned / "b.tmx"),
                                       "--beads", str(aligned / "b.jsonl"), "--report-dir", str(aligned / "again")])
    assert result.exit_code == 0, result.output
    assert (aligned / "b.tmx").read_bytes() == (aligned / "a.tmx").read_bytes()
    assert (aligned / "b.jsonl").read_bytes() == (aligned / "a.jsonl").read_bytes()
    for name in REPORT_FILES:
        assert (aligned / "again" / name).read_bytes() == (aligned / "report" / name).read_bytes(), name


def test_write_can_convert_the_script(aligned):
    result = CliRunner().invoke(main, ["write", str(aligned / "a.align.json"), "-o", str(aligned / "c.tmx"),
                                       "--script", "cyrl"])
    assert result.exit_code == 0, result.output
    assert 'xml:lang="sr-Cyrl"' in (aligned / "c.tmx").read_text(encoding="utf-8")


def test_a_saved_alignment_loads_as_it_was(aligned):
    loaded = pipeline.load_alignment(aligned / "a.align.json")
    again = aligned / "again.align.json"
    pipeline.save_alignment(loaded, again)
    assert again.read_bytes() == (aligned / "a.align.json").read_bytes()
    data = json.loads(again.read_text(encoding="utf-8"))
    assert data["format"] == "align/alignment" and data["version"] == 1
    assert data["documents"]["src"]["source"]["format"] == "text"
    assert len(data["documents"]["src"]["source"]["sha256"]) == 64
    assert {s["kind"] for s in data["documents"]["tgt"]["sentences"]} == {"body"}
    assert loaded.src_embeddings.dtype == np.float32 and loaded.src_embeddings.shape[0] == len(loaded.src.sentences)


def test_every_sentence_keeps_its_paragraph(aligned):
    loaded = pipeline.load_alignment(aligned / "a.align.json")
    paragraphs = [s.paragraph for s in loaded.src.sentences]
    assert paragraphs == sorted(paragraphs) and paragraphs[-1] > 10


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(version=7), "version 7 is not supported"),
    (lambda d: d.pop("beads"), "'beads' is a required property"),
    (lambda d: d["beads"].pop(), "do not hold each"),
    (lambda d: d["beads"][0].update(status="maybe"), "at beads/0/status"),
    (lambda d: d["documents"]["src"]["sentences"].pop(), "do not hold each src sentence"),
])
def test_a_broken_alignment_file_is_one_clear_error(aligned, change, message):
    data = json.loads((aligned / "a.align.json").read_text(encoding="utf-8"))
    change(data)
    broken = aligned / "broken.align.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["write", str(broken), "-o", str(aligned / "x.tmx")])
    assert result.exit_code == 1
    assert message in result.output and str(broken) in result.output and len(result.output.splitlines()) == 1
    assert not (aligned / "x.tmx").exists()


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "a.align.json"
    path.write_text("<tmx/>", encoding="utf-8")
    with pytest.raises(AlignError, match="not an alignment file: not JSON"):
        alignment_file.load(path)


def test_rescore_gives_the_aligners_own_numbers(aligned):
    alignment = pipeline.load_alignment(aligned / "a.align.json")
    before = [(b.score, b.similarity, b.margin, b.flags) for b in alignment.beads]
    pipeline.rescore(alignment)
    assert [(b.score, b.similarity, b.margin, b.flags) for b in alignment.beads] == before


def test_rescore_matches_the_aligner_in_the_banded_search(encoder_free_vectors):
    """A document large enough for the coarse-to-fine search: the re-scored beads are the aligned ones, exactly."""
    src, tgt, src_vectors, tgt_vectors = encoder_free_vectors
    settings = aligner.Settings(full_cells=2_000)  # band the search already at this size
    beads = aligner.align(src, tgt, src_vectors, tgt_vectors, settings=settings)
    again = aligner.rescore(src, tgt, src_vectors, tgt_vectors, beads, settings=settings)
    assert [(b.src, b.tgt, b.score, b.similarity, b.margin) for b in again] == \
        [(b.src, b.tgt, b.score, b.similarity, b.margin) for b in beads]


def test_rescore_scores_an_edit_the_search_never_tried(encoder_free_vectors):
    src, tgt, src_vectors, tgt_vectors = encoder_free_vectors
    beads = aligner.align(src, tgt, src_vectors, tgt_vectors, max_align=2)
    merged = [dataclasses.replace(beads[0], src=beads[0].src + beads[1].src + beads[2].src,
                                  tgt=beads[0].tgt + beads[1].tgt + beads[2].tgt), *beads[3:]]
    scored = aligner.rescore(src, tgt, src_vectors, tgt_vectors, merged, max_align=2)
    assert len(scored) == len(merged) and 0.0 <= scored[0].score <= 1.0
    assert scored[0].score < beads[0].score  # three units joined into one are a worse bead than each


def test_rescore_refuses_beads_that_do_not_cover_the_document(encoder_free_vectors):
    src, tgt, src_vectors, tgt_vectors = encoder_free_vectors
    beads = aligner.align(src, tgt, src_vectors, tgt_vectors)
    with pytest.raises(AlignError, match="cover"):
        aligner.rescore(src, tgt, src_vectors, tgt_vectors, beads[:-1])
    with pytest.raises(AlignError, match="not the next ones"):
        aligner.rescore(src, tgt, src_vectors, tgt_vectors, [beads[1], beads[0], *beads[2:]])


@pytest.fixture
def encoder_free_vectors():
    """A synthetic translated document of 80 sentences a side: target vectors are the source's plus noise, with
    a few merges and an inserted sentence, so the aligner has real decisions to make."""
    rng = np.random.default_rng(7)
    n, dim = 80, 64
    src_vectors = rng.normal(size=(n, dim)).astype(np.float32)
    rows = [src_vectors[k] + 0.3 * rng.normal(size=dim) for k in range(n) if k % 17 != 5]
    rows.insert(40, rng.normal(size=dim))
    tgt_vectors = np.array(rows, dtype=np.float32)
    for vectors in (src_vectors, tgt_vectors):
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    src = [f"Sentence number {k} of the source side." for k in range(n)]
    tgt = [f"Rečenica broj {k} ciljne strane." for k in range(len(tgt_vectors))]
    return src, tgt, src_vectors, tgt_vectors
