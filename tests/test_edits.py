"""The edit operations (align.edits) by property: any sequence keeps every sentence in exactly one bead, in order;
undo gives back exactly what was there; linking the beads of a gold alignment, in any order, from any start,
gives exactly that gold alignment (the interview and the blind English-Serbian documents). And `align edit`, the
history in the alignment file, and how a reviewed alignment is written to TMX."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import ENSR_DIR, INTERVIEW_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align import aligner, edits, pipeline
from align.cli import main
from align.errors import AlignError
from align.evaluate import read_beads
from align.formats.tmx import read_tmx
from align.records import Alignment, Bead, Document, Sentence

GOLD_DOCUMENTS = [(INTERVIEW_DIR / "en.sent", INTERVIEW_DIR / "sr-Latn.sent", INTERVIEW_DIR / "gold.beads")] + [
    (beads.with_name(beads.stem + ".en.sent"), next(beads.parent.glob(beads.stem + ".sr-*.sent")), beads)
    for beads in sorted(ENSR_DIR.glob("*.beads"))]


def sentences_of(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def bare_alignment(src: list[str], tgt: list[str], shapes: list[tuple[int, int]], dim: int = 8,
                   seed: int = 0) -> Alignment:
    """Sentences, random unit vectors and beads of the given shapes (no scores): what the structural tests need."""
    rng = np.random.default_rng(seed)
    vectors = [rng.normal(size=(len(texts), dim)).astype(np.float32) for texts in (src, tgt)]
    for v in vectors:
        v /= np.linalg.norm(v, axis=1, keepdims=True)
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    assert (i, j) == (len(src), len(tgt))
    return Alignment(Document("t", "en", [Sentence(t, k, 0) for k, t in enumerate(src)]),
                     Document("t", "sr", [Sentence(t, k, 0) for k, t in enumerate(tgt)], script="Latn"),
                     beads, name="t", model="hashing-test-encoder", settings={"max_align": 4},
                     src_embeddings=vectors[0], tgt_embeddings=vectors[1])


def assert_well_formed(alignment: Alignment) -> None:
    """Every sentence of each side in exactly one bead, beads in order, sentences numbered, one vector each."""
    aligner.bead_ranges(alignment.beads, len(alignment.src.sentences), len(alignment.tgt.sentences))
    for document, vectors in ((alignment.src, alignment.src_embeddings), (alignment.tgt, alignment.tgt_embeddings)):
        assert [s.index for s in document.sentences] == list(range(len(document.sentences)))
        assert all(s.text and s.text == s.text.strip() for s in document.sentences)
        assert vectors.shape[0] == len(document.sentences)


@st.composite
def shapes(draw, n: int, m: int) -> list[tuple[int, int]]:
    """A random partition of n x m sentences into beads of up to 3-3 (lone sentences included)."""
    result, i, j = [], 0, 0
    while i < n or j < m:
        a = draw(st.integers(0, min(3, n - i)))
        b = draw(st.integers(0 if a else 1, min(3, m - j))) if j < m else 0
        if a == 0 and b == 0:
            a = 1
        result.append((a, b))
        i, j = i + a, j + b
    return result


@st.composite
def operation(draw, alignment: Alignment) -> dict:
    """Any operation that can apply to `alignment` (the kinds the page sends, with arbitrary arguments)."""
    n, m = len(alignment.src.sentences), len(alignment.tgt.sentences)
    kind = draw(st.sampled_from(edits.OPS))
    if kind == "link":
        def run(size):
            length = draw(st.integers(0, min(3, size)))
            start = draw(st.integers(0, size - length))
            return list(range(start, start + length))
        src, tgt = run(n), run(m)
        if not src and not tgt:
            src = [draw(st.integers(0, n - 1))]
        return {"op": "link", "src": src, "tgt": tgt}
    if kind in edits.STATUS_OPS:
        bead = draw(st.sampled_from(alignment.beads))
        return {"op": kind, "src": list(bead.src), "tgt": list(bead.tgt)}
    side = draw(st.sampled_from(edits.SIDES))
    document = alignment.src if side == "src" else alignment.tgt
    index = draw(st.integers(0, len(document.sentences) - 1))
    text = document.sentences[index].text
    if kind == "edit":
        return {"op": "edit", "side": side, "sentence": index, "text": draw(st.sampled_from(
            ["Edited.", "Ново „реченица“.", text + " more", "<script>alert(1)</script>"]))}
    if kind == "split-sentence" and len(text) > 2:
        return {"op": kind, "side": side, "sentence": index, "at": draw(st.integers(1, len(text) - 1))}
    if kind == "join-sentences" and index + 1 < len(document.sentences):
        return {"op": kind, "side": side, "sentence": index}
    return {"op": "confirm", "src": list(alignment.beads[0].src), "tgt": list(alignment.beads[0].tgt)}


SRC = ["One two three.", "Four five.", "Six seven eight nine.", "Ten.", "Eleven twelve.", "Thirteen."]
TGT = ["Jedan dva tri.", "Četiri pet.", "Šest sedam osam devet.", "Deset.", "Jedanaest dvanaest.", "Trinaest.",
       "Četrnaest."]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_sequence_of_operations_keeps_every_sentence_in_exactly_one_bead_in_order(data):
    alignment = bare_alignment(SRC, TGT, data.draw(shapes(len(SRC), len(TGT))))
    for _ in range(data.draw(st.integers(1, 12))):
        op = data.draw(operation(alignment))
        try:
            after = edits.apply(alignment, op)
        except AlignError:  # e.g. a split that would leave only white space on one side
            continue
        assert_well_formed(after)
        if op["op"] == "link":  # exactly these sentences form one bead
            assert Bead(tuple(op["src"]), tuple(op["tgt"])) in [Bead(b.src, b.tgt) for b in after.beads]
        alignment = after


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_undo_gives_back_exactly_what_was_there_and_redo_what_was_done(data, fake_encoder, tmp_path_factory):
    """With the real re-score (confidences, flags) and encoding of edited sentences; the history survives a save."""
    encoder = fake_encoder()
    rescore = pipeline.rescorer(encoder)
    start = bare_alignment(SRC, TGT, data.draw(shapes(len(SRC), len(TGT))))
    start.src_embeddings, start.tgt_embeddings = (encoder.encode(start.src.texts),
                                                  encoder.encode(pipeline.model_texts(start.tgt.texts, "sr")))
    rescore(start)
    states = [start]
    alignment = start
    for _ in range(data.draw(st.integers(1, 5))):
        ops = [data.draw(operation(alignment)) for _ in range(data.draw(st.integers(1, 2)))]
        try:
            after = edits.perform(alignment, ops, rescore)
        except AlignError:
            continue
        if after is not alignment:
            states.append(after)
        alignment = after
    path = tmp_path_factory.mktemp("history") / "a.align.json"
    pipeline.save_alignment(alignment, path)
    alignment = pipeline.load_alignment(path)
    assert alignment.history.done == len(states) - 1
    for expected in reversed(states[:-1]):
        alignment = edits.undo(alignment, rescore)
        assert snapshot(alignment) == snapshot(expected)
    assert not edits.can_undo(alignment)
    for expected in states[1:]:
        alignment = edits.redo(alignment, rescore)
        assert snapshot(alignment) == snapshot(expected)
    assert not edits.can_redo(alignment)


def snapshot(alignment: Alignment) -> tuple:
    """Everything an undo must give back: beads with their scores, flags and statuses, sentences, vectors."""
    return ([(b.src, b.tgt, b.score, b.similarity, b.margin, tuple(b.flags), b.status) for b in alignment.beads],
            alignment.src.sentences, alignment.tgt.sentences, alignment.warnings,
            alignment.src_embeddings.tobytes(), alignment.tgt_embeddings.tobytes())


@pytest.mark.parametrize("src_path, tgt_path, gold_path", GOLD_DOCUMENTS, ids=lambda p: Path(p).stem)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_linking_every_gold_bead_in_any_order_gives_the_gold_alignment(src_path, tgt_path, gold_path, data):
    gold = read_beads(gold_path)
    src, tgt = sentences_of(src_path), sentences_of(tgt_path)
    start = data.draw(st.one_of(st.just([(1, 1)] * min(len(src), len(tgt)) + (
        [(1, 0)] * (len(src) - len(tgt)) if len(src) > len(tgt) else [(0, 1)] * (len(tgt) - len(src)))),
        shapes(len(src), len(tgt))))
    alignment = bare_alignment(src, tgt, start)
    for bead in data.draw(st.permutations(gold)):
        alignment = edits.apply(alignment, {"op": "link", "src": list(bead[0]), "tgt": list(bead[1])})
    assert [(b.src, b.tgt) for b in alignment.beads] == gold


def test_gold_links_turn_pairs_output_into_the_gold_alignment(fake_encoder):
    src_path, tgt_path, gold_path = GOLD_DOCUMENTS[0]
    alignment = pipeline.align_files(src_path, tgt_path, "en", "sr", presplit=True)
    gold = read_beads(gold_path)
    ops = [(k + 1, {"op": "link", "src": list(s), "tgt": list(t)}) for k, (s, t) in enumerate(gold)]
    edited = pipeline.edit_alignment(alignment, ops)
    assert [(b.src, b.tgt) for b in edited.beads] == gold
    assert edited.history.done == 1 and edited.history.steps[0].ops == tuple(op for _, op in ops)


# ---------------------------------------------------------------------------------------------- each operation

def small() -> Alignment:
    return bare_alignment(["A b.", "C d.", "E f.", "G h."], ["1 2.", "3 4.", "5 6.", "7 8."],
                          [(1, 1), (2, 1), (0, 1), (1, 1)])


def pairs(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in alignment.beads]


def test_link_releases_the_sentences_it_takes_from_other_beads_and_beads_that_would_cross():
    alignment = small()
    merged = edits.apply(alignment, {"op": "link", "src": [1], "tgt": [1, 2]})
    assert pairs(merged) == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,))]
    crossing = edits.apply(alignment, {"op": "link", "src": [0], "tgt": [3]})
    # 1-2 x 1 would cross 0 x 3: released too; the lone target sentence 2 stays as it was
    assert pairs(crossing) == [((), (0,)), ((), (1,)), ((), (2,)), ((0,), (3,)), ((1,), ()), ((2,), ()), ((3,), ())]
    assert pairs(alignment) == [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]  # the input is untouched


def test_a_lone_source_and_a_lone_target_keep_their_order():
    alignment = bare_alignment(["A.", "B.", "C."], ["1.", "2.", "3."], [(1, 1), (0, 1), (1, 0), (1, 1)])
    relinked = edits.apply(alignment, {"op": "link", "src": [2], "tgt": [2]})
    assert pairs(relinked) == [((0,), (0,)), ((), (1,)), ((1,), ()), ((2,), (2,))]


def test_statuses_stay_on_untouched_beads_and_leave_changed_ones():
    alignment = edits.apply(small(), {"op": "confirm", "src": [0], "tgt": [0]})
    alignment = edits.apply(alignment, {"op": "reject", "src": [3], "tgt": [3]})
    assert [b.status for b in alignment.beads] == ["confirmed", "", "", "rejected"]
    linked = edits.apply(alignment, {"op": "link", "src": [1, 2], "tgt": [1, 2]})
    assert [b.status for b in linked.beads] == ["confirmed", "", "rejected"]
    edited = edits.apply(alignment, {"op": "edit", "side": "tgt", "sentence": 3, "text": "Sedam osam."})
    assert [b.status for b in edited.beads] == ["confirmed", "", "", ""]
    cleared = edits.apply(alignment, {"op": "clear", "src": [0], "tgt": [0]})
    assert cleared.beads[0].status == ""


def test_split_and_join_a_sentence_renumber_the_side():
    alignment = small()
    split = edits.apply(alignment, {"op": "split-sentence", "side": "src", "sentence": 1, "at": 2})
    assert split.src.texts == ["A b.", "C", "d.", "E f.", "G h."]
    assert pairs(split) == [((0,), (0,)), ((1, 2, 3), (1,)), ((), (2,)), ((4,), (3,))]
    assert np.isnan(split.src_embeddings[1:3]).all() and not np.isnan(split.src_embeddings[[0, 3, 4]]).any()
    joined = edits.apply(split, {"op": "join-sentences", "side": "src", "sentence": 1})
    assert joined.src.texts == ["A b.", "C d.", "E f.", "G h."] and pairs(joined) == pairs(alignment)
    across = edits.apply(alignment, {"op": "join-sentences", "side": "tgt", "sentence": 1})
    assert across.tgt.texts == ["1 2.", "3 4. 5 6.", "7 8."]
    assert pairs(across) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]  # the 0-1 bead of 5 6. is gone


@pytest.mark.parametrize("op, message", [
    ({"op": "frob"}, "unknown operation 'frob'"),
    ("link", "must be a JSON object"),
    ({"op": "link", "src": [], "tgt": []}, "at least one sentence"),
    ({"op": "link", "src": [0, 2], "tgt": [0]}, "not consecutive"),
    ({"op": "link", "src": [9], "tgt": []}, "source sentence 9 does not exist"),
    ({"op": "link", "src": [0, 0], "tgt": []}, "twice"),
    ({"op": "link", "src": [True], "tgt": []}, "list of sentence numbers"),
    ({"op": "confirm", "src": [1], "tgt": [1]}, "no bead holds exactly"),
    ({"op": "edit", "side": "src", "sentence": 0, "text": "  "}, "blank"),
    ({"op": "edit", "side": "left", "sentence": 0, "text": "x"}, '"side"'),
    ({"op": "edit", "side": "tgt", "sentence": 4, "text": "x"}, "target sentence 4 does not exist"),
    ({"op": "split-sentence", "side": "src", "sentence": 0, "at": 0}, "both parts must hold text"),
    ({"op": "split-sentence", "side": "src", "sentence": 0, "at": 1.5}, "character offset"),
    ({"op": "join-sentences", "side": "src", "sentence": 3}, "the last one"),
])
def test_an_operation_that_cannot_apply_is_a_clear_error_and_changes_nothing(op, message):
    alignment = small()
    before = pairs(alignment), alignment.src.texts, alignment.tgt.texts
    with pytest.raises(AlignError, match=message):
        edits.apply(alignment, op)
    assert (pairs(alignment), alignment.src.texts, alignment.tgt.texts) == before


def test_perform_records_nothing_for_an_action_that_changes_nothing(fake_encoder):
    alignment = small()
    rescore = pipeline.rescorer(fake_encoder())
    same = edits.perform(alignment, [{"op": "link", "src": [0], "tgt": [0]}], rescore)
    assert same is alignment and not edits.can_undo(same)
    with pytest.raises(AlignError, match="nothing to undo"):
        edits.undo(alignment, rescore)


def test_only_edited_sentences_are_encoded(fake_encoder):
    encoder = fake_encoder()
    src_path, tgt_path, _ = GOLD_DOCUMENTS[0]
    alignment = pipeline.align_files(src_path, tgt_path, "en", "sr", presplit=True, encoder=encoder)
    texts: list[str] = []
    original = encoder.encode
    encoder.encode = lambda batch, role="query": texts.extend(batch) or original(batch, role)
    edited = edits.perform(alignment, [{"op": "split-sentence", "side": "tgt", "sentence": 5, "at": 10}],
                           pipeline.rescorer(encoder))
    assert texts == pipeline.model_texts(edited.tgt.texts[5:7], "sr")
    assert not np.isnan(edited.tgt_embeddings).any()
    np.testing.assert_array_equal(edited.tgt_embeddings[7:], alignment.tgt_embeddings[6:])


def test_edited_sentences_need_the_alignments_own_model(fake_encoder):
    alignment = dataclasses.replace(small(), model="another-model")
    with pytest.raises(AlignError, match="made with the model 'another-model'"):
        edits.perform(alignment, [{"op": "edit", "side": "src", "sentence": 0, "text": "New."}],
                      pipeline.rescorer(fake_encoder()))


# ---------------------------------------------------------------------------------------------- align edit

@pytest.fixture
def saved(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src_path, tgt_path, _ = GOLD_DOCUMENTS[0]
    result = CliRunner().invoke(main, ["pair", str(src_path), str(tgt_path), "--presplit",
                                       "--alignment", str(tmp_path / "a.align.json")])
    assert result.exit_code == 0, result.output
    return tmp_path / "a.align.json"


def write_edits(path: Path, ops: list) -> Path:
    path.write_text("".join(json.dumps(op, ensure_ascii=False) + "\n" for op in ops), encoding="utf-8")
    return path


def test_align_edit_applies_the_file_as_one_step(saved, tmp_path):
    before = pipeline.load_alignment(saved)
    ops = [{"op": "link", "src": [0, 1], "tgt": [0, 1]}, {"op": "confirm", "src": [0, 1], "tgt": [0, 1]},
           {"op": "edit", "side": "tgt", "sentence": 5, "text": "Ispravljena rečenica."},
           {"op": "reject", "src": [2], "tgt": [2]}]
    result = CliRunner().invoke(main, ["edit", str(saved), str(write_edits(tmp_path / "e.jsonl", ops)),
                                       "-o", str(tmp_path / "b.align.json")])
    assert result.exit_code == 0, result.output
    edited = pipeline.load_alignment(tmp_path / "b.align.json")
    assert pairs(edited)[0] == ((0, 1), (0, 1)) and edited.beads[0].status == "confirmed"
    assert edited.tgt.sentences[5].text == "Ispravljena rečenica."
    assert edited.history.done == 1 and list(edited.history.steps[0].ops) == ops
    assert pipeline.load_alignment(saved).beads == before.beads  # -o: the original is untouched
    undone = edits.undo(edited, pipeline.rescorer())
    assert [(b.src, b.tgt, b.score, b.flags, b.status) for b in undone.beads] == \
        [(b.src, b.tgt, b.score, b.flags, b.status) for b in before.beads]


def test_align_edit_names_the_line_that_cannot_apply_and_writes_nothing(saved, tmp_path):
    before = saved.read_bytes()
    edits_file = tmp_path / "e.jsonl"
    edits_file.write_text('{"op": "link", "src": [0], "tgt": [0]}\n\n{"op": "join-sentences", "side": "src", '
                          '"sentence": 100000}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["edit", str(saved), str(edits_file)])
    assert result.exit_code == 1
    assert f"{edits_file}: line 3: source sentence 100000 does not exist" in result.output
    edits_file.write_text('{"op": "link", "src": [0]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["edit", str(saved), str(edits_file)])
    assert result.exit_code == 1 and "line 1: not JSON" in result.output
    assert saved.read_bytes() == before


def test_align_write_marks_confirmed_units_and_leaves_rejected_ones_out(saved, tmp_path):
    ops = [{"op": "confirm", "src": [0], "tgt": [0]}, {"op": "reject", "src": [2], "tgt": [2]}]
    assert CliRunner().invoke(main, ["edit", str(saved), str(write_edits(tmp_path / "e.jsonl", ops))]).exit_code == 0
    assert CliRunner().invoke(main, ["write", str(saved), "-o", str(tmp_path / "out.tmx")]).exit_code == 0
    units = read_tmx(tmp_path / "out.tmx").units
    assert units[0].prop("x-status") == "confirmed" and units[1].prop("x-status") is None
    assert [u.tuid for u in units[:3]] == ["interview-0001", "interview-0002", "interview-0004"]  # 0003 rejected
    result = CliRunner().invoke(main, ["write", str(saved), "-o", str(tmp_path / "all.tmx"), "--include-rejected"])
    assert result.exit_code == 0
    everything = read_tmx(tmp_path / "all.tmx").units
    assert len(everything) == len(units) + 1 and everything[2].prop("x-status") == "rejected"


def test_a_history_that_does_not_match_the_beads_is_refused(saved, tmp_path):
    ops = [{"op": "link", "src": [0, 1], "tgt": [0, 1]}]
    assert CliRunner().invoke(main, ["edit", str(saved), str(write_edits(tmp_path / "e.jsonl", ops))]).exit_code == 0
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["history"]["done"] == 1
    data["history"]["done"] = 5
    saved.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AlignError, match="history done 5 of 1 steps"):
        pipeline.load_alignment(saved)
    data["history"]["done"] = 1
    data["history"]["steps"][0]["beads"]["old"] = [[3, 3, ""]]
    saved.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AlignError, match="history does not match"):
        edits.undo(pipeline.load_alignment(saved), pipeline.rescorer())


def test_an_edited_sentence_gets_the_real_models_vector(encoder):
    alignment = pipeline.align_sentences(["Good morning.", "The harbour opens at six.", "Thank you."],
                                         ["Добро јутро.", "Лука се отвара у шест.", "Хвала."], "en", "sr",
                                         encoder=encoder)
    edited = edits.perform(alignment, [{"op": "edit", "side": "tgt", "sentence": 1, "text": "Лука се отвара у седам."}],
                           pipeline.rescorer(encoder))
    expected = encoder.encode(pipeline.model_texts(["Лука се отвара у седам."], "sr"))[0]
    np.testing.assert_allclose(edited.tgt_embeddings[1], expected, atol=1e-6)
    np.testing.assert_array_equal(edited.tgt_embeddings[[0, 2]], alignment.tgt_embeddings[[0, 2]])
    assert edited.beads[1].similarity != alignment.beads[1].similarity  # re-scored with the new vector
