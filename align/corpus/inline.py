"""An executor (align.corpus.job.Executor) for `--workers 1`: the jobs run in this process, one at a time, with
the encoder loaded here; nothing crosses a process boundary."""
from __future__ import annotations

from collections import deque
from typing import Self

from ..embed import load_encoder
from .job import JobOutcome, JobPayload, align_job

NAME = "inline"


class InlineExecutor:
    window = 1  # the client reads the next pair only when this one is done

    def __init__(self, model: str | None, backend: str | None):
        self.model, self.backend = model, backend
        self.encoder = None
        self.done: deque[tuple[JobPayload, JobOutcome]] = deque()

    def __enter__(self) -> Self:
        self.encoder = load_encoder(self.model, self.backend)
        return self

    def __exit__(self, *exc) -> None:
        self.encoder = None

    def submit(self, payload: JobPayload) -> None:
        self.done.append((payload, align_job(payload, self.encoder)))

    def next_done(self) -> tuple[JobPayload, JobOutcome]:
        return self.done.popleft()

    @property
    def in_flight(self) -> int:
        return len(self.done)
