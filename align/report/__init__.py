"""Write stage, reports: what a reviewer reads about an alignment (`write_report`) or an audited TMX
(`write_check_report`). Both go through one writer (`write_rows`), one row per bead or TMX unit:

- units.csv and units.parquet: id (the TMX tuid; empty for 1-0 / 0-1 beads), src, tgt, bead (e.g. "2-1"), score
  (confidence 0-1), flags (";"-separated names), ok, reasons (" | "-separated "name: reason"), similarity,
  margin, src_indices and tgt_indices (0-based sentence numbers, as in `--beads`; empty for a TMX unit). The
  parquet file keeps the indices as lists of integers, the CSV as space-separated numbers.
- summary.json: sentences per side, units, bead shapes, unaligned sentences, flagged units, score distribution,
  coverage, model, versions, and the rule that decides ok. No timings: a report is a function of its input (the
  command line prints how long a run took).
- report.html: one self-contained page (html.py): the similarity picture with the chosen path (picture.py), the
  flag legend, filters, and the side-by-side table with unaligned sentences in place.

The report draws only what it is given: rows, and the sentence embeddings the alignment carries (an alignment
without them gets no picture).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import polars as pl

from ..files import atomic_write, ensure_dir
from ..records import Alignment, ReportRow
from .html import render_html
from .picture import Picture, similarity_picture
from .rows import alignment_rows, rows_frame, summarise

REPORT_FILES = ("units.csv", "units.parquet", "summary.json", "report.html")


def write_rows(rows: list[ReportRow], summary: dict, report_dir: str | os.PathLike, title: str, subtitle: str,
               picture: Picture | None, src_label: str, tgt_label: str) -> list[Path]:
    """The one writer: units.csv, units.parquet, summary.json and report.html in `report_dir`."""
    folder = ensure_dir(report_dir)
    paths = [folder / name for name in REPORT_FILES]
    frame = rows_frame(rows)
    with atomic_write(paths[0]) as out:
        frame.with_columns(pl.col("src_indices", "tgt_indices").list.eval(pl.element().cast(pl.String))
                           .list.join(" ")).write_csv(out)
    with atomic_write(paths[1], "wb") as out:
        frame.write_parquet(out)
    with atomic_write(paths[2]) as out:
        json.dump(summary, out, ensure_ascii=False, indent=2)
        out.write("\n")
    with atomic_write(paths[3]) as out:
        out.write(render_html(rows, summary, title, subtitle, picture, src_label, tgt_label))
    return paths


def write_report(alignment: Alignment, report_dir: str | os.PathLike) -> list[Path]:
    """The report of one alignment."""
    rows = alignment_rows(alignment)
    n_src, n_tgt = len(alignment.src.sentences), len(alignment.tgt.sentences)
    covered_src = sum(len(b.src) for b in alignment.units)
    covered_tgt = sum(len(b.tgt) for b in alignment.units)
    summary = summarise(rows, {"src": n_src, "tgt": n_tgt}, {
        "kind": "alignment", "name": alignment.name, "warnings": alignment.warnings,
        "languages": {"src": alignment.src.tag, "tgt": alignment.tgt.tag},
        "coverage": {"src": round(covered_src / max(n_src, 1), 4), "tgt": round(covered_tgt / max(n_tgt, 1), 4)},
        "model": alignment.model})
    picture = None
    if alignment.src_embeddings is not None and alignment.tgt_embeddings is not None:
        path = []
        for k, bead in enumerate(alignment.beads):
            # a 1-0 bead sits between target sentences, a 0-1 bead between source sentences
            i = float(np.mean(bead.src)) if bead.src else (path[-1][0] + 0.5 if path else -0.5)
            j = float(np.mean(bead.tgt)) if bead.tgt else (path[-1][1] + 0.5 if path else -0.5)
            path.append((i, j, k))
        picture = similarity_picture(alignment.src_embeddings, alignment.tgt_embeddings, path,
                                     f"source sentences ({alignment.src.tag})", f"target sentences ({alignment.tgt.tag})")
    title = f"Alignment report: {alignment.name}"
    subtitle = (f"{alignment.src.tag} → {alignment.tgt.tag} · {n_src} / {n_tgt} sentences · "
                f"{summary['units']} units · model {alignment.model}")
    return write_rows(rows, summary, report_dir, title, subtitle, picture, alignment.src.tag, alignment.tgt.tag)


def write_check_report(tmx_path: Path, rows: list[ReportRow], src_lang: str, tgt_lang: str,
                       src_embeddings: np.ndarray, tgt_embeddings: np.ndarray, report_dir: str | os.PathLike,
                       model: str) -> list[Path]:
    """The report of an audited TMX: one row per unit, ids from the TMX."""
    segments = {"src": sum(bool(r.src.strip()) for r in rows), "tgt": sum(bool(r.tgt.strip()) for r in rows)}
    summary = summarise(rows, segments, {
        "kind": "check", "name": tmx_path.name, "file": str(tmx_path),
        "languages": {"src": src_lang, "tgt": tgt_lang},
        "coverage": {"src": round(segments["src"] / max(len(rows), 1), 4),
                     "tgt": round(segments["tgt"] / max(len(rows), 1), 4)},
        "model": model})
    path = [(float(k), float(k), k) for k in range(len(rows))]
    picture = similarity_picture(src_embeddings, tgt_embeddings, path, f"source segments ({src_lang})",
                                 f"target segments ({tgt_lang})")
    title = f"TMX check: {tmx_path.name}"
    subtitle = (f"{src_lang} → {tgt_lang} · {len(rows)} units · {summary['flagged']['not_ok']} to review · "
                f"model {model}")
    return write_rows(rows, summary, report_dir, title, subtitle, picture, src_lang, tgt_lang)
