"""The job itself, the same whatever runs it: two documents read and segmented on the client go to a worker holding
a loaded encoder, which aligns them and renders every output into bytes; the client writes those files itself, so
that workers need no file system in common with it (align.corpus.inline, .pool and .cluster run this)."""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Self

import polars as pl

from .. import pipeline
from ..embed import Encoder, load_encoder
from ..errors import AlignError
from ..formats.tmx import alignment_units
from ..languages import is_serbian, script_subtag
from ..languages.sr_script import CONVERSIONS
from ..records import Alignment, Document, is_ok
from .sources import CorpusJob
from .summary import DocumentRow

# A worker process that dies while aligning a document (killed, out of memory) costs the document a try; after this
# many it is reported as failed and the run goes on.
MAX_TRIES = 3

# The corpus table (OUT/corpus.parquet and each job's part of it): one row per translation unit.
TABLE_SCHEMA = {"document": pl.String, "id": pl.String, "src": pl.String, "tgt": pl.String, "src_lang": pl.String,
                "tgt_lang": pl.String, "script": pl.String, "bead": pl.String, "score": pl.Float64,
                "flags": pl.String, "ok": pl.Boolean}


def job_script(script: str, job: CorpusJob) -> str:
    """--script for this job: a conversion applies to pairs with a Serbian side; others keep their text."""
    return script if is_serbian(job.src_lang) or is_serbian(job.tgt_lang) else "keep"


@dataclass
class JobPayload:
    """What crosses the wire to a worker: the job, its two segmented documents and the settings."""

    job: CorpusJob
    src: Document
    tgt: Document
    script: str
    max_align: int = 4
    read_seconds: float = 0.0
    # the client's SOURCE_DATE_EPOCH, else the run's start: the TMX creation date, whatever the worker's clock and
    # environment
    epoch: str = ""


@dataclass
class JobOutcome:
    """What comes back: the summary row, every output file's bytes by its path under OUT, and what the merged TMX
    files take from this job (one entry per TMX file written: merged file name, this job's TMX, its units' source
    tags, the document's source tag)."""

    row: DocumentRow
    files: dict[str, bytes] = field(default_factory=dict)
    merge: list[dict] = field(default_factory=list)
    table: str | None = None  # the job's part of the corpus table, among `files`


