"""align.aligner: the real model on a dozen sentences, and the search's invariants on random embeddings."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from align import aligner
from align.embed import encode_pair

EN = [
    "The museum opened its new wing on Monday.",
    "More than 1,400 visitors came on the first day.",
    "The director thanked the city council for its support.",
    "She said the collection had doubled in ten years.",
    "Tickets are free for children under twelve.",
    "The wing was designed by a local architect.",
    "Construction took two years and cost 3 million euros.",
    "Photo: the new wing seen from the river.",
    "Will the old building close?",
    "No, it will host temporary exhibitions.",
]
# 0-0, 1-1, 2-2, 3-(3, 4) split, 4-5, (5, 6)-6 merged, 7 dropped (a caption), 8-7, 9-8
SR = [
    "Muzej je u ponedeljak otvorio novo krilo.",
    "Prvog dana došlo je više od 1.400 posetilaca.",
    "Direktorka je zahvalila gradskom veću na podršci.",
    "Kako je rekla, zbirka se udvostručila.",
    "Za to je bilo potrebno deset godina.",
    "Deca mlađa od dvanaest godina ne plaćaju ulaznice.",
    "Krilo je projektovao lokalni arhitekta, a gradnja je trajala dve godine i koštala 3 miliona evra.",
    "Da li će stara zgrada biti zatvorena?",
    "Ne, u njoj će se održavati povremene izložbe.",
]
GOLD = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3, 4)), ((4,), (5,)), ((5, 6), (6,)), ((7,), ()),
        ((8,), (7,)), ((9,), (8,))]


def as_pairs(beads):
    return [(b.src, b.tgt) for b in beads]


def check_invariants(beads, n, m, max_align):
    """Every sentence of each side exactly once, in order; only allowed shapes."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n)) and tgt == list(range(m))
    for b in beads:
        assert b.src or b.tgt
        assert len(b.src) <= max_align and len(b.tgt) <= max_align
        assert b.src == tuple(range(b.src[0], b.src[0] + len(b.src))) if b.src else True
        if not (b.src and b.tgt):
            assert len(b.src) + len(b.tgt) == 1  # 1-0 and 0-1 only
        assert 0.0 <= b.score <= 1.0


def align(src, tgt, encoder):
    """Encode both sides as given, then align them."""
    return aligner.align(src, tgt, *encode_pair(encoder, src, tgt))


def test_real_model_finds_one_to_one_merge_split_and_deletion(encoder):
    beads = align(EN, SR, encoder)
    check_invariants(beads, len(EN), len(SR), 4)
    assert as_pairs(beads) == GOLD


def test_real_model_in_cyrillic(encoder):
    from align.languages.sr_script import to_cyrillic

    beads = align(EN, [to_cyrillic(s) for s in SR], encoder)
    assert as_pairs(beads) == GOLD


def test_confidence_separates_right_from_wrong(encoder):
    right = align(EN[:3], SR[:3], encoder)
    wrong = align(EN[:3], [SR[5], SR[8], SR[2]], encoder)
    assert min(b.score for b in right) > 0.5
    assert wrong[0].score < min(b.score for b in right)


SENTENCE = "a sentence of ordinary length"


