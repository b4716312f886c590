"""Embed stage: sentences -> L2-normalised vectors (read -> segment -> *embed* -> align -> score -> write).

The encoders form a family, one module per member, found by backend name (ENCODERS). An encoder is anything
with `name` (the model's), `key` (a string that changes whenever its vectors would), `dimension` and
`encode(texts, role) -> (len(texts), dimension) float32 array`, rows L2-normalised. `role` names the model's
prompt ("query" for alignment: e5's best prefix for finding translations). The on-disk cache (cache.py) wraps
any encoder.

What the model is given for a sentence is its language's business (align.languages: Serbian in Latin script),
applied here by `model_texts`; the aligner gets those same texts and the vectors, and knows nothing of encoders.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..errors import AlignUsageError
from ..languages import language
from . import sentence_transformer
from .cache import CachedEncoder, cache_disabled
from .models import DEFAULT_MODEL

ENCODERS = {sentence_transformer.NAME: sentence_transformer.SentenceTransformerEncoder}
DEFAULT_BACKEND = sentence_transformer.NAME
ROLE = "query"  # the prompt sentences are encoded with for alignment


class Encoder(Protocol):
    name: str
    key: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], role: str = ROLE) -> np.ndarray: ...


def load_encoder(model: str | None = None, backend: str | None = None, cache: bool = True,
                 show_progress: bool = False, threads: int | None = None) -> Encoder:
    """The encoder of `model` (default: multilingual-e5-small) on `backend`, behind the on-disk cache unless
    `cache` is off or ALIGN_NO_CACHE is set."""
    backend = backend or DEFAULT_BACKEND
    if backend not in ENCODERS:
        raise AlignUsageError(f"unknown backend {backend!r} (choose from {', '.join(ENCODERS)})")
    encoder = ENCODERS[backend](model, threads=threads, show_progress=show_progress)
    return CachedEncoder(encoder) if cache and not cache_disabled() else encoder


def model_texts(texts: Sequence[str], lang: str) -> list[str]:
    """What the model is given for each sentence of language `lang` (Serbian: in Latin script)."""
    return language(lang).model_texts(list(texts))


def encode_pair(encoder: Encoder, src: Sequence[str], tgt: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Both sides of a document in one call (one progress bar for the whole job, one batch of cache look-ups)."""
    vectors = encoder.encode(list(src) + list(tgt), ROLE)
    return vectors[:len(src)], vectors[len(src):]


__all__ = ["DEFAULT_MODEL", "ENCODERS", "Encoder", "encode_pair", "load_encoder", "model_texts"]
