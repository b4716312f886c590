"""The CLI contract other issues and outside checks rely on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from align import pipeline
from align.cli import main

COMMANDS = ["pair", "write", "review", "edit", "split", "corpus", "check", "export", "merge", "info", "flags"]

EN = """The general visited Belgrade in October.

He met the minister of defence. They talked about the exercise.

The weather was cold."""

SR = """General je u oktobru posetio Beograd.

Sastao se s ministrom odbrane i razgovarali su o vežbi.

Vreme je bilo hladno."""


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "align"
    completed = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("align, version ")


@pytest.mark.model
def test_info_prints_json_with_resolved_model():
    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert {"version", "model", "model_path", "cache_dir"} <= info.keys()
    assert Path(info["model_path"]).is_dir()


def test_pair_writes_beads_covering_every_sentence(tmp_path):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "sr.txt").write_text(SR, encoding="utf-8")
    beads_path = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["pair", str(tmp_path / "en.txt"), str(tmp_path / "sr.txt"),
                                       "--src-lang", "en", "--tgt-lang", "sr", "--beads", str(beads_path),
                                       "-o", str(tmp_path / "out.tmx")])
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in beads_path.read_text().splitlines()]
    assert [b["src"] for b in beads if b["src"]] == [[0], [1, 2], [3]]
    assert [b["tgt"] for b in beads if b["tgt"]] == [[0], [1], [2]]
    assert all(0.0 <= b["score"] <= 1.0 for b in beads)
    assert 'xml:lang="sr-Latn"' in (tmp_path / "out.tmx").read_text(encoding="utf-8")


def test_pair_without_outputs_is_a_usage_error(tmp_path):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    result = CliRunner().invoke(main, ["pair", str(tmp_path / "en.txt"), str(tmp_path / "en.txt")])
    assert result.exit_code == 2
    assert "nothing to write" in result.output


def test_split_puts_an_empty_line_between_paragraphs(tmp_path):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    result = CliRunner().invoke(main, ["split", str(tmp_path / "en.txt"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == ("The general visited Belgrade in October.\n\nHe met the minister of defence.\n"
                             "They talked about the exercise.\n\nThe weather was cold.\n")


def _pair_stderr(tmp_path: Path, *options: str, terminal: bool) -> str:
    """What `align pair` writes to stderr, on a pseudo-terminal or on a pipe; cache off, so the model encodes."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios
    import time

    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "sr.txt").write_text(SR, encoding="utf-8")
    command = [str(Path(sys.executable).parent / "align"), "pair", str(tmp_path / "en.txt"),
               str(tmp_path / "sr.txt"), "--src-lang", "en", "--tgt-lang", "sr", "-o", str(tmp_path / "out.tmx"),
               *options]
    env = dict(os.environ, ALIGN_NO_CACHE="1")
    if not terminal:
        completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        assert completed.returncode == 0, completed.stderr
        return completed.stderr
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child, env=env)
    os.close(child)
    output, deadline = b"", time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            if not select.select([parent], [], [], 1.0)[0]:
                continue
            try:
                chunk = os.read(parent, 4096)
            except OSError:  # the terminal is closed once the process has exited
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(parent)
        if process.poll() is None and time.monotonic() >= deadline:
            process.kill()
    assert process.wait(timeout=60) == 0, output.decode(errors="replace")
    return output.decode(errors="replace")


@pytest.mark.slow
@pytest.mark.model
def test_progress_bar_on_a_terminal_and_not_with_quiet_or_on_a_pipe(tmp_path):
    assert "100%|" in _pair_stderr(tmp_path, terminal=True)
    for quiet in (_pair_stderr(tmp_path, "--quiet", terminal=True), _pair_stderr(tmp_path, terminal=False)):
        assert "%|" not in quiet and "wrote " in quiet


@pytest.mark.parametrize("path, name", [
    ("docs/harbour/en.txt", "harbour"), ("docs/harbour/sr-Latn.txt", "harbour"), ("x/SR_rs.txt", "x"),
    ("docs/harbour-report.en.txt", "harbour-report"), ("docs/guide.sr-Latn.txt", "guide"),
    ("docs/interview.txt", "interview"), ("docs/v1.2.txt", "v1.2"),
])
def test_a_document_is_named_after_its_file_or_a_language_named_files_folder(path, name):
    assert pipeline.document_name(path) == name
