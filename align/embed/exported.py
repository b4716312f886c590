"""The base of the exported-model members of the encoder family (align.embed.openvino, align.embed.onnx): the
model exported once (align.embed.export), then run without torch or transformers (align.embed.exported_model)."""
from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AlignError, AlignUsageError
from . import export
from .exported_model import TOKENS, ExportedModel, default_threads, package_version
from .models import DEFAULT_MODEL, resolve_model
from .sentence_transformer import model_fingerprint


class ExportedEncoder:
    """An encoder-family member over one exported variant of a model. Subclasses name the backend (NAME),
    the variant the export builds for it (VARIANT), load the runtime with its graph compiled (`load_runtime`) and
    run it (`run`). The export is built at construction when missing (once, under a lock); the runtime is imported
    at the first text to encode, so a run served from the embedding cache loads neither."""

    NAME = ""
    VARIANT = ""
    RUNTIME = ""  # the Python package that runs the graph: part of the cache key
    TOKENS = TOKENS  # tokens per graph call (exported_model.TOKENS)
    PAD = True  # pad to length buckets (ExportedModel.batches)
    REQUIRES: tuple[str, ...] = ()  # packages of an optional extra the backend needs
    EXTRA = ""

    def __init__(self, name_or_path: str | None = None, threads: int | None = None, show_progress: bool = False):
        missing = [package for package in self.REQUIRES if importlib.util.find_spec(package) is None]
        if missing:
            raise AlignUsageError(f"the {self.NAME} backend needs {' and '.join(missing)}, not installed "
                                  f"(pip install '{self.EXTRA}')")
        self.name = name_or_path or DEFAULT_MODEL
        self.backend = self.NAME
        self.source = resolve_model(name_or_path)
        self.threads = threads or default_threads()
        self.show_progress = show_progress
        self.folder = export.ensure(self.source, self.variant(), self.NAME)
        self.model = ExportedModel(self.folder.parent / export.COMMON)
        self.calls = 0
        self.key = (f"{self.NAME}:{self.configuration()}:{package_version(self.RUNTIME)}:"
                    f"{model_fingerprint(self.folder)}:{model_fingerprint(self.model.folder)}")

    @classmethod
    def variant(cls) -> str:
        """The export this machine runs for the backend."""
        return cls.VARIANT

    @classmethod
    def configuration(cls) -> str:
        """How this machine runs the variant (part of the key: vectors differ slightly between them)."""
        return "default"

    @classmethod
    def about(cls, source: Path) -> dict:
        """What `align info` reports about this backend for the model at `source`, without building anything."""
        folder = export.export_root(source) / cls.variant()
        return {"backend": cls.NAME, "configuration": cls.configuration(),
                "runtime": f"{cls.RUNTIME} {package_version(cls.RUNTIME)}", "export_path": str(folder),
                "exported": folder.is_dir(), "threads": default_threads()}

    @property
    def dimension(self) -> int:
        return int(self.model.recipe["dimension"])

    def prepare_runtime(self) -> None:
        """Import the runtime's Python side (the rest of load_runtime runs outside the GIL)."""
        raise NotImplementedError

    def load_runtime(self) -> Any:
        """The runtime with the graph compiled, as `run` takes it (made once per process and kept)."""
        raise NotImplementedError

    def run(self, runtime: Any, batches: Iterator[tuple[list[int], dict[str, np.ndarray]]],
            done: Callable[[list[int], np.ndarray, np.ndarray], None]) -> None:
        """Run the graph on every batch, calling done(rows, token vectors, attention mask) for each."""
        raise NotImplementedError

    def encode(self, texts: Sequence[str], role: str = "query") -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), np.float32)
        if not texts:
            return vectors
        from tqdm import tqdm

        with tqdm(total=len(texts), desc="encoding", unit="sentence", disable=not self.show_progress) as bar:
            def done(rows: list[int], tokens: np.ndarray, mask: np.ndarray) -> None:
                vectors[rows] = self.model.sentence_vectors(tokens, mask)
                bar.update(len(rows))

            # The graph compiles in a thread of its own (the runtime lets go of the GIL) while this one loads the
            # tokenizer (which holds it): a cold start pays for the longer of the two, not both. The runtime's
            # Python side is imported first, so that the other thread is inside the compiler when this one starts.
            self.prepare_runtime()
            compiling = threading.Event()

            def compile_graph() -> Any:
                compiling.set()
                return self.load_runtime()
            with ThreadPoolExecutor(1) as loading:
                runtime = loading.submit(compile_graph)
                compiling.wait()
                encodings = self.model.tokenize(texts, role)
                self.calls += 1
                if self.calls == 1:  # a run that encodes once (align pair) frees the tokenizer's memory
                    self.model.release_tokenizer()
                runtime = runtime.result()
            try:
                self.run(runtime, self.model.batches(encodings, self.TOKENS, self.PAD), done)
            except RuntimeError as exc:  # the runtime's own failure, e.g. an instruction set it cannot do without
                raise AlignError(f"the {self.NAME} backend failed: {str(exc).strip().splitlines()[-1][:300]} "
                                 "(--backend torch always works)", self.folder) from exc
        return vectors
