"""`align corpus`: discovery, the summary, and (slow) whole batches with the real model, one worker or two."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.corpus import CorpusResult, DocumentRow, align_corpus, discover_corpus, write_summary
from align.errors import AlignError

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
    return [DocumentRow("harbour.sr-Latn", "harbour", "sr-Latn.txt", src_sentences=6, tgt_sentences=6, units=6,
                        flagged=1, seconds=1.25, tag="sr-Latn"),
            DocumentRow("library.sr", "library", "sr.txt", status="failed",
                        error="corpus/library/sr.txt: empty file", seconds=0.01),
            DocumentRow("mixup.sr", "mixup", "sr.txt", status="suspect", src_sentences=8, tgt_sentences=9, units=8,
                        flagged=8, seconds=0.5, tag="sr-Latn", warning="not translations"),
            DocumentRow("notes", "notes", "", status="skipped", error="skipped: no en.txt; found EN.txt, sr.txt")]


def test_summary_table_and_files(tmp_path):
    result = CorpusResult(rows(), merged=[], summaries=write_summary(rows(), tmp_path, "corpus", "keep", []))
    assert result.table().splitlines() == [
        "document         sentences en/sr  units  flagged  time  status",
        "---------------  ---------------  -----  -------  ----  ------------------------------------",
        "harbour.sr-Latn              6/6      6        1  1.2s  ok",
        "library.sr                   0/0      0        0  0.0s  failed",
        "mixup.sr                     8/9      8        8  0.5s  suspect",
        "notes                        0/0      0        0  0.0s  skipped",
        "---------------  ---------------  -----  -------  ----  ------------------------------------",
        "total                      14/15     14        9  1.8s  1 ok, 1 suspect, 1 failed, 1 skipped",
    ]
    assert [row.label for row in result.failed] == ["library.sr"]
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"jobs": 3, "ok": 1, "suspect": 1, "failed": 1, "skipped": 1,
                                 "src_sentences": 14, "tgt_sentences": 15, "units": 14, "flagged": 9,
                                 "to_review": 0}
    # the seconds are the one thing that differs run to run: in a file of their own
    assert json.loads((tmp_path / "timings.json").read_text(encoding="utf-8")) == {
        "seconds": {"harbour.sr-Latn": 1.25, "library.sr": 0.01, "mixup.sr": 0.5}, "total": 1.76}
    assert summary["documents"][1]["error"] == "corpus/library/sr.txt: empty file"
    assert (tmp_path / "summary.csv").read_text(encoding="utf-8").splitlines() == [
        "label,document,serbian_file,tag,status,src_sentences,tgt_sentences,units,flagged,to_review,error,warning",
        "harbour.sr-Latn,harbour,sr-Latn.txt,sr-Latn,ok,6,6,6,1,0,,",
        "library.sr,library,sr.txt,,failed,0,0,0,0,0,corpus/library/sr.txt: empty file,",
        "mixup.sr,mixup,sr.txt,sr-Latn,suspect,8,9,8,8,0,,not translations",
        "notes,notes,,,skipped,0,0,0,0,0,\"skipped: no en.txt; found EN.txt, sr.txt\",",
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

    assert "documents: 100%" in capsys.readouterr().err  # the progress bar, on stderr
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
    assert lines[0].split() == ["document", "sentences", "en/sr", "units", "flagged", "time", "status"]
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
        "corpus.en-sr-Cyrl.tmx", "corpus.en-sr-Latn.tmx", "ok", "summary.csv", "summary.json", "timings.json"]
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
