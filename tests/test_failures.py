"""Failure behaviour through the real CLI: one line naming the file and the problem, exit 2 for usage errors and
1 for failures, no traceback unless --debug, and no partial output.

Exit 2 (usage): bad or missing options and values, an input path that does not exist or is a directory,
nothing to write. Exit 1 (failure): an input that exists but cannot be used (empty, binary, undecodable,
malformed or unsafe TMX), an output that cannot be written, a corpus in which a document failed.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
GOOD_EN = INPUTS / "encodings" / "en.utf-8.txt"
GOOD_SR = INPUTS / "encodings" / "sr-Latn.utf-8.txt"
ALIGN = Path(sys.executable).parent / "align"

# input file -> (exit status, what the line says)
BAD_INPUTS = {
    "missing.txt": (2, "cannot read: No such file or directory"),
    "empty.txt": (1, "empty file"),
    "whitespace.txt": (1, "contains only whitespace"),
    "binary.txt": (2, "unsupported file type (a PNG image"),  # a type no reader takes is a usage error
    "undecodable.txt": (1, "undecodable"),
    "mixed-encodings.txt": (1, "mixed encodings, re-save the file as UTF-8"),
}


def run(*args: str | Path):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}")
    return result


def assert_one_error_line(result, path: Path | str, problem: str) -> None:
    assert result.stderr.splitlines() == [result.stderr.strip()], f"not one line: {result.stderr!r}"
    assert result.stderr.startswith(f"align: error: {path}: "), result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.output + result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_to_split(name):
    status, problem = BAD_INPUTS[name]
    path = INPUTS / "bad" / name
    result = run("split", path, "--lang", "sr")
    assert result.exit_code == status
    assert_one_error_line(result, path, problem)


def test_a_directory_as_input_is_a_usage_error():
    """click's own check (dir_okay=False) answers first, in click's usage-error format."""
    result = run("split", INPUTS / "bad", "--lang", "sr")
    assert result.exit_code == 2
    assert f"Error: Invalid value for 'FILE': File '{INPUTS / 'bad'}' is a directory." in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_failed_pair_leaves_existing_outputs_untouched(tmp_path, name):
    status, problem = BAD_INPUTS[name]
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.tmx").write_text("previous TMX\n")
    (out / "doc.jsonl").write_text("previous beads\n")
    before = snapshot(out)
    bad = INPUTS / "bad" / name
    result = run("pair", GOOD_EN, bad, "-o", out / "doc.tmx", "--beads", out / "doc.jsonl",
                 "--report-dir", out / "report")
    assert result.exit_code == status
    assert_one_error_line(result, bad, problem)
    assert snapshot(out) == before  # same files, same bytes, no temporary files left behind
    assert not (out / "report").exists()


def test_output_under_a_regular_file_is_reported(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be\n")
    result = run("split", GOOD_SR, "--lang", "sr", "-o", blocker / "out.txt")
    assert result.exit_code == 1
    assert_one_error_line(result, blocker, "cannot create output directory")


def test_output_in_an_immutable_directory_is_reported(tmp_path):
    """Tests run as root, for whom permission bits do not bar writing; the immutable attribute does."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "out.txt").write_text("previous\n")
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", locked]).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        result = run("split", GOOD_SR, "--lang", "sr", "-o", locked / "out.txt")
    finally:
        subprocess.run(["chattr", "-i", locked], check=True)
    assert result.exit_code == 1
    assert_one_error_line(result, locked / "out.txt", "cannot write")
    assert snapshot(locked) == {"out.txt": b"previous\n"}


@pytest.mark.parametrize("bad_output", [["--beads", "/proc/align-test/beads.jsonl"],
                                        ["--report-dir", "/proc/align-test/report"]])
def test_pair_writes_no_output_when_one_cannot_be_written(tmp_path, bad_output):
    """Checked before aligning: the TMX that could be written is not, and nothing is created on the way."""
    result = run("pair", GOOD_EN, GOOD_SR, "-o", tmp_path / "new" / "doc.tmx", *bad_output)
    assert result.exit_code == 1
    assert_one_error_line(result, Path(bad_output[1]) / ("units.csv" if "report" in bad_output[0] else ""),
                          "cannot write")
    assert list(tmp_path.iterdir()) == []


def test_pair_never_overwrites_an_input_or_writes_two_outputs_to_one_file(tmp_path):
    src, tgt = tmp_path / "en.txt", tmp_path / "sr.txt"
    src.write_bytes(GOOD_EN.read_bytes())
    tgt.write_bytes(GOOD_SR.read_bytes())
    result = run("pair", src, tgt, "-o", src)
    assert result.exit_code == 2
    assert_one_error_line(result, src, "would overwrite an input; give another output path")
    result = run("pair", src, tgt, "-o", tmp_path / "out.tmx", "--beads", tmp_path / "out.tmx")
    assert result.exit_code == 2
    assert_one_error_line(result, tmp_path / "out.tmx", "would overwrite another output")
    assert src.read_bytes() == GOOD_EN.read_bytes() and sorted(p.name for p in tmp_path.iterdir()) == [
        "en.txt", "sr.txt"]


