"""The on-disk embedding cache, which wraps any encoder (a member of the encoder family).

Encoding is nearly all the cost of an alignment, so vectors are kept in a SQLite file per encoder and role under
cache_dir()/embeddings/, and a re-run only loads the model if some text is new. A file is named by the encoder's
key (for a model: its resolved directory and the metadata of its files, and the backend, so a rebuilt or replaced
model gets a fresh cache) and the role; a vector by the SHA-256 of its text; the texts themselves are not stored.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import AlignError
from ..files import cache_dir


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

    def __init__(self, path: Path, about: str):
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
                # for a person wondering which encoder a cache file belongs to
                self.db.execute("INSERT OR IGNORE INTO about VALUES ('encoder', ?)", (about,))
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


class CachedEncoder:
    """Any encoder with the on-disk cache in front: every distinct text is encoded at most once, ever.

    `hits` and `encoded` count distinct texts served from the cache and sent to the encoder since this one was
    made. The inner encoder (and so its model) is used only when some text is not in the cache.
    """

    def __init__(self, inner, folder: Path | None = None):
        self.inner = inner
        self.name = inner.name
        self.key = inner.key
        self.backend = inner.backend
        self.folder = folder or cache_dir() / "embeddings"
        self.caches: dict[str, EmbeddingCache] = {}
        self.hits = 0
        self.encoded = 0

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def cache(self, role: str) -> EmbeddingCache:
        if role not in self.caches:
            name = hashlib.sha256(f"{self.key}\n{role}".encode()).hexdigest()[:32]
            self.caches[role] = EmbeddingCache(self.folder / f"{name}.sqlite3", f"{self.key} ({self.name}), {role}")
        return self.caches[role]

    def encode(self, texts: Sequence[str], role: str = "query") -> np.ndarray:
        keys = {text: text_key(text) for text in texts}  # distinct texts, first-seen order
        cache = self.cache(role)
        vectors = cache.get(list(keys.values()))
        self.hits += len(vectors)
        missing = [text for text, key in keys.items() if key not in vectors]
        if missing:
            fresh = dict(zip((keys[text] for text in missing), self.inner.encode(missing, role)))
            self.encoded += len(missing)
            cache.put(fresh)
            vectors.update(fresh)
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        return np.stack([vectors[keys[text]] for text in texts]).astype(np.float32, copy=False)
