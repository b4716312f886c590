"""`align check`: reading any TMX, the embedding evidence (shifts, swaps), the learnt confidence, and the whole
audit with the real model."""
from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from align import quality
from align.cli import main
from align.errors import AlignError
from align.formats import tmx
from align.pipeline import check_tmx, read_units
from align.quality import DocumentContext, UnitFacts, audit
from align.quality.profile import DocumentProfile
from align.records import Flag


def write_tmx(path, units, src_lang="en", tgt_lang="sr-Latn", tuids=True, header_lang="en"):
    document = tmx.TmxDocument("1.4", tmx.tmx_header(header_lang), [
        tmx.TmxUnit(f"tu-{k + 1}" if tuids and k % 5 else None,
                    [tmx.TmxVariant(src_lang, s), tmx.TmxVariant(tgt_lang, t)])
        for k, (s, t) in enumerate(units)])
    tmx.write_document(document, path)
    return path


def corrupted(units):
    """The fixture with known corruptions: returns the units and the positions of the corrupted ones by kind."""
    targets = [t for _, t in units]
    targets[1], targets[19] = units[19][1], units[1][1]  # swap between distant units
    for k in range(6, 10):  # shift: each target moves one unit up, the first goes to the end of the run
        targets[k] = units[k + 1][1]
    targets[10] = units[6][1]
    targets[13] = units[13][1][: len(units[13][1]) // 3]  # truncated
    targets[16] = units[16][0]  # untranslated
    kinds = {"swap": [1, 19], "shift": [6, 7, 8, 9, 10], "truncate": [13], "untranslated": [16]}
    return [(s, t) for (s, _), t in zip(units, targets)], kinds


def unit_vectors(n: int, dim: int = 48, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic embeddings: sources at random, each target close to its source."""
    rng = np.random.default_rng(seed)
    src = rng.normal(size=(n, dim))
    tgt = src + 0.45 * rng.normal(size=(n, dim))
    return (src / np.linalg.norm(src, axis=1, keepdims=True)).astype(np.float32), \
        (tgt / np.linalg.norm(tgt, axis=1, keepdims=True)).astype(np.float32)


def label_flags(units: list[UnitFacts]) -> list[list[Flag]]:
    """For every unit, the flags that only the TMX markup shows: a script subtag that its text contradicts, inline
    codes the sides do not share."""
    document = DocumentContext(DocumentProfile.of([(u.src, u.tgt) for u in units], "und", "und"))
    return [quality.flags_of(u, document, [quality.CHECKS["mislabelled-script"], quality.CHECKS["inline-codes"]])
            for u in units]


# ---------------------------------------------------------------------------------------------- reading

def test_read_pairs_takes_tuids_or_positions_and_finds_the_languages(tmp_path, water):
    path = write_tmx(tmp_path / "a.tmx", water.units()[:7])
    ids, units, src_lang, tgt_lang = read_units(path)
    assert (src_lang, tgt_lang) == ("en", "sr-Latn")
    assert ids == ["1", "tu-2", "tu-3", "tu-4", "tu-5", "6", "tu-7"]
    assert (units[1].src, units[1].tgt) == water.units()[1]


def test_read_pairs_with_languages_given(tmp_path, water):
    path = write_tmx(tmp_path / "a.tmx", water.units()[:3], header_lang="*all*")
    _, units, src_lang, tgt_lang = read_units(path, "sr", "en")
    assert (src_lang, tgt_lang) == ("sr", "en")
    assert (units[0].src, units[0].tgt) == (water.units()[0][1], water.units()[0][0])


def test_read_pairs_never_takes_the_other_script(tmp_path):
    """Asked for sr-Cyrl, a unit holding only sr-Latn has no target; "sr" takes either."""
    document = tmx.TmxDocument("1.4", tmx.tmx_header("en"), [
        tmx.TmxUnit("a", [tmx.TmxVariant("en", "Good morning."), tmx.TmxVariant("sr-Latn", "Dobro jutro.")]),
        tmx.TmxUnit("b", [tmx.TmxVariant("en-US", "Thanks."), tmx.TmxVariant("sr-Cyrl-RS", "Хвала.")])])
    path = tmp_path / "a.tmx"
    tmx.write_document(document, path)
    ids, units, _, _ = read_units(path, "en", "sr-Cyrl")
    assert [(i, u.src, u.tgt) for i, u in zip(ids, units)] == [
        ("a", "Good morning.", ""), ("b", "Thanks.", "Хвала.")]
    assert [u.tgt for u in read_units(path, "en", "sr")[1]] == ["Dobro jutro.", "Хвала."]


def test_a_side_tagged_with_the_other_script_is_mislabelled(tmp_path):
    document = tmx.TmxDocument("1.4", tmx.tmx_header("en"), [
        tmx.TmxUnit("a", [tmx.TmxVariant("en", "Good morning, everyone."),
                          tmx.TmxVariant("sr-Latn", "Добро јутро свима.")]),
        tmx.TmxUnit("b", [tmx.TmxVariant("en", "Thank you all."), tmx.TmxVariant("sr-Latn-RS", "Hvala svima.")]),
        tmx.TmxUnit("c", [tmx.TmxVariant("en", "See you soon."), tmx.TmxVariant("sr-latn-RS", "Видимо се ускоро.")])])
    path = tmp_path / "a.tmx"
    tmx.write_document(document, path)
    flags_read = label_flags(read_units(path, "en", "sr")[1])
    assert [[(f.name, f.reason) for f in flags] for flags in flags_read] == [
        [("mislabelled-script", "the target is tagged sr-Latn but written in Cyrillic script")], [],
        [("mislabelled-script", "the target is tagged sr-latn-RS but written in Cyrillic script")]]  # as in the file


def test_read_pairs_errors_name_the_file(tmp_path, water):
    path = write_tmx(tmp_path / "one.tmx", [(s, s) for s, _ in water.units()[:3]], tgt_lang="en")
    with pytest.raises(AlignError, match=r"one\.tmx: no language other than en found; give --tgt-lang"):
        read_units(path)
    with pytest.raises(AlignError, match=r"one\.tmx: no de text found"):
        read_units(path, "en", "de")


# ---------------------------------------------------------------------------------------------- evidence

def test_a_shift_is_found_and_a_clean_file_has_none():
    src, tgt = unit_vectors(40)
    assert not audit.shifted_units(audit.embedding_evidence(src, tgt)).any()
    shifted = tgt.copy()
    shifted[10:14] = tgt[11:15]
    shifted[14] = tgt[10]
    found = audit.shifted_units(audit.embedding_evidence(src, shifted))
    # units 10-13 hold the next unit's target; unit 14's target (unit 10's) fits its neighbours only by chance
    assert list(np.flatnonzero(found))[:4] == [10, 11, 12, 13] and set(np.flatnonzero(found)) <= set(range(10, 15))
    assert (found[10:14] == 1).all()


def test_a_swap_is_found_by_its_margins_and_its_partner():
    src, tgt = unit_vectors(30)
    assert (audit.swapped_units(audit.embedding_evidence(src, tgt)) == -1).all()
    swapped = tgt.copy()
    swapped[[3, 20]] = tgt[[20, 3]]
    evidence = audit.embedding_evidence(src, swapped)
    margin = evidence.margin_of(np.array([3, 20, 5]), np.array([3, 20, 5]))
    assert margin[0] < 0 and margin[1] < 0 and margin[2] > 0
    partner = audit.swapped_units(evidence)
    assert partner[3] == 20 and partner[20] == 3 and (np.delete(partner, [3, 20]) == -1).all()


def test_confidence_separates_wrong_pairs_on_synthetic_evidence(water):
    texts = water.units()
    src, tgt = unit_vectors(len(texts))
    swapped = tgt.copy()
    swapped[[2, 18]] = tgt[[18, 2]]
    ids = [str(k + 1) for k in range(len(texts))]
    units = audit.audit_units(ids, [UnitFacts(s, t) for s, t in texts], src, swapped, "en", "sr")
    wrong = {2, 18}
    assert all(not units[k].ok for k in wrong)
    assert all(u.ok for k, u in enumerate(units) if k not in wrong)
    assert all(0.0 <= u.score <= 1.0 for u in units)


def test_a_tiny_file_is_judged_by_rivals_only(water):
    src, tgt = unit_vectors(3)
    units = [UnitFacts(s, t) for s, t in water.units()[:3]]
    assert all(u.ok and u.score == 1.0 for u in audit.audit_units(["1", "2", "3"], units, src, tgt, "en", "sr"))


# ---------------------------------------------------------------------------------------------- with the model

@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize("script, tag", [("Latn", "sr-Latn"), ("Cyrl", "sr-Cyrl")])
def test_check_tmx_finds_the_corrupted_units(tmp_path, water, script, tag):
    units = water.units(script)
    bad, kinds = corrupted(units)
    path = write_tmx(tmp_path / "bad.tmx", bad, tgt_lang=tag)
    result = check_tmx(path, tmp_path / "report")
    corrupted_positions = {k for positions in kinds.values() for k in positions}
    missed = [(kind, k) for kind, positions in kinds.items() for k in positions if result.units[k].ok]
    assert not missed, [(kind, result.units[k]) for kind, k in missed]
    false_alarms = [u for k, u in enumerate(result.units) if k not in corrupted_positions and not u.ok]
    assert len(false_alarms) <= 1, false_alarms
    assert result.counts["units"] == len(units)
    assert result.counts["not_ok"] == sum(not u.ok for u in result.units)
    assert f"{len(units)} units (en -> {tag})" in result.summary_line()

    frame = pl.read_parquet(tmp_path / "report" / "units.parquet")
    assert frame["id"].to_list()[:3] == ["1", "tu-2", "tu-3"]
    assert frame["ok"].to_list() == [u.ok for u in result.units]
    assert frame["src_indices"].to_list() == [[]] * len(units)
    summary = json.loads((tmp_path / "report" / "summary.json").read_text(encoding="utf-8"))
    assert summary["kind"] == "check" and summary["units"] == len(units)
    assert summary["languages"] == {"src": "en", "tgt": tag}
    untranslated = result.units[kinds["untranslated"][0]]
    assert "untranslated" in [f.name for f in untranslated.flags]
    assert "low-margin" in [f.name for f in result.units[kinds["shift"][0]].flags]


@pytest.mark.slow
@pytest.mark.model
def test_align_check_command(tmp_path, water):
    path = write_tmx(tmp_path / "clean.tmx", water.units())
    result = CliRunner().invoke(main, ["check", str(path), "--report-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"{len(water.units())} units (en -> sr-Latn), 0 not ok" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["units.csv", "units.parquet", "summary.json", "report.html"])
    gate = ["check", str(path), "--fail-on-review"]  # no report folder: the summary line only
    clean = CliRunner().invoke(main, gate)
    assert clean.exit_code == 0 and "0 not ok" in clean.output and "report in" not in clean.output
    units, kinds = corrupted(water.units())
    gate[1] = str(write_tmx(tmp_path / "corrupted.tmx", units))
    result = CliRunner().invoke(main, gate)
    assert result.exit_code == 3 and "not ok" in result.output


def test_align_check_command_fails_in_one_line(tmp_path):
    path = tmp_path / "broken.tmx"
    path.write_text("<tmx version='1.4'><header srclang='en'/><body><tu>", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--report-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.startswith("align: error: ") and "broken.tmx" in result.output
    assert result.output.count("\n") == 1


def test_inline_codes_the_sides_do_not_share_are_flagged(tmp_path):
    path = tmp_path / "codes.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"'
        ' o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>'
        '<tu tuid="1"><tuv xml:lang="en"><seg>Press <ph x="1">{0}</ph> to <bpt i="1">&lt;b&gt;</bpt>go'
        '<ept i="1">&lt;/b&gt;</ept>.</seg></tuv><tuv xml:lang="sr-Latn"><seg>Pritisnite da krenete.</seg></tuv></tu>'
        '<tu tuid="2"><tuv xml:lang="en"><seg>Hi <ph x="1">{0}</ph>.</seg></tuv>'
        '<tuv xml:lang="sr-Latn"><seg>Zdravo <ph x="1">{0}</ph>.</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    _, units, _, _ = read_units(path)
    assert (units[0].src, units[0].tgt) == ("Press  to go.", "Pritisnite da krenete.")
    assert [[(f.name, f.reason) for f in flags] for flags in label_flags(units)] == [
        [("inline-codes", "inline codes differ: source 1 bpt, 1 ept, 1 ph, target none")], []]


def test_a_file_with_targets_in_both_scripts_checks_them_all(tmp_path):
    """No script is taken for the target when both are found; a Cyrillic text quoting Latin brands is Cyrillic."""
    document = tmx.TmxDocument("1.4", tmx.tmx_header("en"), [
        tmx.TmxUnit("a", [tmx.TmxVariant("en", "Good morning."), tmx.TmxVariant("sr-Latn", "Dobro jutro.")]),
        tmx.TmxUnit("b", [tmx.TmxVariant("en", "Facebook and YouTube, Microsoft Windows."),
                          tmx.TmxVariant("sr-Cyrl", "Бренд Facebook и YouTube, Microsoft Windows.")]),
        tmx.TmxUnit("c", [tmx.TmxVariant("en", "Thank you all."), tmx.TmxVariant("sr-Cyrl", "Hvala svima, drugovi.")])])
    path = tmp_path / "both.tmx"
    tmx.write_document(document, path)
    _, units, _, tgt_lang = read_units(path)
    assert tgt_lang == "sr" and [u.tgt for u in units] == [
        "Dobro jutro.", "Бренд Facebook и YouTube, Microsoft Windows.", "Hvala svima, drugovi."]
    assert [[f.name for f in flags] for flags in label_flags(units)] == [[], [], ["mislabelled-script"]]
