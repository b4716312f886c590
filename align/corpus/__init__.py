"""Corpora: every document pair of a folder or a manifest, aligned on this machine or on a Dask cluster.

SOURCE is a folder whose subfolders hold `en.txt` and a Serbian file (`sr.txt`, `sr-Latn.txt`, `sr-Cyrl.txt`;
English is aligned against each), or a manifest listing pairs in any languages: `.tsv`/`.csv` with a header row,
or `.jsonl`, with the fields src, tgt, src_lang, tgt_lang and (optional) name; paths relative to the manifest's
folder (sources.py). Output layout under OUT:

    OUT/summary.json, OUT/summary.csv            one row per job: sentences, units, flagged, status, error
    OUT/timings.json                             the seconds each job took in this run (the only file that
                                                   differs run to run)
    OUT/corpus.<src>-<tgt>.tmx                   the merged TMX of all documents but suspect ones, one per
                                                   language pair and script (corpus.en-sr-Latn.tmx, ...;
                                                   with --script latn|cyrl one Serbian file; with both, two)
    OUT/corpus.parquet                           every unit of every aligned document, one row each: document,
                                                   id, src, tgt, src_lang, tgt_lang, script, bead, score,
                                                   flags, ok (`align export` reads it as it reads a TMX)
    OUT/<doc>/<base>.tmx, .beads.jsonl           per job; <base> is <doc>.en-<sr> for a folder (<sr> the Serbian
    OUT/<doc>/<base>.units.parquet                 file's name: sr, sr-Latn, sr-Cyrl), <name>.<src_lang>-
    OUT/<doc>/<report>/                            <tgt_lang> for a manifest; --script both gives
    OUT/<doc>/<base>.job.json                      <base>.sr-Latn.tmx and .sr-Cyrl.tmx; the report folder is
                                                   report-<sr> / report-<tgt_lang>; the job record (state.py)
                                                   is written last

The client reads and segments each pair, a worker aligns it and renders its outputs into bytes, the client writes
every file (atomically) and the job's record: workers need no file system in common with the client (job.py). The
executors: this process for one worker (inline.py), a local process pool (pool.py), Dask (cluster.py). A job that
fails (unreadable input, no sentences, a worker dying on it every time) is recorded with its reason and the others
go on; killing the client loses at most the jobs in flight, and `--resume` aligns only what is missing. The merged
TMX files and the corpus table are rebuilt at the end of every run from the files of the jobs that are done. Unit
ids are `<label>-0001`: `<doc>.<sr>-0001` for a folder, `<name>-0001` for a manifest, unique across the corpus.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .. import pipeline
from ..embed import backend_name
from ..errors import AlignError, AlignUsageError
from ..files import atomic_write, ensure_dir
from ..languages import is_serbian
from . import assemble, inline, pool, state
from .job import Executor, JobOutcome, JobPayload, failed, job_script, source_date_epoch
from .sources import CorpusJob, corpus_jobs, discover_corpus, incomplete_folders, read_manifest
from .summary import CorpusResult, DocumentRow, write_summary

MAX_ALIGN = 4

__all__ = ["CorpusJob", "CorpusResult", "DocumentRow", "align_corpus", "discover_corpus", "incomplete_folders",
           "read_manifest", "write_summary"]


def open_executor(workers: int, scheduler: str | None, model: str | None, backend: str | None,
                  jobs: int) -> Executor:
    """The executor for --workers N (1: this process) or --scheduler."""
    if scheduler is not None:
        from .cluster import DaskExecutor  # distributed is imported only for a run on Dask

        return DaskExecutor(scheduler, model, backend, jobs)
    if workers == 1:
        return inline.InlineExecutor(model, backend)
    return pool.PoolExecutor(min(workers, jobs), model, backend)


def check_choices(jobs: list[CorpusJob], script: str, workers: int, scheduler: str | None) -> None:
    """Usage errors, before anything is read or started."""
    if workers < 1:
        raise AlignUsageError(f"--workers must be at least 1, not {workers}")
    if scheduler is not None:
        if workers != 1:
            raise AlignUsageError("give --workers N (local processes) or --scheduler (Dask), not both")
        from .cluster import parse_scheduler

        parse_scheduler(scheduler)
    serbian = next((job for job in jobs if is_serbian(job.src_lang) or is_serbian(job.tgt_lang)), jobs[0])
    pipeline.check_script_choice(script, serbian.src_lang, serbian.tgt_lang)


def read_pair(job: CorpusJob, script: str, epoch: str) -> JobPayload | JobOutcome:
    """The job's two documents read and segmented here, on the client; a failure is the job's outcome."""
    started = time.perf_counter()
    try:
        src = pipeline.read_document(job.src, job.src_lang)
        tgt = pipeline.read_document(job.tgt, job.tgt_lang)
    except AlignError as exc:
        return failed(job, str(exc), time.perf_counter() - started)
    except Exception as exc:  # a reader's bug met by one document must not stop the others
        return failed(job, f"{type(exc).__name__}: {exc}", time.perf_counter() - started, traceback.format_exc())
    return JobPayload(job, src, tgt, job_script(script, job), MAX_ALIGN, time.perf_counter() - started, epoch)


@dataclass
class CorpusRun:
    """The client's side of a run: what it has found done, and writing each job's files as it comes back."""

    outdir: Path
    script: str
    run: dict  # state.identity
    settings: dict[str, dict]  # by job label
    epoch: str
    rows: dict[str, DocumentRow] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)

    def resume(self, jobs: list[CorpusJob]) -> None:
        for job in jobs:
            record = state.matching_record(self.outdir, job, self.run, self.settings[job.label])
            if record is not None:
                self.rows[job.label], self.records[job.label] = state.recorded_row(record, self.outdir), record

    def align(self, jobs: list[CorpusJob], executor: Executor, bar: tqdm) -> None:
        """Read each pair and submit it, never more in flight than the executor's window."""
        def finish(job: CorpusJob, payload: JobPayload | None, outcome: JobOutcome) -> None:
            self.finish(job, payload, outcome)
            bar.update()
            bar.set_postfix_str(f"{sum(row.status == 'failed' for row in self.rows.values())} failed, "
                                f"{executor.in_flight} in flight")

        for job in jobs:
            while executor.in_flight >= executor.window:
                payload, outcome = executor.next_done()
                finish(payload.job, payload, outcome)
            read = read_pair(job, self.script, self.epoch)
            if isinstance(read, JobOutcome):
                finish(job, None, read)
            else:
                executor.submit(read)
        while executor.in_flight:
            payload, outcome = executor.next_done()
            finish(payload.job, payload, outcome)

    def finish(self, job: CorpusJob, payload: JobPayload | None, outcome: JobOutcome) -> None:
        """Write a finished job's files and record."""
        row = outcome.row
        if row.status in ("ok", "suspect"):
            try:
                self.records[job.label] = write_job(self.outdir, job, payload, outcome, self.run,
                                                    self.settings[job.label])
                row.outputs = [str(self.outdir / name) for name in outcome.files]
            except AlignError as exc:
                row.status, row.error, row.warning = "failed", str(exc), ""
        self.rows[job.label] = row


