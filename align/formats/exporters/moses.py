"""Moses plain text: two line-aligned files, one segment per line (tabs and line breaks inside a segment become
spaces, so `paste`, `cut` and `wc -l` work). An exporter (align.formats.exporters)."""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import polars as pl

from ...errors import AlignError
from ...files import atomic_write
from ...languages import canonical_tag
from .table import one_line

NAME = "moses"
SUFFIX = ""  # the output is a prefix: OUT.<src> and OUT.<tgt>


def _names(srclang: str | None, rows: pl.DataFrame, output: Path) -> dict[str, tuple[Path, Path]]:
    """Target tag -> (source file, target file): OUT.<src> and OUT.<tgt> for a single target language;
    OPUS-style OUT.<src>-<tgt>.<src> / .<tgt> when the TMX holds several."""
    targets = list(dict.fromkeys(canonical_tag(t) for t in rows["tgt_lang"]))
    if not srclang:
        srclang = rows["src_lang"][0] if len(rows) else "src"
    src = canonical_tag(srclang)
    if src in targets:
        raise AlignError(f"source and target language are both {src}; Moses files would overwrite each other",
                         output)
    if len(targets) <= 1:
        tgt = targets[0] if targets else "tgt"
        return {tgt: (Path(f"{output}.{src}"), Path(f"{output}.{tgt}"))}
    return {tgt: (Path(f"{output}.{src}-{tgt}.{src}"), Path(f"{output}.{src}-{tgt}.{tgt}")) for tgt in targets}


def write(rows: pl.DataFrame, output: Path, srclang: str | None) -> list[Path]:
    """Every file is renamed into place only if all were written."""
    names = _names(srclang, rows, output)
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
