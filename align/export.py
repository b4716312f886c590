"""Exports of a TMX for linguists: Moses plain text, TSV, JSON lines, Parquet and Excel.

One row per (unit, target variant): a TMX holding both sr-Latn and sr-Cyrl gives two rows per
unit. Columns: id, src, tgt, src_lang, tgt_lang, score (the x-confidence prop, else empty), bead
(x-bead), document (x-document), flags (the quality flags this tool wrote as notes, "name: reason", comma
separated names). Rows where either side is empty are skipped and counted: they are not parallel text;
so are, when asked, rows below a confidence, rows with a severe flag, and Serbian is converted to one
script on request. The id is unique in the export and the same on every export of the same file: the
tuid (or `#N` for the N-th unit without one), `@<target tag>` added when the unit has several target
variants, and `.2`, `.3`, ... added to a repeat (another tool's TMX may repeat tuids).

Line-based formats keep one pair per line: in Moses files and TSV, tabs and line breaks inside a
segment become spaces, so `paste`, `cut` and `wc -l` work. TSV follows the CSV conventions with a tab
as separator: a field holding a double quote is quoted and its quotes doubled, so that pandas, polars,
R and Python's csv read the text back exactly (unquoted, a segment opening with a quote loses it in
every one of them); Moses files are the plain lines. JSON lines and Parquet keep the text exactly;
Excel too, except that CR LF line ends become Excel's LF.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import score
from .errors import AlignError, AlignUsageError
from .files import atomic_write
from .records import is_serbian
from .tmx import ALL_LANGUAGES, TMX_SCRIPTS, TmxDocument, canonical_tag, read_tmx

COLUMNS = ("id", "src", "tgt", "src_lang", "tgt_lang", "score", "bead", "document", "flags")
# Tab and every character str.splitlines() breaks on: one segment must stay on one line.
_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class ExportResult:
    """What an export wrote: the files, the pairs written and the pairs skipped (an empty side)."""

    paths: list[Path] = field(default_factory=list)
    pairs: int = 0
    skipped: int = 0
    filtered: int = 0  # pairs left out by min_confidence or ok_only


def one_line(text: str) -> str:
    return _LINE_BREAKING.sub(" ", text)


def unit_flags(notes: list[str]) -> list[str]:
    """The names of the quality flags among a unit's notes (this tool writes one "name: reason" note per flag)."""
    return [name for note in notes if (name := note.split(":", 1)[0]) in score.FLAG_MEANINGS]


def export_rows(document: TmxDocument) -> tuple[pl.DataFrame, int]:
    """The pairs of a TMX as a DataFrame with COLUMNS, and how many pairs had an empty side."""
    positions = {id(unit): k for k, unit in enumerate(document.units, start=1)}
    targets_per_unit = Counter(id(unit) for unit, _, _ in document.pairs())
    rows, skipped, used_ids = [], 0, set()
    for unit, source, target in document.pairs():
        if not source.text.strip() or not target.text.strip():
            skipped += 1
            continue
        base = unit.tuid if unit.tuid is not None else f"#{positions[id(unit)]}"
        if targets_per_unit[id(unit)] > 1:
            base += f"@{target.lang}"
        row_id, repeat = base, 1
        while row_id in used_ids:
            repeat += 1
            row_id = f"{base}.{repeat}"
        used_ids.add(row_id)
        confidence = unit.prop("x-confidence")
        try:
            score = float(confidence) if confidence is not None else None
        except ValueError:  # another tool's prop of the same name; not a number we can export
            score = None
        rows.append({"id": row_id,
                     "src": source.text, "tgt": target.text,
                     "src_lang": source.lang, "tgt_lang": target.lang, "score": score,
                     "bead": unit.prop("x-bead"), "document": unit.prop("x-document"),
                     "flags": ",".join(unit_flags(unit.notes))})
    schema = {name: pl.Float64 if name == "score" else pl.String for name in COLUMNS}
    return pl.DataFrame(rows, schema=schema), skipped


def _moses_names(document: TmxDocument, rows: pl.DataFrame, output: Path) -> dict[str, tuple[Path, Path]]:
    """Target tag -> (source file, target file): OUT.<src> and OUT.<tgt> for a single target
    language; OPUS-style OUT.<src>-<tgt>.<src> / .<tgt> when the TMX holds several."""
    targets = list(dict.fromkeys(canonical_tag(t) for t in rows["tgt_lang"]))
    srclang = document.srclang
    if not srclang or srclang == ALL_LANGUAGES:
        srclang = rows["src_lang"][0] if len(rows) else "src"
    src = canonical_tag(srclang)
    if src in targets:
        raise AlignError(f"source and target language are both {src}; Moses files would overwrite each other",
                         output)
    if len(targets) <= 1:
        tgt = targets[0] if targets else "tgt"
        return {tgt: (Path(f"{output}.{src}"), Path(f"{output}.{tgt}"))}
    return {tgt: (Path(f"{output}.{src}-{tgt}.{src}"), Path(f"{output}.{src}-{tgt}.{tgt}")) for tgt in targets}