class Executor(Protocol):
    """Runs jobs: `submit` a payload, `next_done` blocks until one finishes (in any order) and returns it with its
    outcome; `in_flight` counts the payloads submitted and not yet returned, `window` how many the client keeps in
    flight (read ahead of the workers, never the whole corpus). Used as a context manager."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc) -> None: ...

    def submit(self, payload: JobPayload) -> None: ...

    def next_done(self) -> tuple[JobPayload, JobOutcome]: ...

    @property
    def in_flight(self) -> int: ...

    @property
    def window(self) -> int: ...  # how many payloads the client keeps in flight


def worker_encoder(model: str | None, backend: str, threads: int) -> Encoder:
    """A worker's encoder, the worker held to its share of the CPU: the model's threads and numpy's BLAS threads
    (OpenBLAS's threads spin while they wait: two processes each running one per core slow each other down)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)
    return load_encoder(model, backend, threads=threads)


def new_row(job: CorpusJob) -> DocumentRow:
    return DocumentRow(job.label, job.folder, job.tgt_file, src_file=job.src_file, src_lang=job.src_lang,
                       tgt_lang=job.tgt_lang)


def failed(job: CorpusJob, error: str, seconds: float = 0.0, trace: str = "") -> JobOutcome:
    row = new_row(job)
    row.status, row.error, row.seconds, row.traceback = "failed", error, seconds, trace
    return JobOutcome(row)


def worker_died(job: CorpusJob, tries: int, detail: str = "") -> JobOutcome:
    """The outcome of a document whose worker process died every time it was tried."""
    return failed(job, f"the worker process died while aligning it, {tries} times"
                       + (f" ({detail})" if detail else "") + ": too large for a worker's memory, or a crash")


def align_job(payload: JobPayload, encoder: Encoder) -> JobOutcome:
    """Align one job and render its outputs; any failure becomes the row's error, never an exception."""
    job = payload.job
    started = time.perf_counter()
    try:
        alignment = pipeline.align_documents(payload.src, payload.tgt, encoder, max_align=payload.max_align,
                                             name=job.label)
        with source_date_epoch(payload.epoch):
            files = render_outputs(alignment, job, payload.script)
        table = f"{job.folder}/{job.base}.units.parquet"
        files[table] = table_bytes(alignment, "keep" if payload.script == "both" else payload.script)
        merge = merge_entries(alignment, job, payload.script)
    except AlignError as exc:
        return failed(job, str(exc), payload.read_seconds + time.perf_counter() - started)
    except Exception as exc:  # a bug met by one document must not cost the others their alignment
        return failed(job, f"{type(exc).__name__}: {exc}", payload.read_seconds + time.perf_counter() - started,
                      traceback.format_exc())
    row = new_row(job)
    row.src_sentences = len(alignment.src.sentences)
    row.tgt_sentences = len(alignment.tgt.sentences)
    row.units = len(alignment.units)
    row.flagged = sum(1 for bead in alignment.units if bead.flags)
    row.to_review = alignment.to_review
    row.tag = alignment.tgt.tag
    if alignment.warnings:
        row.status, row.warning = "suspect", "; ".join(alignment.warnings) + " (left out of the merged TMX)"
    row.seconds = payload.read_seconds + time.perf_counter() - started
    return JobOutcome(row, files, merge, table)


@contextlib.contextmanager
def source_date_epoch(epoch: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to the client's for the TMX writer (align.formats.tmx.creation_date), then restored."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def render_outputs(alignment: Alignment, job: CorpusJob, script: str) -> dict[str, bytes]:
    """The job's TMX, beads and report as bytes by their paths under OUT: written by align.pipeline into a folder of
    the worker's own, then read back."""
    with tempfile.TemporaryDirectory(prefix="align-job-") as folder:
        root = Path(folder)
        written = pipeline.write_outputs(alignment, tmx_path=root / job.folder / f"{job.base}.tmx",
                                         beads_path=root / job.folder / f"{job.base}.beads.jsonl",
                                         report_dir=root / job.folder / job.report, script=script)
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in written}


def merge_entries(alignment: Alignment, job: CorpusJob, script: str) -> list[dict]:
    """For each TMX file of the job: the merged file it goes into (corpus.<src>-<tgt>.tmx, the tags as they stand
    in its units' language pair: the Serbian side in its converted script), the job's file, its units' source tags
    and the document's source tag (what write_tmx puts in srclang)."""
    entries = []
    for tmx_script, path in pipeline.tmx_paths(f"{job.folder}/{job.base}.tmx", script).items():
        tags = [CONVERSIONS[tmx_script][1] if tmx_script in CONVERSIONS and is_serbian(document.lang)
                else document.tag for document in (alignment.src, alignment.tgt)]
        sources = sorted({unit.variants[0].lang for unit in alignment_units(alignment, tmx_script)})
        entries.append({"file": f"corpus.{tags[0]}-{tags[1]}.tmx", "tmx": path.as_posix(), "src_tags": sources,
                        "src_tag": alignment.src.tag})
    return entries


def table_frame(alignment: Alignment, script: str) -> pl.DataFrame:
    """The job's rows of the corpus table: its units as the TMX in `script` has them."""
    units = alignment_units(alignment, script)
    rows = []
    for bead, unit in zip(alignment.units, units, strict=True):
        src, tgt = unit.variants
        script_tag = script_subtag(tgt.lang) or script_subtag(src.lang)
        rows.append({"document": alignment.name, "id": unit.tuid, "src": src.text, "tgt": tgt.text,
                     "src_lang": src.lang, "tgt_lang": tgt.lang,
                     "script": script_tag.capitalize() if script_tag else None, "bead": bead.shape,
                     "score": float(unit.prop("x-confidence")),
                     "flags": ",".join(dict.fromkeys(flag.name for flag in bead.flags)), "ok": is_ok(bead.flags)})
    return pl.DataFrame(rows, schema=TABLE_SCHEMA)


def table_bytes(alignment: Alignment, script: str) -> bytes:
    out = io.BytesIO()
    table_frame(alignment, script).write_parquet(out)
    return out.getvalue()
