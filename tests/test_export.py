"""Exports of a TMX for linguists (moses, tsv, jsonl, parquet, xlsx) and the export / merge commands."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from align import quality
from align.cli import main
from align.errors import AlignError
from align.formats import tmx
from align.formats.exporters import export_tmx
from align.formats.exporters.table import one_line

DATA = Path(__file__).parent / "data" / "tmx"
COLUMNS = ["id", "src", "tgt", "src_lang", "tgt_lang", "score", "bead", "document", "flags"]

# Segments that break naive line- and tab-based formats, and an Excel formula.
AWKWARD_SRC = ["Line one\nline two", "Col\tumn", '=SUM(A1:A9) and "quotes"', "Plain."]
AWKWARD_TGT = ["Red jedan\r\nred dva", "Kol\tona", '"Jeste", reče: =SUM(A1:A9)', "Obično."]


@pytest.fixture
def awkward_tmx(tmp_path, interview) -> Path:
    beads = [((i,), (i,), 0.5 + i / 10, []) for i in range(4)]
    return tmx.write_tmx([interview.make_alignment(AWKWARD_SRC, AWKWARD_TGT, beads, name="awk")],
                         tmp_path / "awk.tmx")


def expected_rows() -> list[dict]:
    return [{"id": f"awk-{i + 1:04d}", "src": s, "tgt": t, "src_lang": "en", "tgt_lang": "sr-Latn",
             "score": 0.5 + i / 10, "bead": "1-1", "document": "awk", "flags": ""}
            for i, (s, t) in enumerate(zip(AWKWARD_SRC, AWKWARD_TGT))]


def test_moses_writes_two_line_aligned_files(awkward_tmx, tmp_path):
    result = export_tmx(awkward_tmx, "moses", tmp_path / "corpus")
    assert result.paths == [tmp_path / "corpus.en", tmp_path / "corpus.sr-Latn"] and result.pairs == 4
    src = result.paths[0].read_text(encoding="utf-8").split("\n")
    tgt = result.paths[1].read_text(encoding="utf-8").split("\n")
    assert src == ["Line one line two", "Col umn", '=SUM(A1:A9) and "quotes"', "Plain.", ""]
    assert tgt == ["Red jedan  red dva", "Kol ona", '"Jeste", reče: =SUM(A1:A9)', "Obično.", ""]


def test_moses_with_two_target_scripts_writes_a_pair_of_files_per_target(tmp_path):
    result = export_tmx(DATA / "good.tmx", "moses", tmp_path / "c")
    names = [p.name for p in result.paths]
    assert names == ["c.en-sr-Latn.en", "c.en-sr-Latn.sr-Latn", "c.en-sr-Cyrl.en", "c.en-sr-Cyrl.sr-Cyrl"]
    lines = [p.read_text(encoding="utf-8").splitlines() for p in result.paths]
    assert all(len(part) == 4 for part in lines)
    assert lines[3][0] == "Добро јутро." and lines[1][0] == "Dobro jutro." and lines[0] == lines[2]


def test_tsv_is_one_line_per_pair_that_csv_readers_read_back(awkward_tmx, tmp_path):
    result = export_tmx(awkward_tmx, "tsv", tmp_path / "out.tsv")
    lines = result.paths[0].read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == COLUMNS and len(lines) == 5
    assert all(len(line.split("\t")) == len(COLUMNS) for line in lines)
    assert lines[1].split("\t")[2] == "Red jedan  red dva"
    # a field holding a double quote is quoted (its quotes doubled), so a reader does not eat the quotes
    assert lines[3].split("\t")[1:3] == ['"=SUM(A1:A9) and ""quotes"""', '"""Jeste"", reče: =SUM(A1:A9)"']
    flat = [(one_line(s), one_line(t)) for s, t in zip(AWKWARD_SRC, AWKWARD_TGT)]
    with result.paths[0].open(encoding="utf-8", newline="") as handle:
        assert [(row["src"], row["tgt"]) for row in csv.DictReader(handle, delimiter="\t")] == flat
    table = pl.read_csv(result.paths[0], separator="\t")
    assert list(zip(table["src"], table["tgt"])) == flat and table["score"].dtype == pl.Float64


def test_jsonl_keeps_text_exactly(awkward_tmx, tmp_path):
    result = export_tmx(awkward_tmx, "jsonl", tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in result.paths[0].read_text(encoding="utf-8").splitlines()]
    assert rows == expected_rows()


def test_parquet_keeps_text_and_types(awkward_tmx, tmp_path):
    export_tmx(awkward_tmx, "parquet", tmp_path / "out.parquet")
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame.columns == COLUMNS and frame.schema["score"] == pl.Float64
    assert frame.to_dicts() == expected_rows()


def test_xlsx_holds_strings_not_formulas(awkward_tmx, tmp_path):
    import openpyxl

    export_tmx(awkward_tmx, "xlsx", tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == COLUMNS
    assert [dict(zip(COLUMNS, row)) for row in rows[1:]] == [
        {**row, "score": pytest.approx(row["score"]), "tgt": row["tgt"].replace("\r\n", "\n"),
         "flags": row["flags"] or None}  # an empty cell
        for row in expected_rows()]
    assert sheet["B4"].data_type == "s"  # "=SUM(...)" is text, not a formula


def test_foreign_tmx_ids_scores_and_skipped_pairs(tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1"'
        ' segtype="sentence" o-tmf="x" adminlang="en" srclang="en-US" datatype="plaintext"/><body>'
        '<tu><prop type="x-confidence">high</prop><tuv xml:lang="en-US"><seg>Yes.</seg></tuv>'
        '<tuv xml:lang="sr-Latn"><seg>Da.</seg></tuv></tu>'
        '<tu tuid="q"><tuv xml:lang="sr-Latn"><seg>Ne.</seg></tuv><tuv xml:lang="en-US"><seg>No.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en-US"><seg>Alone.</seg></tuv><tuv xml:lang="sr-Latn"><seg> </seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    result = export_tmx(path, "jsonl", tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["src"], r["tgt"], r["src_lang"], r["score"]) for r in rows] == [
        ("#1", "Yes.", "Da.", "en-US", None), ("q", "No.", "Ne.", "en-US", None)]
    assert (result.pairs, result.skipped) == (2, 1)
    moses = export_tmx(path, "moses", tmp_path / "m")
    assert [p.name for p in moses.paths] == ["m.en-US", "m.sr-Latn"]


def test_ids_are_unique_whatever_the_tmx_repeats(tmp_path):
    """Repeated tuids, a tuid that looks like a made-up id, and a unit with a target in each script."""
    path = tmp_path / "repeats.tmx"
    tmx.write_document(tmx.TmxDocument("1.4", tmx.tmx_header("en"), [
        tmx.TmxUnit("#2", [tmx.TmxVariant("en", "One."), tmx.TmxVariant("sr-Latn", "Jedan.")]),
        tmx.TmxUnit(None, [tmx.TmxVariant("en", "Two."), tmx.TmxVariant("sr-Latn", "Dva.")]),
        tmx.TmxUnit("u", [tmx.TmxVariant("en", "Three."), tmx.TmxVariant("sr-Latn", "Tri.")]),
        tmx.TmxUnit("u", [tmx.TmxVariant("en", "Four."), tmx.TmxVariant("sr-Latn", "Četiri."),
                          tmx.TmxVariant("sr-Cyrl", "Четири.")])]), path)
    export_tmx(path, "jsonl", tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["tgt"]) for r in rows] == [
        ("#2", "Jedan."), ("#2.2", "Dva."), ("u", "Tri."), ("u@sr-Latn", "Četiri."), ("u@sr-Cyrl", "Четири.")]


def test_ids_are_stable_across_exports(tmp_path, interview):
    path = tmx.write_tmx([interview.alignment()], tmp_path / "i.tmx")
    first = export_tmx(path, "tsv", tmp_path / "a.tsv").paths[0].read_bytes()
    tmx.write_tmx([interview.alignment()], path)
    assert export_tmx(path, "tsv", tmp_path / "b.tsv").paths[0].read_bytes() == first


def test_unknown_format_and_broken_tmx_write_nothing(tmp_path):
    with pytest.raises(AlignError, match="unknown export format"):
        export_tmx(DATA / "good.tmx", "csv", tmp_path / "out.csv")
    with pytest.raises(AlignError, match="bad_amp.tmx: line 18"):
        export_tmx(DATA / "bad_amp.tmx", "tsv", tmp_path / "out.tsv")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_prints_files_and_counts(tmp_path):
    result = CliRunner().invoke(main, ["export", str(DATA / "good.tmx"), "--format", "tsv",
                                       "-o", str(tmp_path / "out.tsv")])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'out.tsv'}" in result.output and "8 pairs exported" in result.output


def test_cli_export_of_malformed_tmx_is_exit_1_and_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", str(DATA / "bad_amp.tmx"), "--format", "tsv",
                                       "-o", str(tmp_path / "out.tsv")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "bad_amp.tmx: line 18" in result.output


def test_cli_merge_reports_kept_and_dropped(tmp_path):
    result = CliRunner().invoke(main, ["merge", str(DATA / "good.tmx"), str(DATA / "doctype.tmx"),
                                       "-o", str(tmp_path / "m.tmx")])
    assert result.exit_code == 0, result.output
    assert "4 units (4 duplicates dropped)" in result.output
    assert len(tmx.read_tmx(tmp_path / "m.tmx").units) == 4


def test_filters_flags_column_and_script(tmp_path, interview):
    beads = [((0,), (0,), 0.95, []), ((1,), (1,), 0.40, [quality.flag("low-confidence", "confidence 0.40")]),
             ((2,), (2,), 0.90, [quality.flag("numbers", "2019 not in the target")])]
    alignment = interview.make_alignment(["Good morning.", "Yes.", "In 2019."], ["Dobro jutro.", "Da.", "Godine 2018."],
                                         beads, name="f")
    path = tmx.write_tmx([alignment], tmp_path / "f.tmx")
    rows = lambda out: [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]  # noqa: E731
    export_tmx(path, "jsonl", tmp_path / "all.jsonl")
    assert [r["flags"] for r in rows(tmp_path / "all.jsonl")] == ["", "low-confidence", "numbers"]
    result = export_tmx(path, "jsonl", tmp_path / "ok.jsonl", ok_only=True)
    assert [r["id"] for r in rows(tmp_path / "ok.jsonl")] == ["f-0001", "f-0003"] and result.filtered == 1
    export_tmx(path, "jsonl", tmp_path / "sure.jsonl", min_confidence=0.92, script="cyrl")
    assert [(r["tgt"], r["tgt_lang"]) for r in rows(tmp_path / "sure.jsonl")] == [("Добро јутро.", "sr-Cyrl")]
    cli = CliRunner().invoke(main, ["export", str(path), "--format", "tsv", "-o", str(tmp_path / "o.tsv"),
                                    "--ok-only", "--min-confidence", "0.5"])
    assert cli.exit_code == 0 and "2 pairs exported (1 filtered out)" in cli.output
