"""Errors a user sees: one line naming the file and the problem."""
from __future__ import annotations

import os


class AlignError(Exception):
    """A failure caused by the input or the environment (exit status 1); no traceback is shown."""

    def __init__(self, message: str, path: str | os.PathLike | None = None):
        self.path = None if path is None else os.fspath(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class AlignUsageError(AlignError):
    """The command was called wrongly (exit status 2)."""
