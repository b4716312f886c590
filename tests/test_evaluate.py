"""align.evaluate on hand-made alignments whose scores are worked out by hand."""
import pytest

from align.errors import AlignError
from align.evaluate import evaluate, parse_bead_line, read_beads


def format_bead(src, tgt) -> str:
    """The gold files' line format, `[0]:[0, 1]`, written independently of the parser."""
    return f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]"


GOLD = [((0,), (0, 1)), ((1,), (2,)), ((2,), ()), ((3, 4), (3,)), ((), (4,))]


def test_parse_the_standard_line_format():
    assert parse_bead_line("[0]:[0, 1]") == ((0,), (0, 1))
    assert parse_bead_line("[3]:[]") == ((3,), ())
    assert parse_bead_line("[]:[5]") == ((), (5,))
    assert parse_bead_line(" [0,1]:[2] ") == ((0, 1), (2,))
    with pytest.raises(ValueError):
        parse_bead_line("0:1")


def test_format_round_trips():
    for bead in GOLD:
        assert parse_bead_line(format_bead(*bead)) == bead


def test_read_beads_names_the_file_and_line(tmp_path):
    good = tmp_path / "gold"
    good.write_text("[0]:[0, 1]\n\n[1]:[]\n", encoding="utf-8")
    assert read_beads(good) == [((0,), (0, 1)), ((1,), ())]
    bad = tmp_path / "bad"
    bad.write_text("[0]:[0]\n[1]-[1]\n", encoding="utf-8")
    with pytest.raises(AlignError, match=r"bad: line 2"):
        read_beads(bad)
    with pytest.raises(AlignError, match="missing"):
        read_beads(tmp_path / "missing")


def test_perfect_alignment_scores_one_and_ignores_empty_sides():
    result = evaluate([(GOLD, GOLD)])
    assert result.counts.gold == 3 and result.counts.system == 3  # 1-0 and 0-1 beads left out
    assert result.strict.f1 == result.lax.f1 == 1.0


def test_strict_and_lax_by_hand():
    system = [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), ()), ((3,), (3,)), ((4,), (4,))]
    result = evaluate([(system, GOLD)])
    # system units: [0]:[0] (lax only), [1]:[2] (exact), [3]:[3] (lax only), [4]:[4] (wrong: 4 is an insertion)
    assert (result.counts.system, result.counts.strict_system, result.counts.lax_system) == (4, 1, 3)
    # gold units: [0]:[0,1] (lax), [1]:[2] (exact), [3,4]:[3] (lax via [3]:[3])
    assert (result.counts.gold, result.counts.strict_gold, result.counts.lax_gold) == (3, 1, 3)
    assert result.strict.precision == pytest.approx(1 / 4)
    assert result.strict.recall == pytest.approx(1 / 3)
    assert result.strict.f1 == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert result.lax.precision == pytest.approx(3 / 4)
    assert result.lax.recall == pytest.approx(1.0)


def test_lax_needs_one_gold_bead_sharing_both_sides():
    gold = [((0,), (0,)), ((1,), (1,))]
    crossed = [((0,), (1,)), ((1,), (0,))]  # each shares a source with one gold bead, a target with the other
    result = evaluate([(crossed, gold)])
    assert result.counts.lax_system == 0 and result.lax.f1 == 0.0


def test_counts_are_summed_over_documents_before_scores():
    good = [((0,), (0,))]
    bad = [((0,), (1,)), ((1,), (0,)), ((2,), (2,))]
    gold_bad = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    result = evaluate([(good, good), (bad, gold_bad)])
    # micro average: 2 correct of 4 system beads and of 4 gold beads, not the mean of 1.0 and 1/3
    assert result.strict.precision == result.strict.recall == pytest.approx(0.5)


def test_empty_alignment_scores_zero():
    result = evaluate([([], GOLD)])
    assert result.strict.f1 == 0.0 and result.strict.precision == 0.0
