"""Excel: one sheet "pairs", the header row frozen, the text kept except that CR LF line ends become Excel's
LF. An exporter (align.formats.exporters)."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ...files import atomic_write

NAME = "xlsx"
SUFFIX = ".xlsx"


def write(rows: pl.DataFrame, output: Path, srclang: str | None) -> list[Path]:
    from xlsxwriter import Workbook

    # A line break inside an Excel cell is LF; a CR would be stored as the escape "_x000D_".
    rows = rows.with_columns(pl.col("src", "tgt").str.replace_all("\r\n?", "\n"))
    with atomic_write(output, "wb") as out:
        # Plain strings: no hyperlinks made from URLs, no formulas from text starting with "=".
        with Workbook(out, {"strings_to_urls": False, "strings_to_formulas": False}) as workbook:
            rows.write_excel(workbook, worksheet="pairs", float_precision=4, freeze_panes="A2",
                             column_widths={"src": 400, "tgt": 400})
    return [output]
