"""Batches: every document of a corpus folder, English against each Serbian file.

Input: every subfolder of DIR holding `en.txt` and a Serbian file (`sr.txt`, `sr-Latn.txt`, `sr-Cyrl.txt`);
English is aligned against each Serbian file found (one job per pair). Output layout under OUT:

    OUT/summary.json, OUT/summary.csv            one row per job: sentences, units, flagged, status, error
    OUT/timings.json                             the seconds each job took (the only file that differs run to run)
    OUT/corpus.en-sr-Latn.tmx                    the merged TMX of all documents but suspect ones, one per script
    OUT/corpus.en-sr-Cyrl.tmx                      (with --script latn|cyrl one file; with both, two)
    OUT/<doc>/<doc>.en-<sr>.tmx                  per job; <sr> is the Serbian file's name (sr, sr-Latn, sr-Cyrl),
    OUT/<doc>/<doc>.en-<sr>.beads.jsonl            so the names are known before the script is detected and
    OUT/<doc>/report-<sr>/                         never collide; --script both gives <doc>.en-<sr>.sr-Latn.tmx
                                                   and .sr-Cyrl.tmx

A job that fails (unreadable input, no sentences, ...) is recorded with its reason and the others go on. Every
file is written atomically, so a job failing before its outputs leaves those of an earlier run as they were (one
failing while writing may have replaced some of its files, each complete). The merged TMX files hold the jobs
that succeeded in this run. Unit ids are `<doc>.<sr>-0001`, unique across the merged TMX.

`workers > 1` runs jobs in a pool of processes (spawned, not forked: torch does not survive a fork with its
threads running); each worker keeps one embedder, so the model is loaded at most once per worker, and gets an
equal share of the CPU threads. A worker costs the import of sentence-transformers and the model load (about
8 s here: bench/bench_model.py), so more workers pay off only with many documents and more cores than one
process keeps busy.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import sys
import time
import traceback
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import pipeline
from .formats import tmx
from .errors import AlignError, AlignUsageError
from .files import atomic_write, ensure_dir
from .records import Alignment


@dataclass
class CorpusJob:
    """One English document against one Serbian file of a corpus folder."""

    name: str
    src: Path
    tgt: Path

    @property
    def label(self) -> str:
        return f"{self.name}.{self.tgt.stem}"


SERBIAN_FILES = ("sr.txt", "sr-Latn.txt", "sr-Cyrl.txt")
SRC_LANG, TGT_LANG = "en", "sr"


def discover_corpus(directory: str | os.PathLike) -> list[CorpusJob]:
    """Every subfolder holding en.txt and a Serbian file; English against each Serbian file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise AlignUsageError("no such directory" if not directory.exists() else "not a directory", directory)
    jobs = [CorpusJob(sub.name, sub / "en.txt", sub / tgt)
            for sub in sorted(p for p in directory.iterdir() if p.is_dir())
            if (sub / "en.txt").is_file()
            for tgt in SERBIAN_FILES if (sub / tgt).is_file()]
    if not jobs:
        raise AlignError("no subfolder holds en.txt and a Serbian file (sr.txt, sr-Latn.txt, sr-Cyrl.txt)",
                         directory)
    return jobs


def incomplete_folders(directory: str | os.PathLike) -> list[tuple[str, str]]:
    """(subfolder, what is missing) for every subfolder with text files that gives no job: reported, not
    silently left out (a file named EN.txt or sr-latn.txt is the usual cause)."""
    found = []
    for sub in sorted(p for p in Path(directory).iterdir() if p.is_dir()):
        names = {p.name for p in sub.glob("*.txt")}
        if not names or ("en.txt" in names and names & set(SERBIAN_FILES)):
            continue
        missing = "en.txt" if "en.txt" not in names else "Serbian file (sr.txt, sr-Latn.txt or sr-Cyrl.txt)"
        found.append((sub.name, f"skipped: no {missing}; found {', '.join(sorted(names))}"))
    return found


@dataclass
class DocumentRow:
    """The outcome of one job: a row of the summary table."""

    label: str  # <doc>.<sr>, e.g. interview.sr-Latn
    document: str
    serbian_file: str
    status: str = "ok"  # "suspect" (aligned; `warning` says why), "failed" or "skipped" (`error` says why)
    error: str = ""
    warning: str = ""  # what makes the whole document suspect (score.document_problems)
    src_sentences: int = 0
    tgt_sentences: int = 0
    units: int = 0
    flagged: int = 0
    to_review: int = 0  # units that are not ok and unaligned sentences
    seconds: float = 0.0
    tag: str = ""  # the Serbian side's language tag as found (sr-Latn, sr-Cyrl, or sr when mixed)
    outputs: list[str] = field(default_factory=list)
    traceback: str = ""  # only for unexpected errors (bugs), kept in summary.json


