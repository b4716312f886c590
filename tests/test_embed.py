"""The embed stage: normalized float32 rows, each distinct text encoded once, and the on-disk cache.

The model is the real default one from the user cache, run by its sentence-transformers member (backend
"torch", which the tests here compare with the model's own `encode`; the exported backends have
test_backends.py). ALIGN_CACHE points at a temporary folder only so that each test starts with an empty
embedding cache (the model is given by path, so it is not rebuilt there).
"""
from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from align.embed import load_encoder, model_texts
from align.embed.cache import CachedEncoder, EmbeddingCache, text_key
from align.embed.models import resolve_model
from align.languages import language

TEXTS = [
    "The public does not see how much NATO and Serbia work together.",
    "Javnost ne vidi koliko NATO i Srbija sarađuju.",
    "Јавност не види колико НАТО и Србија сарађују.",
    "The public does not see how much NATO and Serbia work together.",  # a repeat: encoded once
    "„Nikada ne smemo zaboraviti prošlost“, rekao je general.",
]


@pytest.fixture(scope="module")
def model_dir():
    return resolve_model()


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_BACKEND", "torch")
    monkeypatch.setenv("ALIGN_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ALIGN_NO_CACHE", raising=False)
    return tmp_path / "cache"


@pytest.mark.model
def test_rows_are_normalized_float32_in_input_order(model_dir, fresh_cache):
    encoder = load_encoder(str(model_dir))
    vectors = encoder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[3])
    assert encoder.encoded == len(set(TEXTS)) == 4 and encoder.hits == 0
    # the query prompt is used: the same as asking the model for it directly
    direct = encoder.inner.model.encode(TEXTS[1:2], prompt_name="query", normalize_embeddings=True)
    assert np.allclose(vectors[1], direct[0], atol=1e-6)
    # Serbian Latin and Cyrillic of one sentence are near each other, the English translation close by
    similarity = vectors @ vectors.T
    assert similarity[1, 2] > 0.9 and similarity[0, 1] > 0.8


@pytest.mark.model
def test_a_rerun_is_served_from_the_cache(model_dir, fresh_cache):
    first = load_encoder(str(model_dir))
    before = first.encode(TEXTS)
    again = load_encoder(str(model_dir))
    after = again.encode(TEXTS)
    assert again.encoded == 0 and again.hits == 4
    assert np.array_equal(before, after)
    assert [p.suffix for p in (fresh_cache / "embeddings").glob("*.sqlite3")] == [".sqlite3"]
    # a new text among cached ones: only that one goes to the model
    more = again.encode(TEXTS[:2] + ["A sentence nobody embedded before."])
    assert again.encoded == 1 and again.hits == 6
    assert np.array_equal(more[:2], before[:2])


@pytest.mark.model
def test_different_models_do_not_share_entries(model_dir, fresh_cache, tmp_path):
    """A copy of the model that prompts with "passage: " is another model: its own cache, other vectors."""
    variant = tmp_path / "passage-variant"
    for file in model_dir.rglob("*"):
        if file.is_file():
            (variant / file.relative_to(model_dir)).parent.mkdir(parents=True, exist_ok=True)
            (variant / file.relative_to(model_dir)).symlink_to(file)
    config = variant / "config_sentence_transformers.json"
    settings = json.loads(config.read_text())
    settings["prompts"]["query"] = "passage: "
    config.unlink()
    config.write_text(json.dumps(settings))

    default, other = load_encoder(str(model_dir)), load_encoder(str(variant))
    assert default.cache("query").path != other.cache("query").path
    first = default.encode(TEXTS)
    second = other.encode(TEXTS)
    assert other.hits == 0 and other.encoded == 4
    assert not np.allclose(first, second, atol=1e-3)
    assert np.allclose(second[1], default.inner.model.encode(TEXTS[1:2], prompt_name="passage")[0], atol=1e-6)


@pytest.mark.model
def test_cache_can_be_switched_off(model_dir, fresh_cache, monkeypatch):
    off = load_encoder(str(model_dir), cache=False)
    encoded, model_encode = [], type(off.model).encode

    def counting(model, texts, **options):
        encoded.extend(texts)
        return model_encode(model, texts, **options)
    monkeypatch.setattr(type(off.model), "encode", counting)
    off.encode(TEXTS[:2])
    off.encode(TEXTS[:2])
    assert not isinstance(off, CachedEncoder) and len(encoded) == 4  # every text to the model, none from a cache
    monkeypatch.setenv("ALIGN_NO_CACHE", "1")
    assert not isinstance(load_encoder(str(model_dir)), CachedEncoder)
    assert not (fresh_cache / "embeddings").exists()


@pytest.mark.model
def test_progress_bar_only_when_asked(model_dir, fresh_cache, capfd):
    load_encoder(str(model_dir)).encode(TEXTS[:2])
    assert capfd.readouterr().err == ""
    load_encoder(str(model_dir), cache=False, show_progress=True).encode(TEXTS[:2])
    captured = capfd.readouterr()
    assert "Batches" in captured.err and captured.out == ""


@pytest.mark.model
def test_empty_input(model_dir, fresh_cache):
    assert load_encoder(str(model_dir)).encode([]).shape == (0, 384)


def _store(paths: list[str], start_together, count: int) -> None:
    for path in paths:
        start_together.wait(timeout=60)  # every process opens the same new file at the same moment
        cache = EmbeddingCache(Path(path), "/model")
        for start in range(0, count, 50):  # many small transactions, to interleave with the others
            cache.put({text_key(f"text {i}"): np.full(384, i, np.float32) for i in range(start, start + 50)})
        cache.close()


def test_processes_create_and_fill_one_cache_at_once(tmp_path):
    """Four processes open each new cache file together, then all store the same vectors.

    Opening a new file together is the hard part: the switch to WAL does not wait for a lock, and before the cache
    retried it this test failed on every run ("database is locked"; a CI run failed on it with two processes).
    """
    paths = [str(tmp_path / f"shared{round}.sqlite3") for round in range(10)]
    context = multiprocessing.get_context("spawn")
    start_together = context.Barrier(4)
    workers = [context.Process(target=_store, args=(paths, start_together, 500), daemon=True) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    for path in paths:
        cache = EmbeddingCache(Path(path), str(tmp_path))
        found = cache.get([text_key(f"text {i}") for i in range(500)])
        assert len(found) == 500
        assert all(np.array_equal(found[text_key(f"text {i}")], np.full(384, i, np.float32)) for i in range(500))
        cache.close()


@pytest.mark.parametrize("text, lang, given", [
    ("Јавност не види колико НАТО и Србија сарађују.", "sr", "Javnost ne vidi koliko NATO i Srbija sarađuju."),
    ("Напон је 230 В.", "sr-Cyrl", "Napon je 230 V."),
    ("Javnost ne vidi.", "sr-Latn", "Javnost ne vidi."),
    ("Напон је 230 В.", "sr_RS", "Napon je 230 V."),
    ("Напон је 230 В.", "SRP", "Napon je 230 V."),
    ("Общественность не видит.", "ru", "Общественность не видит."),
    ("The public does not see.", "en", "The public does not see."),
])
def test_the_model_is_given_serbian_in_latin(text, lang, given):
    assert language(lang).model_text(text) == given


@pytest.mark.model
def test_serbian_is_encoded_in_latin_whatever_its_script(model_dir, fresh_cache):
    encoder = load_encoder(str(model_dir))
    cyrillic, latin = encoder.encode(model_texts([TEXTS[2]], "sr")), encoder.encode([TEXTS[1]])
    assert np.array_equal(cyrillic, latin)