def random_document(rng, n, deletions=0, insertions=0, merges=0, dim=32):
    """src embeddings and a noisy translation with planted deletions, insertions and 2-1 merges, with texts
    of matching lengths (a merged target is twice as long)."""
    src = rng.normal(size=(n, dim))
    tgt, tgt_texts, gold, i = [], [], [], 0
    deleted = set(rng.choice(n, deletions, replace=False)) if deletions else set()
    merged = set(rng.choice(n - 1, merges, replace=False)) - deleted if merges else set()
    while i < n:
        if i in deleted:
            gold.append(((i,), ()))
            i += 1
            continue
        if i in merged and i + 1 < n and i + 1 not in deleted:
            tgt.append(src[i] + src[i + 1] + 0.3 * rng.normal(size=dim))
            tgt_texts.append(SENTENCE + " " + SENTENCE)
            gold.append(((i, i + 1), (len(tgt) - 1,)))
            i += 2
            continue
        tgt.append(src[i] + 0.3 * rng.normal(size=dim))
        tgt_texts.append(SENTENCE)
        gold.append(((i,), (len(tgt) - 1,)))
        i += 1
    for _ in range(insertions):
        at = int(rng.integers(0, len(tgt) + 1))
        tgt.insert(at, rng.normal(size=dim))
        tgt_texts.insert(at, SENTENCE)
    normalise = lambda x: (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return normalise(src), normalise(np.array(tgt)), [SENTENCE] * n, tgt_texts, gold


@pytest.mark.parametrize("seed", range(4))
def test_invariants_on_random_embeddings(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    src = rng.normal(size=(n, 16)).astype(np.float32)
    tgt = rng.normal(size=(m, 16)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    max_align = int(rng.integers(1, 5))
    beads = aligner.align([SENTENCE] * n, [SENTENCE] * m, src, tgt, max_align=max_align)
    check_invariants(beads, n, m, max_align)


def test_empty_side_gives_only_skips():
    beads = aligner.align(["a", "b"], [], np.ones((2, 4), np.float32), np.zeros((0, 4), np.float32))
    assert as_pairs(beads) == [((0,), ()), ((1,), ())]


@pytest.mark.parametrize("full_cells", [10**9, 2_000])
def test_planted_alignment_is_found_in_full_and_banded_search(full_cells):
    rng = np.random.default_rng(7)
    src, tgt, src_texts, tgt_texts, gold = random_document(rng, 300, deletions=6, merges=10)
    settings = replace(aligner.Settings(), full_cells=full_cells)
    beads = aligner.align(src_texts, tgt_texts, src, tgt, settings=settings)
    check_invariants(beads, len(src), len(tgt), 4)
    found = set(as_pairs(beads))
    assert sum(bead in found for bead in gold) / len(gold) > 0.97


def test_banded_search_survives_a_long_insertion():
    """A run of 80 inserted target sentences: the coarse path must still lead the band to the right place."""
    rng = np.random.default_rng(3)
    src, tgt, src_texts, tgt_texts, gold = random_document(rng, 400)
    noise = rng.normal(size=(80, src.shape[1])).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    tgt = np.concatenate([tgt[:200], noise, tgt[200:]])
    settings = replace(aligner.Settings(), full_cells=5_000)
    beads = aligner.align(src_texts, [SENTENCE] * len(tgt), src, tgt, settings=settings)
    check_invariants(beads, len(src), len(tgt), 4)
    pairs = set(as_pairs(beads))
    assert ((250,), (250 + 80,)) in pairs and ((100,), (100,)) in pairs


def test_evidence_reads_cyrillic_names_and_numbers_as_latin():
    latin = aligner.evidence_keys("Generalni sekretar Stoltenberg posetio je Beograd 2019. godine.")
    cyrillic = aligner.evidence_keys("Генерални секретар Столтенберг посетио је Београд 2019. године.")
    english = aligner.evidence_keys("Secretary General Stoltenberg visited Belgrade in 2019.")
    assert latin == cyrillic
    assert "#2019" in english and "@stol" in english and "@stol" in latin
    assert aligner.evidence_keys("It cost 1,400 euros.")[0] == aligner.evidence_keys("Koštalo je 1.400 evra.")[0]


def test_short_documents_are_not_swallowed_by_one_bead(encoder):
    """Beyond the ends of a document there are no neighbours: that must not make one bead of everything win."""
    en = ["The general visited Belgrade in October.", "He met the minister of defence.",
          "They talked about the exercise.", "The weather was cold."]
    sr = ["General je u oktobru posetio Beograd.", "Sastao se s ministrom odbrane i razgovarali su o vežbi.",
          "Vreme je bilo hladno."]
    assert as_pairs(align(en, sr, encoder)) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_question_marks_of_other_scripts_count():
    texts = ["Will it close?", "它会关闭吗？", "هل سيغلق؟", "It will not."]
    side = aligner.Side.of(texts, np.eye(4, dtype=np.float32))
    assert side.questions.tolist() == [1.0, 1.0, 1.0, 0.0]
