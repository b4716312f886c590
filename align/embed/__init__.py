"""Embed stage: sentences -> L2-normalised vectors (read -> segment -> *embed* -> align -> score -> write).

The encoders form a family, one module per member (per runtime: openvino.py and onnx.py hold a member per
exported variant), found by backend name (ENCODERS). An encoder is anything
with `name` (the model's), `key` (a string that changes whenever its vectors would), `backend` (what runs the
model: its name in ENCODERS, recorded in the alignment so that an edit encodes the same way), `dimension` and
`encode(texts, role) -> (len(texts), dimension) float32 array`, rows L2-normalised. `role` names the model's
prompt ("query" for alignment: e5's best prefix for finding translations). The on-disk cache (cache.py) wraps
any encoder.

What the model is given for a sentence is its language's business (align.languages: Serbian in Latin script),
applied here by `model_texts`; the aligner gets those same texts and the vectors, and knows nothing of encoders.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import AlignUsageError
from ..languages import language
from . import onnx, openvino, sentence_transformer
from .cache import CachedEncoder, cache_disabled
from .models import DEFAULT_MODEL, model_info

ENCODERS = {sentence_transformer.NAME: sentence_transformer.SentenceTransformerEncoder,
            **{member.NAME: member for member in (*openvino.MEMBERS, *onnx.MEMBERS)}}
# Chosen by measurement (bench/bench_backends.py, README "Encoder backends"): of the backends whose accuracy holds
# on every set, the fastest whose export is the same bytes on every build. openvino-int8 is faster still, but its
# calibration differs from one build to the next (vectors of two builds on this machine: min cosine 0.99986), so
# a fresh cache would not reproduce a committed output.
DEFAULT_BACKEND = "openvino-int8w"
ROLE = "query"  # the prompt sentences are encoded with for alignment


class Encoder(Protocol):
    name: str
    key: str
    backend: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], role: str = ROLE) -> np.ndarray: ...


def backend_name(backend: str | None = None) -> str:
    """The backend to use: the one given, else $ALIGN_BACKEND, else the default; a usage error if unknown."""
    backend = backend or os.environ.get("ALIGN_BACKEND") or DEFAULT_BACKEND
    if backend not in ENCODERS:
        raise AlignUsageError(f"unknown backend {backend!r} (choose from {', '.join(ENCODERS)})")
    return backend


def load_encoder(model: str | None = None, backend: str | None = None, cache: bool = True,
                 show_progress: bool = False, threads: int | None = None) -> Encoder:
    """The encoder of `model` (default: multilingual-e5-small) on `backend` (default: $ALIGN_BACKEND, else
    DEFAULT_BACKEND), behind the on-disk cache unless `cache` is off or ALIGN_NO_CACHE is set."""
    encoder = ENCODERS[backend_name(backend)](model, threads=threads, show_progress=show_progress)
    return CachedEncoder(encoder) if cache and not cache_disabled() else encoder


def backend_info(model: str | None = None, backend: str | None = None) -> dict:
    """What `align info` reports: the model (models.model_info) and the backend as this machine runs it, without
    building anything."""
    name = backend_name(backend)
    info = model_info(model)
    about = getattr(ENCODERS[name], "about", None)
    info["backend"] = about(Path(info["path"])) if about else {"backend": name}
    return info


def model_texts(texts: Sequence[str], lang: str) -> list[str]:
    """What the model is given for each sentence of language `lang` (Serbian: in Latin script)."""
    return language(lang).model_texts(list(texts))


def encode_pair(encoder: Encoder, src: Sequence[str], tgt: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Both sides of a document in one call (one progress bar for the whole job, one batch of cache look-ups)."""
    vectors = encoder.encode(list(src) + list(tgt), ROLE)
    return vectors[:len(src)], vectors[len(src):]


__all__ = ["DEFAULT_BACKEND", "DEFAULT_MODEL", "ENCODERS", "Encoder", "backend_info", "backend_name", "encode_pair",
           "load_encoder", "model_texts"]
