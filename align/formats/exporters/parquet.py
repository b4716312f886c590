"""Parquet, the text exactly as in the TMX, the confidence a float. An exporter (align.formats.exporters)."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ...files import atomic_write

NAME = "parquet"
SUFFIX = ".parquet"


def write(rows: pl.DataFrame, output: Path, srclang: str | None) -> list[Path]:
    with atomic_write(output, "wb") as out:
        rows.write_parquet(out)
    return [output]
