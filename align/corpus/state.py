"""What makes a corpus run resumable: each job's record, OUT/<folder>/<base>.job.json, written after all the job's
files, so that its presence says they are complete. It holds what the outputs are a function of (the inputs'
SHA-256, align's version, the model and backend, the job's settings), the summary row and the files written with
their sizes. `--resume` skips a job whose record matches all of these and whose files are all there; anything else
is aligned again. No record names the output folder or holds a time: it is an output like the others, the same
bytes run after run."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, fields
from pathlib import Path

from .. import __version__
from ..embed import DEFAULT_MODEL
from ..files import atomic_write
from .job import JobOutcome
from .sources import CorpusJob
from .summary import RUN_FIELDS, DocumentRow

ROW_FIELDS = {f.name for f in fields(DocumentRow)} - set(RUN_FIELDS) - {"outputs"}


def record_path(outdir: Path, job: CorpusJob) -> Path:
    return outdir / job.folder / f"{job.base}.job.json"


def identity(model: str | None, backend: str) -> dict:
    """What every job's outputs depend on besides its own inputs and settings (`backend` resolved)."""
    return {"align": __version__, "model": model or DEFAULT_MODEL, "backend": backend}


def settings(job: CorpusJob, script: str, max_align: int) -> dict:
    return {"label": job.label, "report": job.report, "src_lang": job.src_lang, "tgt_lang": job.tgt_lang,
            "script": script, "max_align": max_align}


def file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def make_record(job: CorpusJob, inputs: dict[str, str], run: dict, job_settings: dict, outcome: JobOutcome) -> dict:
    return {"job": job.label, "inputs": inputs, "run": run, "settings": job_settings,
            "row": {key: value for key, value in asdict(outcome.row).items() if key in ROW_FIELDS},
            "files": {name: len(data) for name, data in outcome.files.items()},
            "merge": outcome.merge, "table": outcome.table}


def write_record(path: Path, record: dict) -> None:
    with atomic_write(path) as out:
        out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")


def matching_record(outdir: Path, job: CorpusJob, run: dict, job_settings: dict) -> dict | None:
    """The job's record when the job is done: same inputs, run identity and settings, every file there whole."""
    try:
        record = json.loads(record_path(outdir, job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("run") != run or record.get("settings") != job_settings:
        return None
    if record.get("inputs") != {"src": file_sha256(job.src), "tgt": file_sha256(job.tgt)}:
        return None
    for name, size in record.get("files", {}).items():
        try:
            if os.stat(outdir / name).st_size != size:
                return None
        except OSError:
            return None
    return record


def recorded_row(record: dict, outdir: Path) -> DocumentRow:
    row = DocumentRow(**record["row"], resumed=True)
    row.outputs = [str(outdir / name) for name in record["files"]]
    return row
