"""report.html: one self-contained page (inline CSS, JS and SVG; nothing from the network), drawn by the Jinja2
template templates/report.html.j2 from the rows and summary it is given. Autoescaping is on: every text of a
document reaches the page as text."""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import jinja2

from ..quality import FLAG_MEANINGS, MIN_CONFIDENCE, SEVERE
from ..records import BODY, ReportRow
from .picture import Picture, picture_view


@dataclass
class FlagView:
    name: str
    reason: str = ""
    severe: bool = False
    count: int = 0
    meaning: str = ""


@dataclass
class RowView:
    number: int
    id: str
    bead: str
    sentence_numbers: str  # "s 27-28 / t 26": the 1-based sentence numbers the flags' reasons speak of
    classes: str
    ok: str  # "true" / "false", for the filters' data attribute
    data_score: str
    shown_score: str
    colour: str
    src: str
    tgt: str
    src_pieces: tuple[tuple[bool, str], ...]
    tgt_pieces: tuple[tuple[bool, str], ...]
    flag_names: str
    flags: list[FlagView]
    src_kinds: list[str]  # what the sentences' paragraphs were, when not body text: "heading", "table-cell"...
    tgt_kinds: list[str]


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("align.report", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def score_colour(value: float | None) -> str:
    if value is None:
        return "transparent"
    return f"hsl({120 * max(0.0, min(1.0, value)):.0f},{70 - 15 * value:.0f}%,82%)"


def _numbers(indices: list[int]) -> str:
    if not indices:
        return "–"
    return str(indices[0] + 1) if len(indices) == 1 else f"{indices[0] + 1}–{indices[-1] + 1}"


def row_view(number: int, row: ReportRow) -> RowView:
    numbers = (f"s {_numbers(row.src_indices)} / t {_numbers(row.tgt_indices)}"
               if row.src_indices or row.tgt_indices else "")
    return RowView(
        number=number, id=row.id, bead=row.bead, sentence_numbers=numbers,
        classes=("unit" if row.unit else "unaligned") + ("" if row.ok else " notok"),
        ok=str(row.ok).lower(), data_score="" if row.score is None else f"{row.score:.4f}",
        shown_score="" if row.score is None else f"{row.score:.2f}", colour=score_colour(row.score),
        src=row.src, tgt=row.tgt, src_pieces=row.src_pieces, tgt_pieces=row.tgt_pieces, flag_names=" ".join(dict.fromkeys(f.name for f in row.flags)),
        flags=[FlagView(f.name, f.reason, f.severe) for f in row.flags],
        src_kinds=shown_kinds(row.src_kinds), tgt_kinds=shown_kinds(row.tgt_kinds))


def shown_kinds(kinds: list[str]) -> list[str]:
    """The kinds a unit's badge names: each kind other than body text once, in order."""
    return [kind for kind in dict.fromkeys(kinds) if kind != BODY]


def render_html(rows: list[ReportRow], summary: dict, title: str, subtitle: str, picture: Picture | None,
                src_label: str, tgt_label: str) -> str:
    flag_counts = Counter(name for r in rows for name in dict.fromkeys(f.name for f in r.flags))
    legend = [FlagView(name, severe=name in SEVERE, count=flag_counts[name], meaning=meaning)
              for name, meaning in FLAG_MEANINGS.items() if name in flag_counts or name in SEVERE]
    scores = summary["scores"]
    to_review = summary["flagged"]["rows_to_review"]
    unaligned = summary["unaligned"]["src"] + summary["unaligned"]["tgt"]
    tiles = [(summary["units"], plural(summary["units"], "unit")),
             (to_review, f"{plural(to_review, 'row')} to review (not ok)"),
             (unaligned, f"unaligned {plural(unaligned, 'sentence')}"),
             (f'{scores.get("median", 0):.2f}', "median confidence")]
    if "coverage" in summary:
        tiles.append((f'{summary["coverage"]["src"]:.0%} / {summary["coverage"]["tgt"]:.0%}', "coverage src / tgt"))
    return environment().get_template("report.html.j2").render(
        title=title, subtitle=subtitle, warnings=summary.get("warnings", []), tiles=tiles,
        picture=None if picture is None else picture_view(picture, rows), legend=legend,
        min_confidence=MIN_CONFIDENCE, flag_options=flag_counts.most_common(), src_label=src_label,
        tgt_label=tgt_label, rows=[row_view(k + 1, row) for k, row in enumerate(rows)])
