"""The Python API a notebook user calls: align_sentences and its errors."""
from __future__ import annotations

import pytest

from align import pipeline
from align.embed import load_encoder
from align.errors import AlignError, AlignUsageError
from align.formats import tmx

EN = ["Good morning, everyone.", "The meeting starts at ten.", "Thank you for coming."]
SR = ["Добро јутро свима.", "Састанак почиње у десет.", "Хвала што сте дошли."]


def test_align_sentences_gives_an_alignment_ready_to_write(tmp_path):
    alignment = pipeline.align_sentences(EN, SR, "en", "sr", name="meeting")
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert alignment.tgt.tag == "sr-Cyrl" and alignment.name == "meeting" and alignment.warnings == []
    pipeline.write_outputs(alignment, tmx_path=tmp_path / "m.tmx", script="latn")
    units = tmx.read_tmx(tmp_path / "m.tmx").units
    assert [(u.tuid, u.variants[1].lang, u.variants[1].text) for u in units][0] == (
        "meeting-0001", "sr-Latn", "Dobro jutro svima.")


def test_align_sentences_errors():
    with pytest.raises(AlignError, match="no sr sentences given"):
        pipeline.align_sentences(EN, [], "en", "sr")
    with pytest.raises(AlignError, match="sr sentence 2 is empty"):
        pipeline.align_sentences(EN, ["Zdravo.", "  "], "en", "sr")
    with pytest.raises(AlignUsageError, match="a list of strings, not one string"):
        pipeline.align_sentences("Hello.", ["Zdravo."], "en", "sr")
    with pytest.raises(AlignUsageError, match=r"a model \(and backend\) or an encoder, not both"):
        pipeline.align_sentences(EN, SR, "en", "sr", model="x", encoder=load_encoder(cache=False))
