"""The exporters, a family found by name in EXPORTERS: a TMX's pairs (table.py) as moses, tsv, jsonl, parquet or
xlsx, for linguists. A member has NAME, SUFFIX (what its output file ends with; empty for a prefix) and
`write(rows, output, srclang) -> list of paths written`. The corpus table of `align corpus` (corpus.parquet,
align.corpus) has those rows' columns too, so an export reads it as it reads a TMX. (A package of its own so that
writing a TMX does not import polars.)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from ...errors import AlignError, AlignUsageError
from ..tmx import ALL_LANGUAGES, TMX_SCRIPTS, read_tmx
from . import jsonl, moses, parquet, tsv, xlsx
from .table import COLUMNS, INLINE_CHOICES, export_rows, in_script, selected_rows

EXPORTERS = {member.NAME: member for member in (moses, tsv, jsonl, parquet, xlsx)}


@dataclass
class ExportResult:
    """What an export wrote: the files, the pairs written and the pairs skipped (an empty side)."""

    paths: list[Path] = field(default_factory=list)
    pairs: int = 0
    skipped: int = 0
    filtered: int = 0  # pairs left out by min_confidence or ok_only


def export_format(fmt: str | None, output: str | os.PathLike) -> tuple[str, Path]:
    """The format (given, else the one whose SUFFIX the output name ends with) and the output path (given the
    format's suffix when it has none)."""
    output = Path(output)
    if fmt is None:
        fmt = next((name for name, member in EXPORTERS.items() if member.SUFFIX
                    and output.suffix.lower() == member.SUFFIX), None)
        if fmt is None:
            raise AlignUsageError(f"give --format: the output name {output.name!r} does not say it "
                                  f"({', '.join(m.SUFFIX for m in EXPORTERS.values() if m.SUFFIX)}, or moses)")
    if fmt in EXPORTERS and EXPORTERS[fmt].SUFFIX and not output.suffix:
        output = output.with_name(output.name + EXPORTERS[fmt].SUFFIX)
    return fmt, output


def corpus_table_rows(path: str | os.PathLike, inline: str = "native") -> tuple[pl.DataFrame, int]:
    """The pairs of a corpus table (`align corpus` writes OUT/corpus.parquet) as the rows of table.COLUMNS, and how
    many had an empty side. Its texts are plain (no inline codes): `inline="xml"` escapes them as XML."""
    try:
        rows = pl.read_parquet(path, columns=list(COLUMNS))
    except FileNotFoundError as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror or 'No such file or directory'}", path) from exc
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise AlignError(f"not a corpus table of `align corpus` (columns {', '.join(COLUMNS)}): "
                         f"{str(exc).splitlines()[0]}", path) from None
    filled = rows.filter((pl.col("src").str.strip_chars() != "") & (pl.col("tgt").str.strip_chars() != ""))
    if inline == "xml":
        filled = filled.with_columns(pl.col("src", "tgt").map_elements(escape, return_dtype=pl.String))
    return filled, len(rows) - len(filled)


def export_tmx(path: str | os.PathLike, fmt: str | None, output: str | os.PathLike,
               min_confidence: float | None = None, ok_only: bool = False, script: str = "keep",
               inline: str = "native") -> ExportResult:
    """Export the TMX at `path` (or a corpus table: the .parquet file `align corpus` writes) as `fmt` (a member of
    EXPORTERS; None: found from the output's extension) to `output` (a prefix for moses); inline codes as `inline`
    says (align.formats.exporters.table)."""
    fmt, output = export_format(fmt, output)
    if fmt not in EXPORTERS:
        raise AlignUsageError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORTERS)})")
    if script not in TMX_SCRIPTS:
        raise AlignUsageError(f"unknown script {script!r} (choose from {', '.join(TMX_SCRIPTS)})")
    if inline not in INLINE_CHOICES:
        raise AlignUsageError(f"unknown inline choice {inline!r} (choose from {', '.join(INLINE_CHOICES)})")
    if Path(path).suffix.lower() == ".parquet":
        all_rows, skipped = corpus_table_rows(path, inline)
        srclang = all_rows["src_lang"][0] if all_rows["src_lang"].n_unique() == 1 else None
    else:
        document = read_tmx(path)
        all_rows, skipped = export_rows(document, inline)
        srclang = document.srclang if document.srclang not in (None, "", ALL_LANGUAGES) else None
    rows = in_script(selected_rows(all_rows, min_confidence, ok_only), script)
    paths = EXPORTERS[fmt].write(rows, Path(output), srclang)
    return ExportResult(paths=paths, pairs=len(rows), skipped=skipped, filtered=len(all_rows) - len(rows))
