"""The files of an exported model and what numpy does with them, shared by the exported-model members of the
encoder family: a sentence-transformers model run without torch or transformers, from the files
align.embed.export builds once (tokenizer.json, the word-embedding table, a graph per backend, recipe.json saying
how the model prompts, truncates and pools).

    text -> prompt + text -> tokenizers -> word-embedding rows (numpy, from a memory-mapped table)
         -> graph (OpenVINO or ONNX Runtime: the transformer layers) -> pooling, Dense, L2 norm (numpy)

Reproducible vectors: a sentence's vector depends on that sentence alone, never on what else was encoded with it
or before it. Each sentence is padded to a length bucket that follows from its own token count (8, 16, ..., 64,
80, ..., 128, 160, ..., 512; for ONNX Runtime, its exact length), and a batch only ever holds sentences of one
bucket, so the shape a sentence meets is fixed by the sentence itself; every row of the graph is computed on its
own (attention masked per row; OpenVINO's on-the-fly int8 activations are per token; ONNX Runtime's dynamic int8,
one scale per call, gets one sentence per call), so its partners in the batch do not touch it
(tests/test_backends.py checks bit-identity alone and in batches). Few distinct shapes also keep OpenVINO's
per-shape kernel caches and buffers small.

The word embeddings are looked up here, not inside the graph: the table is most of the model (96M of
multilingual-e5-small's 118M weights), kept exact (fp32) for every backend, and memory-mapped, so only the rows a
document uses are read. The graph gets inputs_embeds (or input_ids, for a model whose embedding layer does more
than a lookup; export.py checks).
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path

import numpy as np

RECIPE = "recipe.json"
TOKENIZER = "tokenizer.json"
WORD_EMBEDDINGS = "word_embeddings.npy"
# Tokens per graph call (padding included): the sentences of a batch share a bucket, so a bucket of width w is
# run TOKENS // w sentences at a time. Runtime memory grows with the largest call (OpenVINO plans buffers for
# every layer: about 80 MB per 1,000 tokens for multilingual-e5-small), speed hardly past a few hundred.
TOKENS = 512


def bucket(length: int) -> int:
    """The padded length of a sentence of `length` tokens: the next multiple of 8 up to 64, of 16 up to 128, of
    32 up to 256, of 64 beyond (20 widths up to 512 tokens)."""
    for limit, step in ((64, 8), (128, 16), (256, 32)):
        if length <= limit:
            return max(step, -(-length // step) * step)
    return -(-length // 64) * 64


# ------------------------------------------------------------------------------------- the CPU

_ISA_CAP = {"avx2": {"avx2"}, "avx512_core": {"avx2", "avx512"}}  # ONEDNN_MAX_CPU_ISA values we honour


def cpu_features() -> frozenset[str]:
    """The instruction sets that decide which configuration a backend can use: "avx2", "avx512" (F, BW, VL),
    "vnni" (int8 dot products: AVX512-VNNI, AVX-VNNI or AMX). Read from /proc/cpuinfo (Linux), else from numpy's
    own CPU detection; capped by ONEDNN_MAX_CPU_ISA as the runtimes themselves are (the way to test, or force,
    the portable configuration on a machine that has more)."""
    flags: set[str] = set()
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
        match = re.search(r"^flags\s*:(.*)$", text, re.MULTILINE)
        flags = set(match.group(1).split()) if match else set()
    except OSError:
        pass
    if not flags:
        try:
            from numpy._core._multiarray_umath import __cpu_features__ as found
        except ImportError:  # numpy < 2
            from numpy.core._multiarray_umath import __cpu_features__ as found
        flags = {name.lower() for name, on in found.items() if on}
        flags |= {"avx512f", "avx512bw", "avx512vl"} if found.get("AVX512_SKX") else set()
        flags |= {"avx512_vnni"} if found.get("AVX512VNNI") else set()
    features = set()
    if "avx2" in flags:
        features.add("avx2")
    if {"avx512f", "avx512bw", "avx512vl"} <= flags:
        features.add("avx512")
    if flags & {"avx512_vnni", "avx_vnni", "amx_int8"}:
        features.add("vnni")
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA", "").lower()
    if cap in _ISA_CAP:
        features &= _ISA_CAP[cap]
    return frozenset(features)


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def default_threads() -> int:
    """The cores this process may run on (a container's or taskset's share, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------------------------- the model

def _free(holder: list) -> None:
    """Drop the one reference left (in `holder`), then hand the freed memory back: glibc keeps freed small
    blocks for reuse unless asked (malloc_trim); elsewhere they stay for the process to reuse."""
    holder.clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


class ExportedModel:
    """The shared part of an export: recipe, tokenizer and word-embedding table, loaded on first use."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.recipe = json.loads((folder / RECIPE).read_text(encoding="utf-8"))

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER))
        tokenizer.no_padding()
        tokenizer.enable_truncation(self.recipe["max_length"], strategy="longest_first",
                                    direction=self.recipe["truncation_side"])
        tokenizer.encode_special_tokens = self.recipe["split_special_tokens"]
        return tokenizer

    @cached_property
    def table(self) -> np.ndarray | None:
        path = self.folder / WORD_EMBEDDINGS
        return np.load(path, mmap_mode="r") if path.is_file() else None

    def prompt(self, role: str) -> str:
        """The model's prompt of that name, else its default one (as SentenceTransformer.encode chooses)."""
        prompts = self.recipe["prompts"]
        if role in prompts:
            return prompts[role]
        return prompts.get(self.recipe.get("default_prompt_name") or "", "")

    def tokenize(self, texts: Sequence[str], role: str) -> list:
        """The tokenizer's encodings of the texts, each with the role's prompt in front."""
        prompt = self.prompt(role)
        return self.tokenizer.encode_batch([prompt + text for text in texts])

    def release_tokenizer(self) -> None:
        """Let go of the tokenizer and give its memory back to the system: tokenizers keeps a 250,000-piece
        unigram vocabulary as a trie of about 280 MB, as much as the rest of a run together. Freeing it takes a
        fifth of a second, done in a thread of its own while the graph runs; the next `tokenize` loads it anew."""
        tokenizer = self.__dict__.pop("tokenizer", None)
        if tokenizer is not None:
            threading.Thread(target=_free, args=([tokenizer],), daemon=True).start()
            del tokenizer

    def batches(self, encodings: list, tokens: int = TOKENS, pad: bool = True
                ) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
        """(row numbers, graph inputs) for every batch: the sentences of one bucket, `tokens` // width at a
        time, the rest of a bucket one sentence per call, so that a bucket meets the runtime in two shapes.
        Without `pad`, a bucket is one exact length (for a runtime that keeps nothing per shape)."""
        by_bucket: dict[int, list[int]] = defaultdict(list)
        for row, encoding in enumerate(encodings):
            by_bucket[bucket(len(encoding.ids)) if pad else len(encoding.ids)].append(row)
        for width, rows in sorted(by_bucket.items(), reverse=True):  # longest first: largest buffers at once
            size = max(1, tokens // width)
            full = len(rows) - len(rows) % size
            groups = [rows[k:k + size] for k in range(0, full, size)] + [[row] for row in rows[full:]]
            for group in groups:
                yield group, self.inputs([encodings[row] for row in group], width)

    def inputs(self, encodings: list, width: int) -> dict[str, np.ndarray]:
        ids = np.full((len(encodings), width), self.recipe["pad_id"], np.int64)
        mask = np.zeros((len(encodings), width), np.int64)
        types = np.zeros((len(encodings), width), np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = encoding.ids, 1, encoding.type_ids
        given = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        if self.recipe["inputs"] == "inputs_embeds":
            given["inputs_embeds"] = np.asarray(self.table[ids], np.float32)
        return {name: given[name] for name in self.recipe["input_names"]}

    @cached_property
    def dense(self) -> list[tuple[np.ndarray, np.ndarray, str]]:
        layers = []
        for layer in self.recipe["dense"]:
            with np.load(self.folder / layer["file"]) as weights:
                layers.append((weights["weight"], weights["bias"], layer["activation"]))
        return layers

    def sentence_vectors(self, tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Pooling (as the model's Pooling module), its Dense layers, L2 normalisation: token vectors
        (n, width, hidden) with their mask (n, width) -> (n, dimension) float32."""
        tokens = tokens.astype(np.float32, copy=False)
        weights = mask[..., None].astype(np.float32)
        counts = mask.sum(axis=1).astype(np.float32)[:, None]
        pooled = []
        for mode in self.recipe["pooling"]:
            if mode == "cls":
                pooled.append(tokens[:, 0])
            elif mode == "max":
                pooled.append(np.where(weights > 0, tokens, -np.inf).max(axis=1))
            elif mode in ("mean", "mean_sqrt_len_tokens"):
                total = (tokens * weights).sum(axis=1, dtype=np.float32)
                pooled.append(total / (counts if mode == "mean" else np.sqrt(counts)))
            elif mode == "weightedmean":
                positions = weights * np.arange(1, tokens.shape[1] + 1, dtype=np.float32)[None, :, None]
                pooled.append((tokens * positions).sum(axis=1) / positions.sum(axis=1))
            elif mode == "lasttoken":
                pooled.append(tokens[np.arange(len(tokens)), mask.sum(axis=1) - 1])
        vectors = np.concatenate(pooled, axis=1)
        for weight, bias, activation in self.dense:
            vectors = ACTIVATIONS[activation](vectors @ weight.T + bias)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"identity": lambda x: x, "tanh": np.tanh}
