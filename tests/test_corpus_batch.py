"""`align corpus`: discovery, manifests, the summary, resuming, the corpus table and the merged TMX (with the
stand-in encoder, in this process), and (slow) whole batches with the real model, one worker or two, and a manifest
of two language pairs. Dask and faults: test_corpus_cluster.py."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from lxml import etree

import align.corpus as corpus_package
from align import pipeline
from align.cli import main
from align.corpus import (
    CorpusResult,
    DocumentRow,
    align_corpus,
    discover_corpus,
    read_manifest,
    write_summary,
)
from align.embed import load_encoder
from align.errors import AlignError, AlignUsageError
from align.formats.exporters import export_tmx
from align.formats.exporters.table import COLUMNS as TABLE_COLUMNS
from align.formats.tmx import write_tmx

INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
ENSR_DIR = Path(__file__).resolve().parents[1] / "bench" / "data" / "ensr"  # English-Serbian, written blind
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_discovery_pairs_english_with_each_serbian_file(tmp_path):
    for doc, files in {"a": ["en.txt", "sr.txt"], "b": ["en.txt", "sr-Latn.txt", "sr-Cyrl.txt"],
                       "c": ["sr.txt"], "d": ["en.txt"], "e": ["en.txt", "sr-latn.txt.bak"]}.items():
        (tmp_path / doc).mkdir()
        for name in files:
            (tmp_path / doc / name).write_text("x")
    (tmp_path / "en.txt").write_text("a file at the top is not a document")
    assert [(job.label, job.src.name, job.tgt.name) for job in discover_corpus(tmp_path)] == [
        ("a.sr", "en.txt", "sr.txt"), ("b.sr-Latn", "en.txt", "sr-Latn.txt"), ("b.sr-Cyrl", "en.txt", "sr-Cyrl.txt")]


def test_no_documents_is_an_error(tmp_path):
    with pytest.raises(AlignError, match="no subfolder holds en.txt"):
        discover_corpus(tmp_path)


def rows() -> list[DocumentRow]:
    pair = {"src_file": "en.txt", "src_lang": "en", "tgt_lang": "sr"}
    return [DocumentRow("harbour.sr-Latn", "harbour", "sr-Latn.txt", src_sentences=6, tgt_sentences=6, units=6,
                        flagged=1, seconds=1.25, tag="sr-Latn", **pair),
            DocumentRow("library.sr", "library", "sr.txt", status="failed",
                        error="corpus/library/sr.txt: empty file", seconds=0.01, **pair),
            DocumentRow("mixup.sr", "mixup", "sr.txt", status="suspect", src_sentences=8, tgt_sentences=9, units=8,
                        flagged=8, seconds=0.5, tag="sr-Latn", warning="not translations", **pair),
            DocumentRow("notes", "notes", "", status="skipped", error="skipped: no en.txt; found EN.txt, sr.txt")]


def test_summary_table_and_files(tmp_path):
    result = CorpusResult(rows(), merged=[], summaries=write_summary(rows(), tmp_path, "corpus", "keep", []))
    assert result.table().splitlines() == [
        "document         sentences src/tgt  units  flagged  time  status",
        "---------------  -----------------  -----  -------  ----  ------------------------------------",
        "harbour.sr-Latn                6/6      6        1  1.2s  ok",
        "library.sr                     0/0      0        0  0.0s  failed",
        "mixup.sr                       8/9      8        8  0.5s  suspect",
        "notes                          0/0      0        0  0.0s  skipped",
        "---------------  -----------------  -----  -------  ----  ------------------------------------",
        "total                        14/15     14        9  1.8s  1 ok, 1 suspect, 1 failed, 1 skipped",
    ]
    assert [row.label for row in result.failed] == ["library.sr"]
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"jobs": 3, "ok": 1, "suspect": 1, "failed": 1, "skipped": 1,
                                 "src_sentences": 14, "tgt_sentences": 15, "units": 14, "flagged": 9,
                                 "to_review": 0}
    # the seconds are the one thing that differs run to run: in a file of their own
    assert json.loads((tmp_path / "timings.json").read_text(encoding="utf-8")) == {
        "seconds": {"harbour.sr-Latn": 1.25, "library.sr": 0.01, "mixup.sr": 0.5}, "total": 1.76, "resumed": 0}
    assert summary["documents"][1]["error"] == "corpus/library/sr.txt: empty file"
    assert (tmp_path / "summary.csv").read_text(encoding="utf-8").splitlines() == [
        "label,document,src_file,tgt_file,src_lang,tgt_lang,tag,status,src_sentences,tgt_sentences,units,flagged,"
        "to_review,error,warning",
        "harbour.sr-Latn,harbour,en.txt,sr-Latn.txt,en,sr,sr-Latn,ok,6,6,6,1,0,,",
        "library.sr,library,en.txt,sr.txt,en,sr,,failed,0,0,0,0,0,corpus/library/sr.txt: empty file,",
        "mixup.sr,mixup,en.txt,sr.txt,en,sr,sr-Latn,suspect,8,9,8,8,0,,not translations",
        "notes,notes,,,,,,skipped,0,0,0,0,0,\"skipped: no en.txt; found EN.txt, sr.txt\",",
    ]


# --- whole batches with the real model --------------------------------------------------------------------

def corpus_with_a_broken_document(tmp_path: Path) -> Path:
    """The sample corpus (harbour: sr-Latn in windows-1250, sr-Cyrl in UTF-16; library: sr in ISO-8859-5) plus
    a document whose Serbian file is binary."""
    corpus = tmp_path / "corpus"
    shutil.copytree(INPUTS / "corpus", corpus)
    (corpus / "broken").mkdir()
    shutil.copy(INPUTS / "encodings" / "en.utf-8.txt", corpus / "broken" / "en.txt")
    shutil.copy(INPUTS / "bad" / "binary.txt", corpus / "broken" / "sr.txt")
    return corpus


def tmx_units(path: Path) -> list[dict[str, str]]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return [{tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")} | {"tuid": tu.get("tuid")}
            for tu in root.iter("tu")]


def beads(path: Path) -> list[tuple[list[int], list[int]]]:
    return [(b["src"], b["tgt"]) for b in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


@pytest.mark.slow
@pytest.mark.model
def test_corpus_batch_one_failure_does_not_stop_the_others(tmp_path, capsys):
    corpus = corpus_with_a_broken_document(tmp_path)
    out = tmp_path / "out"
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "broken.en-sr.tmx").write_text("from an earlier run\n")

    result = align_corpus(corpus, out, show_progress=True)

    progress = capsys.readouterr().err  # the progress bar, on stderr: documents done, failed, in flight
    assert "documents: 100%" in progress and "4/4" in progress and "1 failed, 0 in flight" in progress
    assert [(row.label, row.status) for row in result.rows] == [
        ("broken.sr", "failed"), ("harbour.sr-Latn", "ok"), ("harbour.sr-Cyrl", "ok"), ("library.sr", "ok")]
    assert result.failed[0].error.startswith(f"{corpus / 'broken' / 'sr.txt'}: unsupported file type (a PNG image")
    assert (out / "broken" / "broken.en-sr.tmx").read_text() == "from an earlier run\n"
    assert sorted(p.name for p in (out / "broken").iterdir()) == ["broken.en-sr.tmx"]

    # The documents are translated sentence by sentence: every bead is i <-> i.
    for doc, serbian, n in (("harbour", "sr-Latn", 6), ("harbour", "sr-Cyrl", 6), ("library", "sr", 4)):
        assert beads(out / doc / f"{doc}.en-{serbian}.beads.jsonl") == [([i], [i]) for i in range(n)]
        assert (out / doc / f"{doc}.en-{serbian}.tmx").is_file()
        assert any((out / doc / f"report-{serbian}").iterdir())

    latin = tmx_units(out / "corpus.en-sr-Latn.tmx")
    cyrillic = tmx_units(out / "corpus.en-sr-Cyrl.tmx")
    assert [u["tuid"] for u in latin] == [f"harbour.sr-Latn-{i:04d}" for i in range(1, 7)]
    assert [u["tuid"] for u in cyrillic] == ([f"harbour.sr-Cyrl-{i:04d}" for i in range(1, 7)]
                                             + [f"library.sr-{i:04d}" for i in range(1, 5)])
    assert latin[5] == {"tuid": "harbour.sr-Latn-0006", "en": "Đorđe Šimić from Čačak hurried to the opening.",
                        "sr-Latn": "Đorđe Šimić iz Čačka je žurno došao na otvaranje."}
    assert cyrillic[-1]["sr-Cyrl"] == "Кафа и даље није дозвољена у читаоници."

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(d["label"], d["status"], d["units"], d["tag"]) for d in summary["documents"]] == [
        ("broken.sr", "failed", 0, ""), ("harbour.sr-Latn", "ok", 6, "sr-Latn"),
        ("harbour.sr-Cyrl", "ok", 6, "sr-Cyrl"), ("library.sr", "ok", 4, "sr-Cyrl")]
    assert summary["merged_tmx"] == [str(out / "corpus.en-sr-Cyrl.tmx"), str(out / "corpus.en-sr-Latn.tmx")]


@pytest.mark.slow
@pytest.mark.model
def test_corpus_cli_with_two_workers(tmp_path, monkeypatch):
    """Two spawned workers, each loading the model (the embedding cache is off, so both really embed)."""
    monkeypatch.setenv("ALIGN_NO_CACHE", "1")
    corpus = tmp_path / "corpus"
    shutil.copytree(INPUTS / "corpus" / "library", corpus / "library")
    shutil.copytree(INPUTS / "corpus" / "library", corpus / "library2")
    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].split() == ["document", "sentences", "src/tgt", "units", "flagged", "time", "status"]
    assert [line.split()[0] for line in lines[2:4]] == ["library.sr", "library2.sr"]  # job order, not finish order
    assert lines[-1].split()[-4:] == ["2", "ok,", "0", "failed"]
    for doc in ("library", "library2"):
        assert beads(tmp_path / "out" / doc / f"{doc}.en-sr.beads.jsonl") == [([i], [i]) for i in range(4)]
    merged = tmx_units(tmp_path / "out" / "corpus.en-sr-Cyrl.tmx")
    assert [u["tuid"] for u in merged] == [f"{doc}.sr-{i:04d}" for doc in ("library", "library2") for i in range(1, 5)]


@pytest.mark.slow
@pytest.mark.model
def test_corpus_cli_reports_the_failed_document_and_exits_1(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "ok").mkdir(parents=True)
    shutil.copy(INPUTS / "corpus" / "library" / "en.txt", corpus / "ok" / "en.txt")
    shutil.copy(INPUTS / "corpus" / "library" / "sr.txt", corpus / "ok" / "sr.txt")
    (corpus / "empty").mkdir()
    shutil.copy(INPUTS / "corpus" / "library" / "en.txt", corpus / "empty" / "en.txt")
    (corpus / "empty" / "sr-Latn.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(tmp_path / "out"), "--script", "both"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"align: error: empty.sr-Latn: {corpus / 'empty' / 'sr-Latn.txt'}: empty file")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "corpus.en-sr-Cyrl.tmx", "corpus.en-sr-Latn.tmx", "corpus.parquet", "ok", "summary.csv", "summary.json",
        "timings.json"]
    latin = tmx_units(tmp_path / "out" / "corpus.en-sr-Latn.tmx")
    assert latin[0]["sr-Latn"] == "Gradska biblioteka će tokom ispitnog roka raditi do ponoći."


@pytest.mark.slow
@pytest.mark.model
def test_suspect_documents_stay_out_of_the_merge_and_incomplete_folders_are_reported(tmp_path):
    corpus = tmp_path / "corpus"
    for name, en, sr in (("news", "news.en.txt", "news.sr-Latn.txt"), ("mixup", "news.en.txt", "rules.sr-Latn.txt")):
        (corpus / name).mkdir(parents=True)
        shutil.copy(ENSR_DIR / en, corpus / name / "en.txt")
        shutil.copy(ENSR_DIR / sr, corpus / name / "sr-Latn.txt")
    (corpus / "notes").mkdir()
    (corpus / "notes" / "EN.txt").write_text("An English file named in capitals.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "align: warning: mixup.sr-Latn: the two documents do not read as translations" in result.output
    assert "(left out of the merged TMX)" in result.output
    assert "align: warning: notes: skipped: no en.txt; found EN.txt" in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [(d["label"], d["status"]) for d in summary["documents"]] == [
        ("mixup.sr-Latn", "suspect"), ("news.sr-Latn", "ok"), ("notes", "skipped")]
    merged = {u["tuid"].rsplit("-", 1)[0] for u in tmx_units(tmp_path / "out" / "corpus.en-sr-Latn.tmx")}
    assert merged == {"news.sr-Latn"}
    assert (tmp_path / "out" / "mixup" / "mixup.en-sr-Latn.tmx").is_file()  # its own outputs are written


# --- manifests: any list of pairs, any languages -------------------------------------------------------------

# A short German text and its French translation, written for these tests.
GERMAN = ("Der kleine Bahnhof von Lindenau wurde im Mai wieder eröffnet. Zwei Jahre lang fuhren hier keine Züge. "
          "Jetzt halten jede Stunde Regionalzüge in beide Richtungen.\n\n"
          "Die Bürgermeisterin Anna Keller dankte den Arbeitern für ihre Geduld. Der Umbau kostete 4,2 Millionen "
          "Euro. Im Herbst soll auch ein kleines Café im alten Wartesaal öffnen.\n")
FRENCH = ("La petite gare de Lindenau a rouvert en mai. Pendant deux ans, aucun train ne s'y est arrêté. Désormais, "
          "des trains régionaux s'y arrêtent toutes les heures dans les deux sens.\n\n"
          "La maire Anna Keller a remercié les ouvriers pour leur patience. Les travaux ont coûté 4,2 millions "
          "d'euros. À l'automne, un petit café doit aussi ouvrir dans l'ancienne salle d'attente.\n")
PAIRS = [{"src": "texts/station.de.txt", "tgt": "texts/station.fr.txt", "src_lang": "de", "tgt_lang": "fr",
          "name": "station"},
         {"src": "texts/library-en.txt", "tgt": "texts/library-sr.txt", "src_lang": "en", "tgt_lang": "sr",
          "name": "library"}]


def manifest_corpus(root: Path, suffix: str = ".tsv", pairs: list[dict] = PAIRS) -> Path:
    """The German-French pair and the English-Serbian library (Serbian Cyrillic in ISO-8859-5) under root/texts,
    listed by root/pairs<suffix>."""
    texts = root / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    (texts / "station.de.txt").write_text(GERMAN, encoding="utf-8")
    (texts / "station.fr.txt").write_text(FRENCH, encoding="utf-8")
    shutil.copy(INPUTS / "corpus" / "library" / "en.txt", texts / "library-en.txt")
    shutil.copy(INPUTS / "corpus" / "library" / "sr.txt", texts / "library-sr.txt")
    manifest = root / f"pairs{suffix}"
    fields = list(pairs[0])
    if suffix == ".jsonl":
        manifest.write_text("".join(json.dumps(pair) + "\n" for pair in pairs), encoding="utf-8")
    else:
        separator = "\t" if suffix == ".tsv" else ","
        manifest.write_text("\n".join(separator.join(row) for row in
                                      [fields, *([pair[key] for key in fields] for pair in pairs)]) + "\n",
                            encoding="utf-8")
    return manifest


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".jsonl"])
def test_a_manifest_lists_pairs_in_any_languages_relative_to_its_folder(tmp_path, suffix):
    jobs = read_manifest(manifest_corpus(tmp_path, suffix))
    assert [(job.label, job.src, job.tgt, job.src_lang, job.tgt_lang, job.base, job.report) for job in jobs] == [
        ("station", tmp_path / "texts/station.de.txt", tmp_path / "texts/station.fr.txt", "de", "fr",
         "station.de-fr", "report-fr"),
        ("library", tmp_path / "texts/library-en.txt", tmp_path / "texts/library-sr.txt", "en", "sr",
         "library.en-sr", "report-sr")]


def test_a_manifest_without_names_names_pairs_after_their_source(tmp_path):
    unnamed = [{key: value for key, value in pair.items() if key != "name"} for pair in PAIRS]
    assert [job.label for job in read_manifest(manifest_corpus(tmp_path, ".csv", unnamed))] == [
        "station", "library-en"]


@pytest.mark.parametrize("content, problem", [
    ("src\ttgt\tsrc_lang\n", "line 1: no column 'tgt_lang'"),
    ("src\ttgt\tsrc_lang\ttgt_lang\tlanguage\n", "line 1: unknown column 'language'"),
    ("src\ttgt\tsrc_lang\ttgt_lang\na.txt\tb.txt\ten\n", "line 2: 3 fields, but the header has 4"),
    ("src\ttgt\tsrc_lang\ttgt_lang\n\na.txt\tb.txt\ten\tklingon\n", "line 3: tgt_lang 'klingon' is not a language"),
    ("src\ttgt\tsrc_lang\ttgt_lang\na.txt\t\ten\tde\n", "line 2: no tgt"),
    ("src\ttgt\tsrc_lang\ttgt_lang\tname\na.txt\tb.txt\ten\tde\tx\na.txt\tc.txt\ten\tfr\tx\n",
     "line 3: name 'x' is also line 2's"),
    ("src\ttgt\tsrc_lang\ttgt_lang\tname\na.txt\tb.txt\ten\tde\t../up\n", "line 2: name '../up' cannot be a folder"),
    ("src\ttgt\tsrc_lang\ttgt_lang\n", "the manifest lists no pairs"),
])
def test_manifest_errors_name_the_line(tmp_path, content, problem):
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(AlignUsageError, match=re.escape(f"{manifest}: {problem}")):
        read_manifest(manifest)


@pytest.mark.parametrize("content, problem", [
    ('{"src": "a.txt", "tgt": "b.txt", "src_lang": "en", "tgt_lang": "de"}\n{"src": "a.txt",\n', "line 2: not JSON"),
    ('["a.txt", "b.txt", "en", "de"]\n', "line 1: not a JSON object"),
    ('{"src": "a.txt", "tgt": "b.txt", "src_lang": "en", "tgt_lang": 7}\n', "line 1: tgt_lang is not a string"),
    ('{"src": "a.txt", "tgt": "b.txt", "src_lang": "en", "tgt_lang": "de", "lang": "x"}\n',
     "line 1: unknown field 'lang'"),
])
def test_jsonl_manifest_errors_name_the_line(tmp_path, content, problem):
    manifest = tmp_path / "pairs.jsonl"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(AlignUsageError, match=re.escape(f"{manifest}: {problem}")):
        read_manifest(manifest)


def test_a_manifest_of_two_language_pairs_gives_a_merged_tmx_per_pair_and_one_table(tmp_path):
    out = tmp_path / "out"
    result = align_corpus(manifest_corpus(tmp_path), out)
    assert [(row.label, row.status, row.src_lang, row.tgt_lang, row.tag) for row in result.rows] == [
        ("station", "ok", "de", "fr", "fr"), ("library", "ok", "en", "sr", "sr-Cyrl")]
    assert [path.name for path in result.merged] == ["corpus.de-fr.tmx", "corpus.en-sr-Cyrl.tmx"]
    assert {u["tuid"]: (set(u) - {"tuid"}) for u in tmx_units(out / "corpus.de-fr.tmx")} == {
        f"station-{i:04d}": {"de", "fr"} for i in range(1, 7)}
    assert sorted(p.name for p in (out / "station").iterdir()) == [
        "report-fr", "station.de-fr.beads.jsonl", "station.de-fr.job.json", "station.de-fr.tmx",
        "station.de-fr.units.parquet"]
    table = pl.read_parquet(out / "corpus.parquet")
    assert table.columns == ["document", "id", "src", "tgt", "src_lang", "tgt_lang", "script", "bead", "score",
                             "flags", "ok"]
    assert table.group_by("document", "src_lang", "tgt_lang", "script", maintain_order=True).len().rows() == [
        ("station", "de", "fr", None, 6), ("library", "en", "sr-Cyrl", "Cyrl", 4)]

    # a conversion applies to the pairs with a Serbian side; the others keep their text
    result = align_corpus(manifest_corpus(tmp_path), out, script="latn")
    assert [path.name for path in result.merged] == ["corpus.de-fr.tmx", "corpus.en-sr-Latn.tmx"]
    table = pl.read_parquet(out / "corpus.parquet")
    assert table.filter(pl.col("document") == "library")["tgt"][0] == (
        "Gradska biblioteka će tokom ispitnog roka raditi do ponoći.")
    assert table.filter(pl.col("document") == "station")["tgt"][0] == "La petite gare de Lindenau a rouvert en mai."


def test_usage_errors_come_before_anything_is_written(tmp_path):
    runner = CliRunner()
    corpus = manifest_corpus(tmp_path, pairs=PAIRS[:1])
    for args, message in ((["--script", "latn"], "--script latn converts Serbian text, but neither de nor fr"),
                          (["--workers", "2", "--scheduler", "local"], "give --workers N (local processes) or"),
                          (["--scheduler", "somewhere"], "--scheduler 'somewhere': give local, local:N")):
        result = runner.invoke(main, ["corpus", str(corpus), "-o", str(tmp_path / "out"), *args])
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert not (tmp_path / "out").exists()


# --- what a run leaves: the merged TMX, the corpus table, resuming --------------------------------------------------

def sample_corpus(tmp_path: Path, copies: int = 1) -> Path:
    """harbour (sr-Latn and sr-Cyrl) and library, with `copies` - 1 more copies of library."""
    corpus = tmp_path / "corpus"
    shutil.copytree(INPUTS / "corpus", corpus)
    for k in range(2, copies + 1):
        shutil.copytree(INPUTS / "corpus" / "library", corpus / f"library{k}")
    return corpus


def test_the_merged_tmx_is_what_write_tmx_writes_for_the_alignments(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = sample_corpus(tmp_path, copies=2)
    result = align_corpus(corpus, tmp_path / "out")
    encoder = load_encoder()
    alignments = [pipeline.align_files(job.src, job.tgt, "en", "sr", name=job.label, encoder=encoder)
                  for job in discover_corpus(corpus)]
    merged = [alignment for alignment in alignments if not alignment.warnings]  # suspect ones stay out
    assert [path.name for path in result.merged] == sorted({f"corpus.en-{a.tgt.tag}.tmx" for a in merged})
    for path in result.merged:
        write_tmx([a for a in merged if path.name == f"corpus.en-{a.tgt.tag}.tmx"], tmp_path / "expected.tmx")
        assert path.read_bytes() == (tmp_path / "expected.tmx").read_bytes()


def test_the_corpus_table_holds_every_unit_and_exports_as_the_merged_tmx_does(tmp_path):
    out = tmp_path / "out"
    result = align_corpus(sample_corpus(tmp_path), out)
    table = pl.read_parquet(out / "corpus.parquet")
    aligned = [row for row in result.rows if row.status in ("ok", "suspect")]
    assert table["id"].to_list() == [f"{row.label}-{k:04d}" for row in aligned for k in range(1, row.units + 1)]
    merged = [unit["tuid"] for path in result.merged for unit in tmx_units(path)]
    assert set(merged) == set(table.filter(~pl.col("document").is_in(
        [row.label for row in result.rows if row.status == "suspect"]))["id"])
    assert table.filter(pl.col("id") == "library.sr-0004").row(0, named=True) | {"score": None} == {
        "document": "library.sr", "id": "library.sr-0004", "src": "Coffee is still not allowed in the reading room.",
        "tgt": "Кафа и даље није дозвољена у читаоници.", "src_lang": "en", "tgt_lang": "sr-Cyrl", "script": "Cyrl",
        "bead": "1-1", "score": None, "flags": "", "ok": True}
    # the stand-in encoder finds harbour's two sides unrelated: suspect, out of the merged TMX, in the table as not ok
    assert [row.status for row in result.rows] == ["suspect", "suspect", "ok"]
    assert table.filter(pl.col("id") == "harbour.sr-Latn-0006").select("tgt", "flags", "ok").row(0) == (
        "Đorđe Šimić iz Čačka je žurno došao na otvaranje.", "mismatched-documents", False)

    def exported(source: Path, name: str) -> list[str]:
        export_tmx(source, "tsv", tmp_path / name, min_confidence=0.3, ok_only=True, script="cyrl")
        return (tmp_path / name).read_text(encoding="utf-8").splitlines()
    from_table = exported(out / "corpus.parquet", "table.tsv")
    from_tmx = [exported(path, f"{path.stem}.tsv") for path in result.merged]
    assert from_table[0] == from_tmx[0][0] == "\t".join(TABLE_COLUMNS)
    assert sorted(from_table[1:]) == sorted(line for lines in from_tmx for line in lines[1:])
    assert len(from_table) > 1

    cli = CliRunner().invoke(main, ["export", str(out / "corpus.parquet"), "-o", str(tmp_path / "c.jsonl")])
    assert cli.exit_code == 0, cli.output
    assert f"{len(table)} pairs exported" in cli.stderr


def test_export_of_a_parquet_that_is_no_corpus_table_is_one_line(tmp_path):
    pl.DataFrame({"x": [1]}).write_parquet(tmp_path / "other.parquet")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "other.parquet"), "-o", str(tmp_path / "o.tsv")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"align: error: {tmp_path / 'other.parquet'}: not a corpus table of `align "
                                    "corpus`")
    assert not (tmp_path / "o.tsv").exists()


def comparable(out: Path) -> dict[str, bytes]:
    """Every file of a run but timings.json, by its path under `out`."""
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and path.name != "timings.json"}


def test_resume_aligns_only_what_is_missing_or_changed(tmp_path, monkeypatch):
    corpus, out = sample_corpus(tmp_path, copies=3), tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = align_corpus(corpus, out, resume=True)  # nothing to resume yet
    labels = ["harbour.sr-Latn", "harbour.sr-Cyrl", "library.sr", "library2.sr", "library3.sr"]
    assert [row.label for row in first.aligned] == labels
    done = comparable(out)

    # nothing to do: no executor, so no encoder, is even started; every output is as it was
    with monkeypatch.context() as patched:
        patched.setattr(corpus_package, "open_executor", lambda *args: pytest.fail("started an executor"))
        again = align_corpus(corpus, out, resume=True)
    assert again.aligned == [] and all(row.resumed for row in again.rows)
    assert comparable(out) == done
    assert json.loads((out / "timings.json").read_text()) == {"seconds": {}, "total": 0, "resumed": 5}

    # a changed input, a lost output, a job whose files were written but not its record (the client killed)
    with open(corpus / "harbour" / "sr-Latn.txt", "a", encoding="utf-8") as extra:
        extra.write("\nLuka je ponovo otvorena.\n")
    (out / "library" / "library.en-sr.beads.jsonl").unlink()
    (out / "library2" / "library2.en-sr.job.json").unlink()
    resumed = align_corpus(corpus, out, resume=True)
    assert [row.label for row in resumed.aligned] == ["harbour.sr-Latn", "library.sr", "library2.sr"]
    assert [row.label for row in resumed.rows if row.resumed] == ["harbour.sr-Cyrl", "library3.sr"]
    fresh = tmp_path / "fresh"
    align_corpus(corpus, fresh)
    assert comparable(out) == {name: data.replace(str(fresh).encode(), str(out).encode())
                               for name, data in comparable(fresh).items()}

    # other settings or another model: everything again
    assert len(align_corpus(corpus, out, script="latn", resume=True).aligned) == 5
    assert len(align_corpus(corpus, out, script="latn", model="another-model", resume=True).aligned) == 5
    assert len(align_corpus(corpus, out, script="latn", model="another-model", resume=True).aligned) == 0


@pytest.mark.slow
@pytest.mark.model
def test_a_manifest_of_a_german_french_and_an_english_serbian_pair_with_the_model(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["corpus", str(manifest_corpus(tmp_path, ".jsonl")), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert beads(out / "station" / "station.de-fr.beads.jsonl") == [([i], [i]) for i in range(6)]
    assert beads(out / "library" / "library.en-sr.beads.jsonl") == [([i], [i]) for i in range(4)]
    assert tmx_units(out / "corpus.de-fr.tmx")[4] == {
        "tuid": "station-0005", "de": "Der Umbau kostete 4,2 Millionen Euro.",
        "fr": "Les travaux ont coûté 4,2 millions d'euros."}
    assert [u["sr-Cyrl"] for u in tmx_units(out / "corpus.en-sr-Cyrl.tmx")][3] == (
        "Кафа и даље није дозвољена у читаоници.")
    table = pl.read_parquet(out / "corpus.parquet")
    assert table.group_by("src_lang", "tgt_lang", maintain_order=True).agg(pl.len(), pl.col("ok").all()).rows() == [
        ("de", "fr", 6, True), ("en", "sr-Cyrl", 4, True)]