@dataclass
class CorpusResult:
    rows: list[DocumentRow]
    merged: list[Path]
    summaries: list[Path]

    @property
    def failed(self) -> list[DocumentRow]:
        return [row for row in self.rows if row.status == "failed"]

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    def table(self) -> str:
        """The summary as a plain-text table, one line per job and a total."""
        header = ("document", "sentences en/sr", "units", "flagged", "time", "status")
        lines = [(row.label, f"{row.src_sentences}/{row.tgt_sentences}", str(row.units), str(row.flagged),
                  f"{row.seconds:.1f}s", row.status) for row in self.rows]
        lines.append(("total", f"{sum(r.src_sentences for r in self.rows)}/"
                               f"{sum(r.tgt_sentences for r in self.rows)}",
                      str(sum(r.units for r in self.rows)), str(sum(r.flagged for r in self.rows)),
                      f"{sum(r.seconds for r in self.rows):.1f}s",
                      ", ".join(f"{self.count(s)} {s}" for s in ("ok", "suspect", "failed", "skipped")
                                if s in ("ok", "failed") or self.count(s))))
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

        def fmt(cells):  # text columns left, numbers right
            return "  ".join(c.ljust(w) if i in (0, 5) else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(header), rule, *map(fmt, lines[:-1]), rule, fmt(lines[-1])])


def align_corpus(directory: str | os.PathLike, outdir: str | os.PathLike, script: str = "keep",
                 workers: int = 1, model: str | None = None, show_progress: bool = False) -> CorpusResult:
    """Align every job of the corpus, write per-document outputs, merged TMX files and the summary."""
    pipeline.check_script_choice(script, SRC_LANG, TGT_LANG)
    if workers < 1:
        raise AlignUsageError(f"--workers must be at least 1, not {workers}")
    jobs = discover_corpus(directory)
    outdir = ensure_dir(outdir)
    from .embed import load_encoder

    # fails early on a wrong --model, and converts the default model once, before any worker starts
    encoder = load_encoder(model)
    workers = min(workers, len(jobs))
    outcomes: dict[str, tuple[DocumentRow, Alignment | None]] = {}
    with tqdm(total=len(jobs), desc="documents", unit="doc", file=sys.stderr, disable=not show_progress) as bar:
        if workers == 1:
            for job in jobs:
                outcomes[job.label] = run_job(job, outdir, script, encoder)
                bar.update()
        else:
            threads = max(1, (os.cpu_count() or 1) // workers)
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                     initializer=start_worker, initargs=(model, threads)) as pool:
                futures = {pool.submit(run_job_in_worker, job, outdir, script): job for job in jobs}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        outcomes[job.label] = future.result()
                    except BrokenProcessPool as exc:  # a worker was killed (out of memory?) or could not start
                        row = DocumentRow(job.label, job.name, job.tgt.name)
                        outcomes[job.label] = mark_failed(row, f"worker process failed: {exc}", None), None
                    bar.update()
    rows = [outcomes[job.label][0] for job in jobs]
    rows += [DocumentRow(name, name, "", status="skipped", error=why) for name, why in incomplete_folders(directory)]
    # a suspect document (not a translation, languages swapped) keeps its own outputs but stays out of the merged
    # TMX, which goes into translation memories where a unit's notes are seldom read
    alignments = [alignment for job in jobs
                  if (alignment := outcomes[job.label][1]) is not None and not alignment.warnings]
    merged = write_merged_tmx(alignments, outdir, script)
    summaries = write_summary(rows, outdir, directory, script, merged)
    return CorpusResult(rows, merged, summaries)


