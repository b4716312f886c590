"""An executor (align.corpus.job.Executor) on Dask distributed: `--scheduler local[:N]` starts a LocalCluster of N
worker processes on this machine, `--scheduler tcp://HOST:PORT` uses a cluster already running (`dask scheduler`
and `dask worker` on other machines with align installed).

Each worker gets a WorkerPlugin that loads the encoder once, with the worker's threads, and keeps it for the run;
a worker aligns one document at a time (its other threads, if any, wait for the encoder). The documents' text goes
to the workers in the task, and the outputs' bytes come back: no file system is shared.

Faults are Dask's: a worker that dies while aligning a document has the document sent to another; after
`distributed.scheduler.allowed-failures` deaths (MAX_TRIES - 1 here for a LocalCluster; a cluster's own scheduler
has its own setting, 3 by default) the document fails with KilledWorker, reported in the summary."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sys
import threading
import uuid
from typing import Self

import dask
from distributed import (
    Client,
    KilledWorker,
    LocalCluster,
    WorkerPlugin,
    as_completed,
    get_worker,
)

from .. import __version__
from ..errors import AlignError, AlignUsageError
from .job import MAX_TRIES, JobOutcome, JobPayload, align_job, failed, worker_died, worker_encoder

NAME = "dask"
PLUGIN = "align-encoder"
_LOCAL = re.compile(r"local(?::(\d+))?")
_ADDRESS = re.compile(r"(?:[a-z]+://)?\[?[\w.:-]+\]?:\d+")
SCHEDULER_HELP = "local, local:N (a LocalCluster of N processes) or a scheduler's address (tcp://HOST:PORT)"


def parse_scheduler(scheduler: str) -> tuple[int | None, str | None]:
    """(worker processes, None) for local[:N] (None processes: one per core), or (None, address)."""
    local = _LOCAL.fullmatch(scheduler.strip())
    if local:
        workers = int(local.group(1)) if local.group(1) else os.cpu_count() or 1
        if workers < 1:
            raise AlignUsageError(f"--scheduler {scheduler}: at least one worker")
        return workers, None
    if _ADDRESS.fullmatch(scheduler.strip()):
        return None, scheduler.strip()
    raise AlignUsageError(f"--scheduler {scheduler!r}: give {SCHEDULER_HELP}")


class EncoderPlugin(WorkerPlugin):
    """Loads the encoder on a worker once, when the worker joins (or the plugin is registered)."""

    def __init__(self, model: str | None, backend: str | None, threads: int | None, version: str):
        self.model, self.backend, self.threads, self.version = model, backend, threads, version
        self.encoder = None
        self.lock = None

    async def setup(self, worker) -> None:
        if self.version != __version__:
            raise AlignError(f"this worker runs align {__version__}, the client {self.version}: install the same "
                             "version on every machine")
        self.lock = threading.Lock()
        threads = self.threads or worker.state.nthreads
        # off the worker's event loop: a model load must not stall its heartbeats
        self.encoder = await asyncio.to_thread(worker_encoder, self.model, self.backend, threads)

    def teardown(self, worker) -> None:
        self.encoder = None


def align_on_worker(payload: JobPayload) -> JobOutcome:
    """The task: align_job with this worker's encoder, one document at a time."""
    plugin = get_worker().plugins.get(PLUGIN)
    if plugin is None or plugin.encoder is None:
        raise AlignError("this worker has no encoder: its plugin failed to load it (the worker's log says why)")
    with plugin.lock:
        return align_job(payload, plugin.encoder)


class DaskExecutor:
    def __init__(self, scheduler: str, model: str | None, backend: str | None, jobs: int):
        self.workers, self.address = parse_scheduler(scheduler)
        if self.workers is not None:
            self.workers = min(self.workers, jobs)
        self.model, self.backend = model, backend
        self.cluster = self.client = self.completed = None
        self.payloads: dict[str, JobPayload] = {}

    def __enter__(self) -> Self:
        threads = None
        if self.address is None:
            # one document per worker at a time, and a failed document given up after MAX_TRIES deaths; the
            # scheduler's HTTP server (health, metrics) on a free port of the loopback, not on 8787, which another
            # cluster may hold
            with dask.config.set({"distributed.scheduler.allowed-failures": MAX_TRIES - 1,
                                  "distributed.scheduler.worker-saturation": 1.0}):
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                            silence_logs=logging.ERROR)
            threads = max(1, (os.cpu_count() or 1) // self.workers)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise AlignError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        try:
            self.client.register_plugin(EncoderPlugin(self.model, self.backend, threads, __version__), name=PLUGIN)
        except Exception as exc:
            self.__exit__()
            raise AlignError(f"the Dask workers cannot load the encoder: {exc}") from None
        if self.address is not None and not self.client.nthreads():
            print(f"align: no Dask worker has joined {self.address} yet: the documents wait for one",
                  file=sys.stderr)
        self.completed = as_completed()
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            if self.address is not None and self.client.status == "running":
                # frees the model on a cluster that stays up; the run's work is done whether or not it can
                with contextlib.suppress(Exception):
                    self.client.unregister_worker_plugin(PLUGIN)
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def window(self) -> int:
        return 2 * max(1, len(self.client.nthreads()))  # workers come and go: asked each time

    @property
    def in_flight(self) -> int:
        return len(self.payloads)

    def submit(self, payload: JobPayload) -> None:
        key = f"align-{payload.job.label}-{uuid.uuid4().hex}"
        self.payloads[key] = payload
        self.completed.add(self.client.submit(align_on_worker, payload, key=key, pure=False))

    def next_done(self) -> tuple[JobPayload, JobOutcome]:
        future = next(self.completed)
        payload = self.payloads.pop(future.key)
        try:
            outcome = future.result()
        except KilledWorker as exc:
            outcome = worker_died(payload.job, exc.allowed_failures + 1, f"last on {exc.last_worker.address}")
        except Exception as exc:  # the cluster's: align_job turns the document's own errors into an outcome
            outcome = failed(payload.job, f"Dask: {type(exc).__name__}: {exc}")
        future.release()
        return payload, outcome
