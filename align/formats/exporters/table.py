"""A TMX as a table of pairs for linguists: the rows every exporter writes (align.formats' EXPORTERS).

One row per (unit, target variant): a TMX holding both sr-Latn and sr-Cyrl gives two rows per unit. Columns: id,
src, tgt, src_lang, tgt_lang, score (the x-confidence prop, else empty), bead (x-bead), document (x-document),
flags (the quality flags this tool wrote as notes, "name: reason", comma separated names). Rows where either side
is empty are skipped and counted: they are not parallel text; so are, when asked, rows below a confidence, rows
with a severe flag, and Serbian is converted to one script on request. The id is unique in the export and the
same on every export of the same file: the tuid (or `#N` for the N-th unit without one), `@<target tag>` added
when the unit has several target variants, and `.2`, `.3`, ... added to a repeat (another tool's TMX may repeat
tuids).

Inline codes (another tool's <ph>, <bpt>, <ept>, <it>, <ut>) are kept by default as their native text, so that
"You have {0} messages" keeps its {0} (`inline="native"`); `inline="drop"` leaves them out (the text alone, as
the checks read it), `inline="xml"` keeps the segment's XML as written (plain text escaped as XML).
"""
from __future__ import annotations

import re
from collections import Counter
from xml.sax.saxutils import escape

import polars as pl

from ...languages import is_serbian
from ...languages.sr_script import CONVERSIONS
from ...quality import FLAG_MEANINGS, SEVERE
from ..tmx import TmxDocument, TmxVariant

COLUMNS = ("id", "src", "tgt", "src_lang", "tgt_lang", "score", "bead", "document", "flags")
INLINE_CHOICES = ("native", "drop", "xml")
# Tab and every character str.splitlines() breaks on: one segment must stay on one line.
_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    return _LINE_BREAKING.sub(" ", text)


def unit_flags(notes: list[str]) -> list[str]:
    """The names of the quality flags among a unit's notes (this tool writes one "name: reason" note per flag)."""
    return [name for note in notes if (name := note.split(":", 1)[0]) in FLAG_MEANINGS]


def segment_text(variant: TmxVariant, inline: str) -> str:
    """A variant's text with its inline codes as `inline` says (see the module docstring)."""
    if inline == "native":
        return variant.native
    if inline == "xml":
        return escape(variant.text) if variant.markup is None else variant.markup
    return variant.text


def export_rows(document: TmxDocument, inline: str = "native") -> tuple[pl.DataFrame, int]:
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
                     "src": segment_text(source, inline), "tgt": segment_text(target, inline),
                     "src_lang": source.lang, "tgt_lang": target.lang, "score": score,
                     "bead": unit.prop("x-bead"), "document": unit.prop("x-document"),
                     "flags": ",".join(unit_flags(unit.notes))})
    schema = {name: pl.Float64 if name == "score" else pl.String for name in COLUMNS}
    return pl.DataFrame(rows, schema=schema), skipped


def selected_rows(rows: pl.DataFrame, min_confidence: float | None, ok_only: bool) -> pl.DataFrame:
    """The rows at or above `min_confidence` (rows without a score are kept only without a threshold) and, with
    `ok_only`, without a severe flag."""
    if min_confidence is not None:
        rows = rows.filter(pl.col("score") >= min_confidence)
    if ok_only:
        rows = rows.filter(~pl.col("flags").str.split(",").list.eval(pl.element().is_in(list(SEVERE))).list.any())
    return rows


def in_script(rows: pl.DataFrame, script: str) -> pl.DataFrame:
    """Serbian targets converted to one script ("latn" or "cyrl"), their tags with them; "keep" leaves them. A
    unit holding both scripts keeps its two rows (ids ...@sr-Latn, ...@sr-Cyrl), now with the same text."""
    if script == "keep":
        return rows
    convert, tag = CONVERSIONS[script]
    serbian = pl.col("tgt_lang").map_elements(is_serbian, return_dtype=pl.Boolean)
    return rows.with_columns(
        pl.when(serbian).then(pl.col("tgt").map_elements(convert, return_dtype=pl.String)).otherwise(pl.col("tgt")),
        pl.when(serbian).then(pl.lit(tag)).otherwise(pl.col("tgt_lang")).alias("tgt_lang"))
