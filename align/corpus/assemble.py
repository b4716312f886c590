"""What the client builds at the end from the jobs' files on disk (so that jobs done in an earlier, resumed run
count as well), one document at a time so that a corpus of any size fits in memory: the merged TMX files and
the corpus table."""
from __future__ import annotations

from pathlib import Path

import polars as pl
from lxml import etree

from ..files import atomic_write
from ..formats.tmx import ALL_LANGUAGES, TmxDocument, document_xml, tmx_header
from .job import TABLE_SCHEMA

CORPUS_TABLE = "corpus.parquet"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                          remove_pis=True)


def write_merged_tmx(entries: list[dict], outdir: Path) -> list[Path]:
    """One TMX per entry `file` (merge_entries in align.corpus.job), its jobs' units in the order given: the bytes
    align.formats.tmx.write_tmx writes for those jobs' alignments, without holding them all."""
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(entry["file"], []).append(entry)
    written = []
    for name, group in sorted(groups.items()):
        tags = {tag for entry in group for tag in entry["src_tags"]}
        srclang = tags.pop() if len(tags) == 1 else ALL_LANGUAGES if tags else group[0]["src_tag"]
        head, tail = document_xml(TmxDocument("1.4", tmx_header(srclang), [])).split(b"<body/>")
        path = outdir / name
        with atomic_write(path, "wb") as out:
            out.write(head)
            empty = True
            for entry in group:
                for unit in _units(outdir / entry["tmx"]):
                    out.write((b"<body>\n" if empty else b"") + b"    " + unit + b"\n")
                    empty = False
            out.write((b"<body/>" if empty else b"  </body>") + tail)
        written.append(path)
    return written


def _units(path: Path):
    """Each <tu> of a TMX this tool wrote, serialised as it stands there (indented for its depth in <body>)."""
    body = etree.parse(str(path), _PARSER).getroot().find("body")
    for unit in body.iterfind("tu"):
        yield etree.tostring(unit, encoding="UTF-8", xml_declaration=False, with_tail=False)


def write_corpus_table(parts: list[Path], path: Path) -> Path:
    """Every job's part in order, concatenated by polars' streaming engine: never the whole table in memory."""
    with atomic_write(path, "wb") as out:
        if parts:
            pl.scan_parquet(parts).sink_parquet(out)
        else:
            pl.DataFrame(schema=TABLE_SCHEMA).write_parquet(out)
    return path
