"""What a corpus is: the list of document pairs to align, from a folder laid out DOC/en.txt + DOC/sr*.txt or from a
manifest naming any pairs in any languages."""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import AlignError, AlignUsageError
from ..languages import validate_tag
from ..pipeline import document_name

SERBIAN_FILES = ("sr.txt", "sr-Latn.txt", "sr-Cyrl.txt")
MANIFEST_FIELDS = ("src", "tgt", "src_lang", "tgt_lang", "name")
MANIFEST_REQUIRED = ("src", "tgt", "src_lang", "tgt_lang")
MANIFEST_SUFFIXES = (".tsv", ".csv", ".jsonl")


@dataclass(frozen=True)
class CorpusJob:
    """One document against its translation. Its outputs are OUT/<folder>/<base>.tmx, .beads.jsonl,
    .units.parquet and OUT/<folder>/<report>/; unit ids are <label>-0001, ..."""

    label: str  # unique in the corpus
    folder: str
    base: str
    report: str
    src: Path
    tgt: Path
    src_lang: str
    tgt_lang: str
    src_file: str  # the input files as the corpus names them (summary columns)
    tgt_file: str


def folder_job(directory: Path, doc: str, tgt_name: str) -> CorpusJob:
    stem = Path(tgt_name).stem
    return CorpusJob(label=f"{doc}.{stem}", folder=doc, base=f"{doc}.en-{stem}", report=f"report-{stem}",
                     src=directory / doc / "en.txt", tgt=directory / doc / tgt_name, src_lang="en", tgt_lang="sr",
                     src_file="en.txt", tgt_file=tgt_name)


def discover_corpus(directory: str | os.PathLike) -> list[CorpusJob]:
    """Every subfolder holding en.txt and a Serbian file; English against each Serbian file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise AlignUsageError("no such directory" if not directory.exists() else "not a directory", directory)
    jobs = [folder_job(directory, sub.name, tgt)
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


def is_manifest(source: str | os.PathLike) -> bool:
    return Path(source).suffix.lower() in MANIFEST_SUFFIXES and not Path(source).is_dir()


def manifest_records(path: Path) -> list[tuple[int, dict]]:
    """(line number, {field: value}) for every pair of a manifest: .tsv/.csv with a header row, or .jsonl."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AlignError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path) from exc
    if path.suffix.lower() == ".jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AlignUsageError(f"line {number}: not JSON ({exc.msg})", path) from None
            if not isinstance(record, dict):
                raise AlignUsageError(f"line {number}: not a JSON object", path)
            records.append((number, record))
        return records
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    rows = [(reader.line_num, row) for row in reader]
    if not rows:
        raise AlignUsageError("empty manifest: a header row (src, tgt, src_lang, tgt_lang, name) and one row a "
                              "pair", path)
    header = [cell.strip() for cell in rows[0][1]]
    problem = next((f"unknown column {name!r}" for name in header if name not in MANIFEST_FIELDS), None)
    problem = problem or next((f"no column {name!r}" for name in MANIFEST_REQUIRED if name not in header), None)
    if problem:
        raise AlignUsageError(f"line {rows[0][0]}: {problem} (the header row names the columns: "
                              f"{', '.join(MANIFEST_FIELDS)}; name is optional)", path)
    records = []
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise AlignUsageError(f"line {number}: {len(row)} fields, but the header has {len(header)}", path)
        records.append((number, dict(zip(header, row))))
    return records


def read_manifest(path: str | os.PathLike) -> list[CorpusJob]:
    """The pairs a manifest lists, in its order; paths relative to the manifest's folder. Every error names the
    manifest's line."""
    path = Path(path)
    jobs: list[CorpusJob] = []
    names: dict[str, int] = {}
    for number, record in manifest_records(path):
        jobs.append(manifest_job(path, number, record, names))
        names[jobs[-1].label] = number
    if not jobs:
        raise AlignUsageError("the manifest lists no pairs", path)
    return jobs


def manifest_job(path: Path, number: int, record: dict, names: dict[str, int]) -> CorpusJob:
    """The job of one manifest line; `names`: the names taken so far, with their lines."""
    def fail(problem: str) -> AlignUsageError:
        return AlignUsageError(f"line {number}: {problem}", path)

    unknown = [key for key in record if key not in MANIFEST_FIELDS]
    if unknown:
        raise fail(f"unknown field {unknown[0]!r} (the fields: {', '.join(MANIFEST_FIELDS)})")
    values = {key: value.strip() if isinstance(value, str) else value for key, value in record.items()}
    for key in MANIFEST_REQUIRED:
        if not isinstance(values.get(key), str) or not values[key]:
            raise fail(f"no {key}" if values.get(key) in (None, "") else f"{key} is not a string")
    try:
        src_lang = validate_tag(values["src_lang"], "src_lang")
        tgt_lang = validate_tag(values["tgt_lang"], "tgt_lang")
    except AlignUsageError as exc:
        raise fail(str(exc)) from None
    src, tgt = (path.parent / values[key] for key in ("src", "tgt"))
    name = values.get("name") or document_name(src)
    if not isinstance(name, str) or name in (".", "..") or name.startswith(".") or "/" in name or "\\" in name:
        raise fail(f"name {name!r} cannot be a folder name (no slashes, not starting with a dot)")
    if name in names:
        raise fail(f"name {name!r} is also line {names[name]}'s: give each pair a name of its own")
    return CorpusJob(label=name, folder=name, base=f"{name}.{src_lang}-{tgt_lang}", report=f"report-{tgt_lang}",
                     src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang, src_file=values["src"],
                     tgt_file=values["tgt"])


def corpus_jobs(source: str | os.PathLike) -> tuple[list[CorpusJob], list[tuple[str, str]]]:
    """The jobs of a corpus folder or manifest, and the folders that give none (with why)."""
    if is_manifest(source):
        return read_manifest(source), []
    return discover_corpus(source), incomplete_folders(source)
