"""Atomic output: write to a temporary file beside the target, rename on success."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import AlignError


def ensure_dir(path: str | os.PathLike) -> Path:
    """Create an output directory (and parents), or fail with one clear line."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AlignError(f"cannot create output directory: {exc.strerror}", path) from exc
    return path


def check_writable(path: str | os.PathLike) -> None:
    """Fail with one clear line unless a file can be written at `path`, creating nothing: a file is made and
    removed in the nearest existing folder on the way. Called for every output before any is written, so a
    run that cannot write one of them writes none."""
    path = Path(path).absolute()
    if path.is_dir():
        raise AlignError("cannot write: is a directory", path)
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        raise AlignError("cannot create output directory: Not a directory", folder)
    try:
        fd, probe = tempfile.mkstemp(prefix=".align-probe.", dir=folder)
    except OSError as exc:
        raise AlignError(f"cannot write: {exc.strerror}", path) from exc
    os.close(fd)
    os.unlink(probe)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Yield a file object; the target appears only if the block finishes without error.

    An existing target is left untouched when the block raises.
    """
    path = Path(path)
    ensure_dir(path.parent if str(path.parent) else ".")
    binary = "b" in mode
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise AlignError(f"cannot write: {exc.strerror}", path) from exc
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding,
                       newline=None if binary else "") as handle:
            yield handle
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def cache_dir() -> Path:
    """Converted models and embeddings: $ALIGN_CACHE, else $XDG_CACHE_HOME/align, else ~/.cache/align."""
    if os.environ.get("ALIGN_CACHE"):
        return Path(os.environ["ALIGN_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "align"