def align_corpus(source: str | os.PathLike, outdir: str | os.PathLike, script: str = "keep", workers: int = 1,
                 model: str | None = None, show_progress: bool = False, scheduler: str | None = None,
                 backend: str | None = None, resume: bool = False) -> CorpusResult:
    """Align every job of the corpus (a folder or a manifest), write per-document outputs, the merged TMX files, the
    corpus table and the summary. `workers` local processes, or Dask with `scheduler` (local[:N] or an address);
    `resume` skips the jobs an earlier run finished with the same inputs, model and settings."""
    jobs, incomplete = corpus_jobs(source)
    check_choices(jobs, script, workers, scheduler)
    backend = backend_name(backend)  # resolved here, so that a cluster's workers use the client's choice
    corpus = CorpusRun(ensure_dir(outdir), script, state.identity(model, backend),
                       {job.label: state.settings(job, job_script(script, job), MAX_ALIGN) for job in jobs},
                       os.environ.get("SOURCE_DATE_EPOCH", "").strip() or str(int(time.time())))
    if resume:
        corpus.resume(jobs)
    todo = [job for job in jobs if job.label not in corpus.rows]
    if todo:
        if scheduler is None and workers > 1:
            from ..embed.models import resolve_model

            resolve_model(model)  # a wrong --model fails here, and the default is converted once, not per worker
        with open_executor(workers, scheduler, model, backend, len(todo)) as executor, \
                tqdm(total=len(jobs), initial=len(jobs) - len(todo), desc="documents", unit="doc", file=sys.stderr,
                     disable=not show_progress) as bar:
            corpus.align(todo, executor, bar)
    rows, records = [corpus.rows[job.label] for job in jobs], corpus.records
    # a suspect document (not a translation, languages swapped) keeps its own outputs but stays out of the merged
    # TMX, which goes into translation memories where a unit's notes are seldom read; the table has a column `ok`
    with source_date_epoch(corpus.epoch):  # the date of every TMX of the run
        merged = assemble.write_merged_tmx([entry for row in rows if row.status == "ok"
                                            for entry in records[row.label]["merge"]], corpus.outdir)
    table = assemble.write_corpus_table([corpus.outdir / records[row.label]["table"] for row in rows
                                         if row.status in ("ok", "suspect")], corpus.outdir / assemble.CORPUS_TABLE)
    rows += [DocumentRow(name, name, "", status="skipped", error=why) for name, why in incomplete]
    return CorpusResult(rows, merged, write_summary(rows, corpus.outdir, source, script, merged, table))


def write_job(outdir: Path, job: CorpusJob, payload: JobPayload, outcome: JobOutcome, run: dict,
              job_settings: dict) -> dict:
    """Write the job's files, each atomically, then its record: a job is done on disk once its record is there."""
    record_path = state.record_path(outdir, job)
    try:
        record_path.unlink(missing_ok=True)  # the old record must not vouch for files half replaced
    except OSError as exc:
        raise AlignError(f"cannot remove: {exc.strerror}", record_path) from exc
    for name, data in outcome.files.items():
        with atomic_write(outdir / name, "wb") as out:
            out.write(data)
    inputs = {"src": payload.src.source.sha256, "tgt": payload.tgt.source.sha256}
    record = state.make_record(job, inputs, run, job_settings, outcome)
    state.write_record(record_path, record)
    return record
