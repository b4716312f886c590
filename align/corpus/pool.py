"""An executor (align.corpus.job.Executor) for `--workers N`: a pool of N local processes (spawned, not forked:
torch does not survive a fork with its threads running), each holding one encoder and an equal share of the CPU
threads.

A worker process that dies (killed, out of memory) breaks the whole pool (concurrent.futures): every job in flight
fails with it, and which one killed the process cannot be told. So the jobs in flight are tried again one at a time
in a new pool: a job alone in flight when a pool breaks is charged a try, and after MAX_TRIES it is reported failed.
The others are never charged for it, and the run goes on."""
from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Self

from ..embed import Encoder
from .job import MAX_TRIES, JobOutcome, JobPayload, align_job, failed, worker_died, worker_encoder

NAME = "pool"

_encoder: Encoder | None = None  # the encoder of this worker process


def start_worker(model: str | None, backend: str | None, threads: int) -> None:
    """Pool initializer: one encoder (so one model) for this process, with its share of the CPU."""
    global _encoder
    _encoder = worker_encoder(model, backend, threads)


def run_in_worker(payload: JobPayload) -> JobOutcome:
    return align_job(payload, _encoder)


def outcome(future: Future, payload: JobPayload) -> JobOutcome:
    """A finished job's outcome; align_job turns every error into one, so an exception here is the pool's (an
    outcome that could not be sent back, say)."""
    error = future.exception()
    if error is None:
        return future.result()
    return failed(payload.job, f"{type(error).__name__}: {error}")


class PoolExecutor:
    def __init__(self, workers: int, model: str | None, backend: str | None):
        self.workers, self.model, self.backend = workers, model, backend
        self.threads = max(1, (os.cpu_count() or 1) // workers)
        self.pool: ProcessPoolExecutor | None = None
        self.waiting: deque[JobPayload] = deque()  # submitted by the client, not yet given to the pool
        self.running: dict[Future, JobPayload] = {}
        self.suspects: deque[JobPayload] = deque()  # in flight when a pool broke: each to be tried alone
        self.tries: Counter[str] = Counter()
        self.done: deque[tuple[JobPayload, JobOutcome]] = deque()

    @property
    def window(self) -> int:
        return 2 * self.workers  # a job read and waiting for each busy worker

    @property
    def in_flight(self) -> int:
        return len(self.waiting) + len(self.running) + len(self.suspects) + len(self.done)

    def __enter__(self) -> Self:
        self.pool = self._new_pool()
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start_worker, initargs=(self.model, self.backend, self.threads))

    def submit(self, payload: JobPayload) -> None:
        self.waiting.append(payload)
        self._fill()

    def _start(self, payload: JobPayload) -> None:
        self.running[self.pool.submit(run_in_worker, payload)] = payload

    def _fill(self) -> None:
        if self.suspects:  # while suspects are tried, one job at a time
            if not self.running:
                self._start(self.suspects.popleft())
            return
        while self.waiting and len(self.running) < self.workers:
            self._start(self.waiting.popleft())

    def next_done(self) -> tuple[JobPayload, JobOutcome]:
        while not self.done:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            if any(isinstance(future.exception(), BrokenProcessPool) for future in finished):
                self._recover()
            else:
                for future in finished:
                    payload = self.running.pop(future)
                    self.done.append((payload, outcome(future, payload)))
            self._fill()
        return self.done.popleft()

    def _recover(self) -> None:
        """A worker died: every job in flight fails with the pool. Finished ones are kept; the lost ones are tried
        again one at a time in a new pool, and one that was alone is charged a try."""
        wait(self.running)
        lost = []
        for future, payload in self.running.items():
            if isinstance(future.exception(), BrokenProcessPool):
                lost.append(payload)
            else:
                self.done.append((payload, outcome(future, payload)))
        self.running.clear()
        if len(lost) == 1:
            payload = lost[0]
            self.tries[payload.job.label] += 1
            if self.tries[payload.job.label] >= MAX_TRIES:
                self.done.append((payload, worker_died(payload.job, MAX_TRIES)))
            else:
                self.suspects.appendleft(payload)
        else:
            self.suspects.extend(lost)
        self.pool.shutdown(cancel_futures=True)  # its processes are gone or stopped: this returns at once
        self.pool = self._new_pool()
