"""TSV with a header row: the CSV conventions with a tab as separator. A field holding a double quote is quoted
and its quotes doubled, so that pandas, polars, R and Python's csv read the text back exactly (unquoted, a
segment opening with a quote loses it in every one of them); tabs and line breaks inside a segment become spaces,
one pair per line; an empty field is written empty (not as ""). An exporter (align.formats.exporters)."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ...files import atomic_write
from .table import one_line

NAME = "tsv"
SUFFIX = ".tsv"


def write(rows: pl.DataFrame, output: Path, srclang: str | None) -> list[Path]:
    # polars quotes an empty string to tell it from a missing value; in a TSV both are an empty field
    flat = rows.with_columns(pl.col(pl.String).map_elements(one_line, return_dtype=pl.String)
                             .replace("", None))
    with atomic_write(output, "wb") as out:
        flat.write_csv(out, separator="\t", quote_style="necessary")
    return [output]
