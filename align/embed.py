"""Embed stage: sentences -> L2-normalized vectors, each text encoded once, with an on-disk cache.

Encoding is nearly all the cost of an alignment, so vectors are kept in a SQLite file per model under
cache_dir()/embeddings/ and a re-run only loads the model if some text is new. The cache key is the model's
identity (its resolved directory and the metadata of its files, so a rebuilt or replaced model gets a fresh
cache) and the SHA-256 of the text; the texts themselves are not stored.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import AlignError
from .model import DEFAULT_MODEL, cache_dir, load_model, resolve_model
from .records import is_serbian
from .script import to_latin

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Part of every cache key: bump when the way vectors are computed here changes (prompt choice, normalization).
RECIPE_VERSION = 1
QUERY_PROMPT = "query"
# Config files small enough to hash by content; everything else (weights, tokenizer.json) by size and mtime.
_SMALL_FILE = 64 * 1024


def model_text(text: str, lang: str | None) -> str:
    """What the model is given for a sentence of language `lang`: Serbian always in Latin script.

    multilingual-e5-small tells Serbian translations apart better in Latin than in Cyrillic (397 gold 1-1 pairs
    of the interview and the blind documents: mean margin over the best wrong candidate 0.064 vs 0.056;
    `bench/bench_accuracy.py --scripts`), and a document's script then makes no difference to its alignment
    (the aligner is given the same texts, so their lengths and names are counted in Latin too).
    """
    return to_latin(text) if lang and is_serbian(lang) else text


def model_texts(texts: list[str], lang: str | None) -> list[str]:
    return [model_text(text, lang) for text in texts]


def model_fingerprint(model_dir: Path) -> str:
    """A hash of what makes a model directory produce its vectors, computed without loading it."""
    digest = hashlib.sha256(f"recipe {RECIPE_VERSION}\n{model_dir.resolve()}\n".encode())
    for file in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = file.stat()  # follows the symlinks of a Hugging Face cache snapshot to the blobs
        digest.update(f"{file.relative_to(model_dir)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
        if file.suffix == ".json" and stat.st_size <= _SMALL_FILE:
            digest.update(file.read_bytes())
    return digest.hexdigest()


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def cache_disabled() -> bool:
    return os.environ.get("ALIGN_NO_CACHE", "") not in ("", "0")


class EmbeddingCache:
    """The vectors of one model in one SQLite file; safe for several processes at once.

    WAL journaling lets readers go on while one process writes; a writer that finds the file locked waits
    (busy timeout) instead of failing, and INSERT OR IGNORE makes two processes storing the same text harmless.
    """

    BUSY_TIMEOUT_S = 120.0
    BATCH = 500  # well under SQLite's limit on bound parameters

    def __init__(self, path: Path, model_dir: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=self.BUSY_TIMEOUT_S)
            self._use_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable enough for a cache, much faster
            with self.db:
                self.db.execute("CREATE TABLE IF NOT EXISTS vectors "
                                "(text_sha256 BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
                self.db.execute("CREATE TABLE IF NOT EXISTS about (key TEXT PRIMARY KEY, value TEXT)")
                # for a person wondering which model a cache file belongs to
                self.db.execute("INSERT OR IGNORE INTO about VALUES ('model', ?)", (str(model_dir),))
        except sqlite3.Error as exc:
            raise AlignError(f"cannot use the embedding cache: {exc} (set ALIGN_NO_CACHE=1 to run without it)",
                             path) from exc

    def _use_wal(self) -> None:
        """Switch the file to WAL journaling (it stays so), waiting while another process holds it.

        The switch needs the file to itself and SQLite answers "database is locked" at once instead of
        calling the busy handler, so two processes opening a new cache together would fail without this loop.
        """
        deadline = time.monotonic() + self.BUSY_TIMEOUT_S
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                busy = (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def get(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found = {}
        for start in range(0, len(keys), self.BATCH):
            batch = keys[start:start + self.BATCH]
            rows = self.db.execute(f"SELECT text_sha256, vector FROM vectors WHERE text_sha256 IN "
                                   f"({','.join('?' * len(batch))})", batch)
            found.update((key, np.frombuffer(blob, "<f4")) for key, blob in rows)
        return found

    def put(self, vectors: dict[bytes, np.ndarray]) -> None:
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)",
                                ((key, np.asarray(vector, "<f4").tobytes()) for key, vector in vectors.items()))

    def close(self) -> None:
        self.db.close()


class Embedder:
    """Sentence embeddings from one model: float32, L2-normalized, every distinct text encoded at most once.

    The model is loaded only when some text is not in the cache. `hits` and `encoded` count distinct texts
    served from the cache and sent to the model since this embedder was made.
    """

    def __init__(self, name_or_path: str | None = None, cache: bool = True, show_progress: bool = False):
        self.name = name_or_path or DEFAULT_MODEL
        self.path = resolve_model(name_or_path)
        self.show_progress = show_progress
        self.cache = None
        if cache and not cache_disabled():
            fingerprint = model_fingerprint(self.path)
            self.cache = EmbeddingCache(cache_dir() / "embeddings" / f"{fingerprint[:32]}.sqlite3", self.path)
        self.hits = 0
        self.encoded = 0

    @property
    def model(self) -> SentenceTransformer:
        return load_model(str(self.path))

    @property
    def prompt_name(self) -> str | None:
        """"query" when the model defines it (the prefix that aligns best with e5); else the model's default."""
        return QUERY_PROMPT if QUERY_PROMPT in self.model.prompts else None

    def encode(self, texts: list[str], lang: str | None = None) -> np.ndarray:
        """One row per text, in order; shape (len(texts), dim). With `lang`, each text as model_text gives it."""
        texts = model_texts(texts, lang) if lang else texts
        keys = {text: text_key(text) for text in texts}  # distinct texts, first-seen order
        vectors = self.cache.get(list(keys.values())) if self.cache else {}
        self.hits += len(vectors)
        missing = [text for text, key in keys.items() if key not in vectors]
        if missing:
            fresh = self.model.encode(missing, prompt_name=self.prompt_name, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=self.show_progress)
            fresh = {keys[text]: row for text, row in zip(missing, np.asarray(fresh, np.float32))}
            self.encoded += len(missing)
            if self.cache:
                self.cache.put(fresh)
            vectors.update(fresh)
        if not texts:
            return np.zeros((0, self.model.get_embedding_dimension()), np.float32)
        return np.stack([vectors[keys[text]] for text in texts]).astype(np.float32, copy=False)

    def encode_pair(self, src: list[str], tgt: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Both sides of a document in one call (one progress bar for the whole job)."""
        vectors = self.encode(list(src) + list(tgt))
        return vectors[:len(src)], vectors[len(src):]