def write_moses(document: TmxDocument, rows: pl.DataFrame, output: Path) -> list[Path]:
    """Line-aligned plain-text files; all are renamed into place only if every one was written."""
    names = _moses_names(document, rows, output)
    rows = rows.with_columns(pl.col("tgt_lang").map_elements(canonical_tag, return_dtype=pl.String))
    written = []
    with ExitStack() as stack:
        for tgt, (src_path, tgt_path) in names.items():
            group = rows.filter(pl.col("tgt_lang") == tgt)
            for path, column in ((src_path, "src"), (tgt_path, "tgt")):
                out = stack.enter_context(atomic_write(path))
                out.writelines(one_line(text) + "\n" for text in group[column])
                written.append(path)
    return written


def _write_tsv(rows: pl.DataFrame, out) -> None:
    flat = rows.with_columns(pl.col(pl.String).map_elements(one_line, return_dtype=pl.String))
    flat.write_csv(out, separator="\t", quote_style="necessary")


def _write_xlsx(rows: pl.DataFrame, out) -> None:
    from xlsxwriter import Workbook

    # A line break inside an Excel cell is LF; a CR would be stored as the escape "_x000D_".
    rows = rows.with_columns(pl.col("src", "tgt").str.replace_all("\r\n?", "\n"))
    # Plain strings: no hyperlinks made from URLs, no formulas from text starting with "=".
    with Workbook(out, {"strings_to_urls": False, "strings_to_formulas": False}) as workbook:
        rows.write_excel(workbook, worksheet="pairs", float_precision=4, freeze_panes="A2",
                         column_widths={"src": 400, "tgt": 400})


_TABLE_WRITERS: dict[str, Callable[[pl.DataFrame, object], None]] = {
    "tsv": _write_tsv,
    "jsonl": lambda rows, out: rows.write_ndjson(out),
    "parquet": lambda rows, out: rows.write_parquet(out),
    "xlsx": _write_xlsx,
}
FORMATS = ("moses", *_TABLE_WRITERS)


def selected_rows(rows: pl.DataFrame, min_confidence: float | None, ok_only: bool) -> pl.DataFrame:
    """The rows at or above `min_confidence` (rows without a score are kept only without a threshold) and, with
    `ok_only`, without a severe flag."""
    if min_confidence is not None:
        rows = rows.filter(pl.col("score") >= min_confidence)
    if ok_only:
        rows = rows.filter(~pl.col("flags").str.split(",").list.eval(pl.element().is_in(list(score.SEVERE))).list.any())
    return rows


def in_script(rows: pl.DataFrame, script: str) -> pl.DataFrame:
    """Serbian targets converted to one script ("latn" or "cyrl"), their tags with them; "keep" leaves them. A
    unit holding both scripts keeps its two rows (ids ...@sr-Latn, ...@sr-Cyrl), now with the same text."""
    if script == "keep":
        return rows
    from .script import CONVERSIONS

    convert, tag = CONVERSIONS[script]
    serbian = pl.col("tgt_lang").map_elements(is_serbian, return_dtype=pl.Boolean)
    return rows.with_columns(
        pl.when(serbian).then(pl.col("tgt").map_elements(convert, return_dtype=pl.String)).otherwise(pl.col("tgt")),
        pl.when(serbian).then(pl.lit(tag)).otherwise(pl.col("tgt_lang")).alias("tgt_lang"))


def export_tmx(path: str | os.PathLike, fmt: str, output: str | os.PathLike, min_confidence: float | None = None,
               ok_only: bool = False, script: str = "keep") -> ExportResult:
    """Export the TMX at `path` as `fmt` (moses|tsv|jsonl|parquet|xlsx) to `output` (a prefix for moses)."""
    if fmt not in FORMATS:
        raise AlignUsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if script not in TMX_SCRIPTS:
        raise AlignUsageError(f"unknown script {script!r} (choose from {', '.join(TMX_SCRIPTS)})")
    document = read_tmx(path)
    all_rows, skipped = export_rows(document)
    rows = in_script(selected_rows(all_rows, min_confidence, ok_only), script)
    output = Path(output)
    if fmt == "moses":
        paths = write_moses(document, rows, output)
    else:
        with atomic_write(output, "wb") as out:
            _TABLE_WRITERS[fmt](rows, out)
        paths = [output]
    return ExportResult(paths=paths, pairs=len(rows), skipped=skipped, filtered=len(all_rows) - len(rows))