def test_missing_output_directories_are_created(tmp_path):
    target = tmp_path / "new" / "deeper" / "out.txt"
    result = run("split", GOOD_SR, "--lang", "sr", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("Stara luka grada obnovljena je prošlog proleća.\n")


def test_corpus_failures(tmp_path):
    missing = tmp_path / "no-such-corpus"
    result = run("corpus", missing, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert_one_error_line(result, missing, "no such directory")

    empty = tmp_path / "empty-corpus"
    (empty / "doc").mkdir(parents=True)
    (empty / "doc" / "en.txt").write_text("Only English.\n")
    result = run("corpus", empty, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert_one_error_line(result, empty, "no subfolder holds en.txt and a Serbian file")

    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("corpus", INPUTS / "corpus", "-o", blocker / "out")
    assert result.exit_code == 1
    assert_one_error_line(result, blocker / "out", "cannot create output directory")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, says", [
    (["pair", GOOD_EN, GOOD_SR], "nothing to write"),
    (["corpus", INPUTS / "corpus"], "Missing option '-o'"),
    (["corpus", INPUTS / "corpus", "-o", "x", "--workers", "0"], "Invalid value for '--workers'"),
    (["pair", GOOD_EN, GOOD_SR, "-o", "x.tmx", "--script", "greek"], "Invalid value for '--script'"),
    (["pair", GOOD_EN, GOOD_SR, "--tgt-lang", "hr", "-o", "x.tmx", "--script", "cyrl"],
     "--script cyrl converts Serbian text, but neither en nor hr is Serbian"),
    (["split", GOOD_EN], "Missing option '--lang'"),
    (["export", "x.tmx", "--format", "docx", "-o", "x"], "Invalid value for '--format'"),
    (["frobnicate"], "No such command"),
])
def test_usage_errors_exit_2_without_traceback(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_real_process_one_line_and_traceback_only_with_debug():
    empty = INPUTS / "bad" / "empty.txt"
    plain = subprocess.run([ALIGN, "split", empty, "--lang", "sr"], capture_output=True, text=True)
    assert plain.returncode == 1
    assert plain.stderr == f"align: error: {empty}: empty file\n"
    debug = subprocess.run([ALIGN, "--debug", "split", empty, "--lang", "sr"], capture_output=True, text=True)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert f"AlignError: {empty}: empty file" in debug.stderr


# --- TMX inputs of `align export` and `align check` -------------------------------------------------------

TMX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
TMX_BODY = ('<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" '
            'creationtool="test" creationtoolversion="1" o-tmf="test"/><body><tu><tuv xml:lang="en"><seg>{en}</seg>'
            '</tuv><tuv xml:lang="sr-Latn"><seg>Zdravo.</seg></tuv></tu></body></tmx>\n')


def bad_tmx_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the error line says)."""
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-1234")
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    texts = {
        "truncated": (TMX_HEAD + TMX_BODY.format(en="Hello.")[:150], "not well-formed XML"),
        "not-tmx": (TMX_HEAD + "<html><body><p>Hello.</p></body></html>\n", "not a TMX file"),
        "empty": ("", "not well-formed XML"),
        "external-entity": (TMX_HEAD + f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                            + TMX_BODY.format(en="&xxe;"), "entity"),
        "billion-laughs": (TMX_HEAD + "<!DOCTYPE tmx [\n" + "\n".join(lol) + "\n]>\n"
                           + TMX_BODY.format(en="&lol9;"), "entit"),
    }
    files = {"missing": (folder / "missing.tmx", "cannot read: No such file or directory")}
    for name, (text, says) in texts.items():
        path = folder / f"{name}.tmx"
        path.write_text(text, encoding="utf-8")
        files[name] = (path, says)
    return files


TMX_CASES = ["missing", "truncated", "not-tmx", "empty", "external-entity", "billion-laughs"]


@pytest.mark.parametrize("name", TMX_CASES)
def test_malformed_or_unsafe_tmx_to_export(tmp_path, name):
    path, says = bad_tmx_files(tmp_path)[name]
    out = tmp_path / "out.tsv"
    started = time.perf_counter()
    result = run("export", path, "--format", "tsv", "-o", out)
    assert time.perf_counter() - started < 5
    assert result.exit_code == (2 if name == "missing" else 1)
    assert_one_error_line(result, path, says)
    assert "TOP-SECRET" not in result.output + result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", TMX_CASES)
def test_malformed_or_unsafe_tmx_to_check(tmp_path, name):
    path, says = bad_tmx_files(tmp_path)[name]
    report = tmp_path / "report"
    result = run("check", path, "--report-dir", report)
    assert result.exit_code == (2 if name == "missing" else 1)
    assert_one_error_line(result, path, says)
    assert "TOP-SECRET" not in result.output + result.stderr
    assert not report.exists() or not any(report.iterdir())


@pytest.mark.slow
def test_unwritable_tmx_after_a_real_alignment(tmp_path):
    """The alignment runs, the write fails: one line, exit 1, nothing else written."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("pair", GOOD_EN, GOOD_SR, "-o", blocker / "doc.tmx", "-q")
    assert result.exit_code == 1
    assert_one_error_line(result, blocker, "cannot create output directory")
    assert snapshot(tmp_path) == {"file": b"x"}
