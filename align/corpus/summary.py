"""The outcome of a corpus run: one row per job, the table printed at the end, summary.json/.csv and timings.json."""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files import atomic_write

STATUSES = ("ok", "suspect", "failed", "skipped")


@dataclass
class DocumentRow:
    """The outcome of one job: a row of the summary table."""

    label: str  # the job's label, e.g. interview.sr-Latn
    document: str
    tgt_file: str  # the translation's file as the corpus names it (sr-Latn.txt, or a manifest's tgt)
    status: str = "ok"  # "suspect" (aligned; `warning` says why), "failed" or "skipped" (`error` says why)
    error: str = ""
    warning: str = ""  # what makes the whole document suspect (score.document_problems)
    src_sentences: int = 0
    tgt_sentences: int = 0
    units: int = 0
    flagged: int = 0
    to_review: int = 0  # units that are not ok and unaligned sentences
    seconds: float = 0.0  # reading on the client and aligning on a worker; 0 for a resumed job
    tag: str = ""  # the translation's language tag as found (Serbian: sr-Latn, sr-Cyrl, or sr when mixed)
    src_file: str = ""
    src_lang: str = ""
    tgt_lang: str = ""
    outputs: list[str] = field(default_factory=list)
    traceback: str = ""  # only for unexpected errors (bugs), kept in summary.json
    resumed: bool = False  # found done by --resume: not aligned in this run


# What differs between two runs on the same input (an interrupted one and its resumption, say): not in the summary
RUN_FIELDS = ("seconds", "resumed")


@dataclass
class CorpusResult:
    rows: list[DocumentRow]
    merged: list[Path]
    summaries: list[Path]

    @property
    def failed(self) -> list[DocumentRow]:
        return [row for row in self.rows if row.status == "failed"]

    @property
    def aligned(self) -> list[DocumentRow]:
        """The jobs this run aligned (not those --resume found done, nor the failed)."""
        return [row for row in self.rows if row.status in ("ok", "suspect") and not row.resumed]

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    def table(self) -> str:
        """The summary as a plain-text table, one line per job and a total."""
        header = ("document", "sentences src/tgt", "units", "flagged", "time", "status")
        lines = [(row.label, f"{row.src_sentences}/{row.tgt_sentences}", str(row.units), str(row.flagged),
                  "resumed" if row.resumed else f"{row.seconds:.1f}s", row.status) for row in self.rows]
        resumed = sum(row.resumed for row in self.rows)
        lines.append(("total", f"{sum(r.src_sentences for r in self.rows)}/"
                               f"{sum(r.tgt_sentences for r in self.rows)}",
                      str(sum(r.units for r in self.rows)), str(sum(r.flagged for r in self.rows)),
                      f"{sum(r.seconds for r in self.rows):.1f}s",
                      ", ".join([f"{self.count(s)} {s}" for s in STATUSES if s in ("ok", "failed") or self.count(s)]
                                + ([f"{resumed} resumed"] if resumed else []))))
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

        def fmt(cells):  # text columns left, numbers right
            return "  ".join(c.ljust(w) if i in (0, 5) else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(header), rule, *map(fmt, lines[:-1]), rule, fmt(lines[-1])])


SUMMARY_COLUMNS = ("label", "document", "src_file", "tgt_file", "src_lang", "tgt_lang", "tag", "status",
                   "src_sentences", "tgt_sentences", "units", "flagged", "to_review", "error", "warning")


def write_summary(rows: list[DocumentRow], outdir: Path, source: str | os.PathLike, script: str,
                  merged: list[Path], table: Path | None = None) -> list[Path]:
    """summary.json (everything, including outputs and tracebacks of unexpected errors) and summary.csv: a function
    of the inputs, so a run again (or a run resumed) gives the same files; the seconds each document took in this run
    go to timings.json."""
    documents = [{key: value for key, value in asdict(row).items() if key not in RUN_FIELDS} for row in rows]
    summary = {
        "corpus": str(source), "output": str(outdir), "script": script,
        "documents": documents,
        "totals": {"jobs": sum(r.status != "skipped" for r in rows),
                   **{status: sum(r.status == status for r in rows) for status in STATUSES},
                   **{key: sum(getattr(r, key) for r in rows)
                      for key in ("src_sentences", "tgt_sentences", "units", "flagged", "to_review")}},
        "merged_tmx": [str(path) for path in merged],
        "corpus_table": None if table is None else str(table),
    }
    timings = {row.label: round(row.seconds, 3) for row in rows if row.status != "skipped" and not row.resumed}
    json_path, csv_path, timings_path = outdir / "summary.json", outdir / "summary.csv", outdir / "timings.json"
    with atomic_write(timings_path) as out:
        out.write(json.dumps({"seconds": timings, "total": round(sum(timings.values()), 3),
                              "resumed": sum(row.resumed for row in rows)}, indent=2) + "\n")
    with atomic_write(json_path) as out:
        out.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    text = io.StringIO()
    writer = csv.DictWriter(text, SUMMARY_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(documents)
    with atomic_write(csv_path) as out:
        out.write(text.getvalue())
    return [json_path, csv_path, timings_path]
