"""Other tools' inline codes survive: `merge` writes every unit it keeps with its inline markup and attributes as
they were; `export` keeps the codes' native text by default (or drops them, or keeps the XML); `check` shows
them and flags a unit whose sides do not share them. TMX files in the styles of Trados, memoQ and OmegaT."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.formats.tmx import read_tmx

TMX = Path(__file__).resolve().parent / "data" / "tmx"
STYLES = ["inline-trados.tmx", "inline-memoq.tmx", "inline-omegat.tmx"]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def segments(path: Path) -> list[tuple[dict, str]]:
    """Each <tuv>'s attributes (the language under one name) and its <seg> as XML, in file order."""
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False))
    found = []
    for tuv in root.iter("tuv"):
        attrs = {k: v for k, v in tuv.attrib.items() if k not in (XML_LANG, "lang")}
        attrs["language"] = tuv.get(XML_LANG) or tuv.get("lang")
        found.append((attrs, etree.tostring(tuv.find("seg"), encoding="unicode", with_tail=False)))
    return found


def unit_attributes(path: Path) -> list[dict]:
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False))
    return [dict(tu.attrib) for tu in root.iter("tu")]


def props(path: Path) -> list[list[tuple[str, str]]]:
    return [unit.props for unit in read_tmx(path).units]


@pytest.mark.parametrize("name", STYLES)
def test_merge_keeps_inline_markup_and_attributes_exactly(tmp_path, name):
    merged = tmp_path / "merged.tmx"
    result = CliRunner().invoke(main, ["merge", str(TMX / name), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    assert segments(merged) == segments(TMX / name)
    assert unit_attributes(merged) == unit_attributes(TMX / name)
    assert props(merged) == props(TMX / name)
    assert "<ph" in merged.read_text(encoding="utf-8")


def test_merging_two_styles_keeps_both_and_drops_only_true_duplicates(tmp_path):
    merged = tmp_path / "merged.tmx"
    result = CliRunner().invoke(main, ["merge", str(TMX / "inline-trados.tmx"), str(TMX / "inline-trados.tmx"),
                                       "-o", str(merged)])
    assert result.exit_code == 0 and "2 duplicates dropped" in result.output
    assert segments(merged) == segments(TMX / "inline-trados.tmx")


@pytest.mark.parametrize("inline, src, tgt", [
    ("native", "You have {0} unread <b>messages</b>.", "Imate {0} nepročitanih <b>poruka</b>."),
    ("drop", "You have  unread messages.", "Imate  nepročitanih poruka."),
    ("xml", 'You have <ph x="1" type="x-placeholder">{0}</ph> unread <bpt i="1" x="2" type="bold">&lt;b&gt;</bpt>'
            'messages<ept i="1">&lt;/b&gt;</ept>.', None),
])
def test_export_keeps_the_codes_native_text_by_default(tmp_path, inline, src, tgt):
    out = tmp_path / "pairs.jsonl"
    options = [] if inline == "native" else ["--inline", inline]
    result = CliRunner().invoke(main, ["export", str(TMX / "inline-trados.tmx"), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["src"] == src
    if tgt is not None:
        assert first["tgt"] == tgt


@pytest.mark.parametrize("name, placeholder", [("inline-memoq.tmx", "<br/>"), ("inline-omegat.tmx", "<b0>")])
def test_export_native_text_of_other_styles(tmp_path, name, placeholder):
    out = tmp_path / "pairs.tsv"
    assert CliRunner().invoke(main, ["export", str(TMX / name), "-o", str(out)]).exit_code == 0
    assert placeholder in out.read_text(encoding="utf-8")


def test_check_report_shows_the_codes_and_flags_a_lost_one(tmp_path):
    broken = tmp_path / "broken.tmx"
    text = (TMX / "inline-trados.tmx").read_text(encoding="utf-8")
    # the second unit's target loses its placeholder
    broken.write_text(text.replace('kao <ph x="3" type="x-filename">%s</ph> i', "kao i"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(broken), "--report-dir", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert '<span class="code" title="inline code">{0}</span>' in page
    assert '<span class="code" title="inline code">&lt;b&gt;</span>' in page
    assert "inline-codes" in result.output
