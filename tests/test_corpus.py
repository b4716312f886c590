"""The interview corpus agrees with itself: seed, texts, gold sentence splits, gold beads, both scripts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from align.languages.sr_script import to_cyrillic, to_latin

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpora" / "interview"
SEED = REPO.parent / "shared" / "seed" / "interview.en.txt"
SIDES = ("en", "sr-Latn", "sr-Cyrl")
SERBIAN = ("sr-Latn", "sr-Cyrl")
_BEAD = re.compile(r"\[((?:\d+(?:, \d+)*)?)\]:\[((?:\d+(?:, \d+)*)?)\]")


def _text(side: str) -> str:
    return (CORPUS / f"{side}.txt").read_text(encoding="utf-8")


def _sentences(side: str) -> list[str]:
    return (CORPUS / f"{side}.sent").read_text(encoding="utf-8").splitlines()


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _paragraph_of_each_sentence(side: str) -> list[int]:
    """Fails unless the sentences, in order, exactly partition the paragraphs (whitespace aside)."""
    paragraphs = [_squeeze(p) for p in re.split(r"\n\s*\n", _text(side)) if p.strip()]
    sentences = [_squeeze(s) for s in _sentences(side)]
    owner = []
    k = 0
    for number, paragraph in enumerate(paragraphs):
        rest = paragraph
        while rest:
            assert k < len(sentences), f"{side}: paragraph {number} is not covered by the .sent file"
            assert sentences[k] and rest.startswith(sentences[k]), (
                f"{side}.sent line {k} does not continue paragraph {number}: {_sentences(side)[k]!r}")
            rest = rest[len(sentences[k]):]
            owner.append(number)
            k += 1
    assert k == len(sentences), f"{side}.sent has {len(sentences) - k} lines beyond the text"
    return owner


def _beads() -> list[tuple[list[int], list[int]]]:
    beads = []
    for number, line in enumerate((CORPUS / "gold.beads").read_text(encoding="utf-8").splitlines()):
        found = _BEAD.fullmatch(line)
        assert found, f"gold.beads line {number}: not a bead: {line!r}"
        src, tgt = ([int(i) for i in group.split(", ")] if group else [] for group in found.groups())
        assert src or tgt, f"gold.beads line {number}: empty bead"
        beads.append((src, tgt))
    return beads


def test_english_is_the_published_text_byte_for_byte():
    if not SEED.is_file():
        pytest.skip(f"seed not available: {SEED}")
    assert (CORPUS / "en.txt").read_bytes() == SEED.read_bytes()


@pytest.mark.parametrize("side", SIDES)
def test_gold_sentences_are_the_text_split_within_paragraphs(side):
    assert all(s.strip() for s in _sentences(side)), f"{side}.sent has a blank line"
    assert _squeeze("".join(_sentences(side))) == _squeeze(_text(side))
    _paragraph_of_each_sentence(side)


@pytest.mark.parametrize("serbian", SERBIAN)
def test_gold_beads_cover_every_sentence_once_in_order_and_stay_in_their_paragraph(serbian):
    beads = _beads()
    assert [i for src, _ in beads for i in src] == list(range(len(_sentences("en"))))
    assert [j for _, tgt in beads for j in tgt] == list(range(len(_sentences(serbian))))
    en_paragraph = _paragraph_of_each_sentence("en")
    sr_paragraph = _paragraph_of_each_sentence(serbian)
    assert max(en_paragraph) == max(sr_paragraph), "the Serbian has a different number of paragraphs"
    for src, tgt in beads:
        paragraphs = {en_paragraph[i] for i in src} | {sr_paragraph[j] for j in tgt}
        assert len(paragraphs) == 1, f"bead {src}:{tgt} crosses a paragraph boundary"


@pytest.mark.parametrize("ext", ["txt", "sent"])
def test_cyrillic_is_the_project_conversion_of_the_latin(ext):
    latin = (CORPUS / f"sr-Latn.{ext}").read_text(encoding="utf-8")
    cyrillic = (CORPUS / f"sr-Cyrl.{ext}").read_text(encoding="utf-8")
    assert cyrillic == to_cyrillic(latin), "regenerate sr-Cyrl (command in corpora/interview/README.md)"
    assert to_latin(cyrillic) == latin


def test_translation_is_not_sentence_by_sentence():
    shapes = [(len(src), len(tgt)) for src, tgt in _beads()]
    merges_and_splits = [s for s in shapes if 0 not in s and s != (1, 1)]
    unmatched = [s for s in shapes if 0 in s]
    assert len(merges_and_splits) >= 10
    assert len(unmatched) >= 2


@pytest.mark.parametrize("serbian", SERBIAN)
def test_serbian_typography(serbian):
    text = _text(serbian)
    assert '"' not in text and "”" not in text and "’" not in text, "English quotes or apostrophes"
    assert re.findall("[„“]", text) == ["„", "“"] * text.count("„"), "unbalanced „…“ quotes"
    assert not re.search(r"\d,\d{3}\b", text), "English thousands separator"