def run_job(job: CorpusJob, outdir: Path, script: str, encoder) -> tuple[DocumentRow, Alignment | None]:
    """Align one job and write its outputs; any failure becomes the row's error, never an exception."""
    row = DocumentRow(job.label, job.name, job.tgt.name)
    started = time.perf_counter()
    try:
        alignment = pipeline.align_files(job.src, job.tgt, SRC_LANG, TGT_LANG, name=job.label, encoder=encoder)
        base = f"{job.name}.{SRC_LANG}-{job.tgt.stem}"
        written = pipeline.write_outputs(alignment, tmx_path=outdir / job.name / f"{base}.tmx",
                                         beads_path=outdir / job.name / f"{base}.beads.jsonl",
                                         report_dir=outdir / job.name / f"report-{job.tgt.stem}", script=script)
    except AlignError as exc:
        return mark_failed(row, str(exc), started), None
    except Exception as exc:  # a bug met by one document must not cost the others their alignment
        mark_failed(row, f"{type(exc).__name__}: {exc}", started)
        row.traceback = traceback.format_exc()
        return row, None
    row.src_sentences = len(alignment.src.sentences)
    row.tgt_sentences = len(alignment.tgt.sentences)
    row.units = len(alignment.units)
    row.flagged = sum(1 for bead in alignment.units if bead.flags)
    row.to_review = alignment.to_review
    row.tag = alignment.tgt.tag
    if alignment.warnings:
        row.status, row.warning = "suspect", "; ".join(alignment.warnings) + " (left out of the merged TMX)"
    row.outputs = [str(path) for path in written]
    row.seconds = time.perf_counter() - started
    alignment.src_embeddings = alignment.tgt_embeddings = None  # the report is written; the merged TMX needs text
    return row, alignment


def mark_failed(row: DocumentRow, error: str, started: float | None) -> DocumentRow:
    row.status, row.error = "failed", error
    row.seconds = 0.0 if started is None else time.perf_counter() - started
    return row


_worker_encoder = None


def start_worker(model: str | None, threads: int) -> None:
    """Pool initializer: share the CPU between workers; one encoder (and so one model) for this process."""
    global _worker_encoder
    from .embed import load_encoder

    _worker_encoder = load_encoder(model, threads=threads)


def run_job_in_worker(job: CorpusJob, outdir: Path, script: str) -> tuple[DocumentRow, Alignment | None]:
    return run_job(job, outdir, script, _worker_encoder)


def merged_groups(alignments: list[Alignment], script: str) -> dict[tuple[str, str], list[Alignment]]:
    """(Serbian tag, TMX script) -> the alignments of that merged file."""
    if script == "keep":
        groups: dict[tuple[str, str], list[Alignment]] = defaultdict(list)
        for alignment in alignments:
            groups[(alignment.tgt.tag, "keep")].append(alignment)
        return dict(groups)
    scripts = ("latn", "cyrl") if script == "both" else (script,)
    return {(f"{TGT_LANG}-{s.capitalize()}", s): alignments for s in scripts} if alignments else {}


def write_merged_tmx(alignments: list[Alignment], outdir: Path, script: str) -> list[Path]:
    written = []
    for (tag, tmx_script), group in sorted(merged_groups(alignments, script).items()):
        path = outdir / f"corpus.{SRC_LANG}-{tag}.tmx"
        tmx.write_tmx(group, path, script=tmx_script)
        written.append(path)
    return written


SUMMARY_COLUMNS = ("label", "document", "serbian_file", "tag", "status", "src_sentences", "tgt_sentences",
                   "units", "flagged", "to_review", "error", "warning")


def write_summary(rows: list[DocumentRow], outdir: Path, directory: str | os.PathLike, script: str,
                  merged: list[Path]) -> list[Path]:
    """summary.json (everything, including outputs and tracebacks of unexpected errors) and summary.csv: a function
    of the inputs, so a run again gives the same files; the seconds each document took go to timings.json."""
    documents = [{key: value for key, value in asdict(row).items() if key != "seconds"} for row in rows]
    summary = {
        "corpus": str(directory), "output": str(outdir), "script": script,
        "documents": documents,
        "totals": {"jobs": sum(r.status != "skipped" for r in rows), **{status: sum(r.status == status for r in rows)
                                         for status in ("ok", "suspect", "failed", "skipped")},
                   **{key: sum(getattr(r, key) for r in rows)
                      for key in ("src_sentences", "tgt_sentences", "units", "flagged", "to_review")}},
        "merged_tmx": [str(path) for path in merged],
    }
    timings = {row.label: round(row.seconds, 3) for row in rows if row.status != "skipped"}
    json_path, csv_path, timings_path = outdir / "summary.json", outdir / "summary.csv", outdir / "timings.json"
    with atomic_write(timings_path) as out:
        out.write(json.dumps({"seconds": timings, "total": round(sum(timings.values()), 3)}, indent=2) + "\n")
    with atomic_write(json_path) as out:
        out.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    table = io.StringIO()
    writer = csv.DictWriter(table, SUMMARY_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(documents)
    with atomic_write(csv_path) as out:
        out.write(table.getvalue())
    return [json_path, csv_path, timings_path]
