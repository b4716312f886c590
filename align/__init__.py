"""align: turn a document and its translation into a sentence-aligned translation memory.

Pipeline: read -> segment -> embed -> align -> score -> write. The Python API is in `align.pipeline`.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("align")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
