"""What a QA script relies on: language tags checked as BCP 47 (a usage error naming the option), and
`--fail-on-review` (exit status 3) on pair, corpus and check; small things a user reads (plurals, notices)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from align import pipeline
from align.cli import main
from align.errors import AlignUsageError
from align.languages import validate_tag

INTERVIEW = Path(__file__).resolve().parent.parent / "corpora" / "interview"
EN = "The bridge opened on Saturday. Thousands crossed it.\n\nIt cost 28 million euros.\n"
SR = "Most je otvoren u subotu. Hiljade su ga prešle.\n\nKoštao je 28 miliona evra.\n"


@pytest.mark.parametrize("tag", ["en", "sr", "sr-Latn", "sr-Cyrl-RS", "de-CH", "srp", "sh", "cnr", "zh-Hans", "EN",
                                 "sr_RS"])
def test_valid_tags_pass(tag):
    assert validate_tag(tag, "--tgt-lang")


@pytest.mark.parametrize("tag", ["serbian", "xx", "", "e", "sr-", "12"])
def test_a_tag_that_names_no_language_is_a_usage_error(tag):
    with pytest.raises(AlignUsageError, match="--tgt-lang"):
        validate_tag(tag, "--tgt-lang")


@pytest.mark.parametrize("command", [
    ["pair", "en.txt", "sr.txt", "--tgt-lang", "serbian", "-o", "o.tmx"],
    ["pair", "en.txt", "sr.txt", "--src-lang", "xx", "-o", "o.tmx"],
    ["split", "en.txt", "--lang", "english"],
    ["check", "o.tmx", "--tgt-lang", "xx"],
])
def test_the_command_line_refuses_a_bad_tag_in_one_line_naming_the_option(tmp_path, monkeypatch, command):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "sr.txt").write_text(SR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    option = next(word for word in command if word.startswith("--") and word.endswith("lang"))
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and option in result.output and "not a language tag" in result.output
    assert not (tmp_path / "o.tmx").exists()


def test_pair_fails_on_review_only_when_asked(tmp_path):
    en, sr = tmp_path / "en.txt", tmp_path / "sr.txt"
    en.write_text(EN + "\nThis sentence has no translation at all, none.\n", encoding="utf-8")
    sr.write_text(SR, encoding="utf-8")
    common = ["pair", str(en), str(sr), "-o", str(tmp_path / "o.tmx")]
    assert CliRunner().invoke(main, common).exit_code == 0
    result = CliRunner().invoke(main, [*common, "--fail-on-review"])
    assert result.exit_code == 3 and "to review" in result.output
    assert (tmp_path / "o.tmx").exists()  # the outputs are written all the same


def test_corpus_fails_on_review(tmp_path):
    corpus = tmp_path / "corpus" / "doc"
    corpus.mkdir(parents=True)
    (corpus / "en.txt").write_text(EN + "\nThis sentence has no translation at all, none.\n", encoding="utf-8")
    (corpus / "sr.txt").write_text(SR, encoding="utf-8")
    common = ["corpus", str(tmp_path / "corpus"), "-o", str(tmp_path / "out"), "--quiet"]
    assert CliRunner().invoke(main, common).exit_code == 0
    assert CliRunner().invoke(main, [*common, "--fail-on-review"]).exit_code == 3


def test_api_refuses_a_bad_tag_too():
    with pytest.raises(AlignUsageError, match="tgt_lang"):
        pipeline.align_sentences(["Hello."], ["Zdravo."], "en", "serbian")


def test_presplit_on_paragraph_text_is_noticed(tmp_path):
    shutil.copy(INTERVIEW / "en.txt", tmp_path / "en.txt")
    shutil.copy(INTERVIEW / "sr-Latn.txt", tmp_path / "sr.txt")
    result = CliRunner().invoke(main, ["pair", str(tmp_path / "en.txt"), str(tmp_path / "sr.txt"), "--presplit",
                                       "-o", str(tmp_path / "o.tmx")])
    assert result.exit_code == 0
    assert "really one sentence per line" in result.output
    plain = CliRunner().invoke(main, ["pair", str(INTERVIEW / "en.sent"), str(INTERVIEW / "sr-Latn.sent"),
                                      "--presplit", "-o", str(tmp_path / "p.tmx")])
    assert "really one sentence per line" not in plain.output
