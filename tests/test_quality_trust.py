"""Issue 14: confidence and flags agree (a unit that is not ok never shows a good confidence), a sentence left out
of a unit is caught (`align check` and `align pair`), numbers written differently compare equal, and the splitter
items (their gold passages are in tests/data/segment, run by test_segment.py)."""
from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from align import pipeline, quality
from align.formats import tmx
from align.quality import DocumentContext, UnitFacts
from align.quality.checks import omission
from align.quality.facts import Sentences, SimilarityScale
from align.quality.features import number_readings
from align.quality.profile import DocumentProfile
from align.records import Bead, Flag
from align.segment import split_paragraph

# A short software-help TMX (en -> sr-Latn) of the kind the issue was found with.
HELP_UNITS = [
    ("Click Save to keep your changes. Any unsaved work will be lost.", "Kliknite Sačuvaj da biste zadržali izmene."),
    ("Open the File menu and choose Export.", "Otvorite meni Datoteka i izaberite Izvoz."),
    ("The file could not be opened.", "Datoteku nije moguće otvoriti."),
    ("Your password must contain at least eight characters.", "Vaša lozinka mora da sadrži najmanje osam znakova."),
    ("Do you want to delete this folder?", "Da li želite da izbrišete ovu fasciklu?"),
    ("Check your internet connection and try again.", "Check your internet connection and try again."),
    ("The update was installed successfully.", "Ажурирање је успешно инсталирано."),
    ("Select a printer from the list.", "Izaberite štampač sa liste."),
    ("The meeting starts at 6 p.m. in room 12.", "Sastanak počinje u 18 časova u sali 12."),
    ("Backups run every day at 10:15.", "Rezervne kopije prave se svakog dana u 10.15."),
    ("You have no new messages.", "Nemate novih poruka."),
    ("Restart the application to apply the settings.", "Ponovo pokrenite aplikaciju da biste primenili podešavanja."),
]
FULL_FIRST_UNIT = ("Click Save to keep your changes. Any unsaved work will be lost.",
                   "Kliknite Sačuvaj da biste zadržali izmene. Sav nesačuvan rad biće izgubljen.")


def write_tmx(path, units, src_lang="en", tgt_lang="sr-Latn"):
    document = tmx.TmxDocument("1.4", tmx.tmx_header(src_lang), [
        tmx.TmxUnit(f"u{k + 1}", [tmx.TmxVariant(src_lang, s), tmx.TmxVariant(tgt_lang, t)])
        for k, (s, t) in enumerate(units)])
    tmx.write_document(document, path)
    return path


# ---------------------------------------------------------------------------------------------- confidence vs flags

def test_a_severe_flag_caps_the_confidence_shown_and_a_hint_does_not():
    severe, hint = quality.flag("untranslated", "copy"), quality.flag("numbers", "12 not in the target")
    assert quality.shown_confidence(0.9997, [severe]) == quality.FLAGGED_CONFIDENCE < quality.MIN_CONFIDENCE
    assert quality.shown_confidence(0.2, [severe]) == 0.2  # already low: the model's own value
    assert quality.shown_confidence(0.9997, [hint]) == 0.9997
    assert quality.shown_confidence(0.9997, []) == 0.9997


def test_pair_shows_a_capped_confidence_in_the_tmx_and_the_report(tmp_path):
    english = ["The water supply will be interrupted tomorrow morning.", "Check your connection and try again.",
               "Crews will repair the main pipe.", "Residents should store some water tonight.",
               "The works should end by noon."]
    serbian = ["Snabdevanje vodom biće prekinuto sutra ujutru.", "Check your connection and try again.",
               "Ekipe će popraviti glavnu cev.", "Stanari treba večeras da sačuvaju nešto vode.",
               "Radovi bi trebalo da se završe do podneva."]
    alignment = pipeline.align_sentences(english, serbian, "en", "sr")
    copy = next(b for b in alignment.units if b.src == (1,))
    assert "untranslated" in [f.name for f in copy.flags if f.severe]
    assert copy.score <= quality.FLAGGED_CONFIDENCE
    pipeline.write_outputs(alignment, tmx_path=tmp_path / "out.tmx", report_dir=tmp_path / "report")
    shown = {unit.variants[0].text: float(dict(unit.props)["x-confidence"])
             for unit in tmx.read_tmx(tmp_path / "out.tmx").units}
    assert shown[english[1]] < quality.MIN_CONFIDENCE
    rows = pl.read_csv(tmp_path / "report" / "units.csv")
    assert rows.filter(~pl.col("ok"))["score"].max() < quality.MIN_CONFIDENCE


def test_rescoring_gives_back_the_same_capped_confidences():
    english = ["Check your connection and try again.", "Crews will repair the main pipe.",
               "Residents should store some water tonight."]
    serbian = ["Check your connection and try again.", "Ekipe će popraviti glavnu cev.",
               "Stanari treba večeras da sačuvaju nešto vode."]
    alignment = pipeline.align_sentences(english, serbian, "en", "sr")
    before = [(b.score, b.flags) for b in alignment.beads]
    pipeline.rescore(alignment)
    assert [(b.score, b.flags) for b in alignment.beads] == before


def test_check_caps_units_flagged_untranslated_or_mislabelled(tmp_path):
    result = pipeline.check_tmx(write_tmx(tmp_path / "help.tmx", HELP_UNITS))
    by_source = {row.src: row for row in result.units}
    for source, flag in ((HELP_UNITS[5][0], "untranslated"), (HELP_UNITS[6][0], "mislabelled-script")):
        row = by_source[source]
        assert flag in [f.name for f in row.flags] and not row.ok
        assert row.score < quality.MIN_CONFIDENCE
    assert all(row.score < quality.MIN_CONFIDENCE for row in result.units if not row.ok)


# ---------------------------------------------------------------------------------------------- omitted sentence

def _vector(*weights: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[:len(weights)] = weights
    return vector / np.linalg.norm(vector)


SCALE = SimilarityScale(unrelated=0.0, translated=0.9)
SAVE, LOST = "Click Save to keep your changes.", "Any unsaved work will be lost."
SACUVAJ, IZGUBLJEN = "Kliknite Sačuvaj da biste zadržali izmene.", "Sav nesačuvan rad biće izgubljen."


def _context(pairs=((SAVE, SACUVAJ), (LOST, IZGUBLJEN)) * 3) -> DocumentContext:
    return DocumentContext(DocumentProfile.of(list(pairs), "en", "sr-Latn"), scale=SCALE)


def test_a_sentence_unrelated_to_the_other_side_and_missing_from_its_length_is_flagged():
    unit = UnitFacts(f"{SAVE} {LOST}", SACUVAJ,
                     src_split=Sentences((SAVE, LOST), np.stack([_vector(1, 0.1), _vector(0, 0, 1)])),
                     tgt_split=Sentences((SACUVAJ,), np.stack([_vector(1)])))
    reasons = list(omission.check(unit, _context()))
    assert reasons == [f"the source sentence “{LOST}” has no counterpart in the target"]
    assert quality.SEVERE >= {omission.NAME}


def test_a_sentence_the_target_adds_is_flagged_with_its_number_in_an_alignment():
    unit = UnitFacts(SAVE, f"{SACUVAJ} {IZGUBLJEN}", src_sentences=(4,), tgt_sentences=(6, 7),
                     src_split=Sentences((SAVE,), np.stack([_vector(1)])),
                     tgt_split=Sentences((SACUVAJ, IZGUBLJEN), np.stack([_vector(1, 0.1), _vector(0, 0, 1)])))
    assert list(omission.check(unit, _context())) == [
        f"target sentence 8 “{IZGUBLJEN}” has no counterpart in the source"]


def test_a_merge_whose_sentences_are_both_translated_is_not_flagged():
    # both source sentences close to the one target sentence that translates them both
    unit = UnitFacts(f"{SAVE} {LOST}", f"{SACUVAJ[:-1]}, jer će nesačuvan rad biti izgubljen.",
                     src_split=Sentences((SAVE, LOST), np.stack([_vector(1, 0.2), _vector(0.2, 1)])),
                     tgt_split=Sentences(("x",), np.stack([_vector(1, 1)])))
    assert list(omission.check(unit, _context())) == []


def test_a_sentence_unrelated_in_meaning_whose_length_is_there_is_not_flagged():
    # the target is as long as both source sentences: a loose translation, not a sentence left out
    unit = UnitFacts(f"{SAVE} {LOST}", f"{SACUVAJ} {IZGUBLJEN}",
                     src_split=Sentences((SAVE, LOST), np.stack([_vector(1, 0.1), _vector(0, 0, 1)])),
                     tgt_split=Sentences((SACUVAJ, IZGUBLJEN), np.stack([_vector(1), _vector(1, 0.2)])))
    assert list(omission.check(unit, _context())) == []


def test_no_evidence_no_omission_flag():
    unit = UnitFacts(f"{SAVE} {LOST}", SACUVAJ)  # not split: a check without sentence embeddings says nothing
    assert list(omission.check(unit, _context())) == []
    split = {"src_split": Sentences((SAVE, LOST), np.stack([_vector(1), _vector(0, 0, 1)])),
             "tgt_split": Sentences((SACUVAJ,), np.stack([_vector(1)]))}
    no_scale = DocumentContext(_context().profile)  # too few units to say what a cosine means
    assert list(omission.check(UnitFacts(f"{SAVE} {LOST}", SACUVAJ, **split), no_scale)) == []


def test_the_similarity_scale_is_learnt_from_the_document():
    src = np.stack([_vector(1), _vector(0, 1), _vector(0, 0, 1)])
    tgt = np.stack([_vector(1, 0.1), _vector(0.1, 1), _vector(0, 0.1, 1)])
    scale = SimilarityScale.of(src, tgt, [(0, 0), (1, 1), (2, 2)])
    assert scale.translated == pytest.approx(float(src[0] @ tgt[0]), abs=1e-6)
    off_diagonal = [float(src[i] @ tgt[j]) for i in range(3) for j in range(3) if i != j]
    assert scale.unrelated == pytest.approx(np.mean(off_diagonal), abs=1e-6)
    assert scale.position(scale.unrelated) == pytest.approx(0) and scale.position(scale.translated) == 1
    assert SimilarityScale.of(src, tgt, [(0, 0), (1, 1)]) is None


def test_check_hands_the_sentences_of_multi_sentence_units_to_the_checks(tmp_path, monkeypatch):
    seen = []
    original = omission.check

    def spy(unit, document):
        seen.append(unit)
        return original(unit, document)

    monkeypatch.setattr(omission, "check", spy)
    pipeline.check_tmx(write_tmx(tmp_path / "help.tmx", HELP_UNITS))
    split = [u for u in seen if u.src_split is not None]
    assert [u.src for u in split] == [HELP_UNITS[0][0]]
    assert split[0].src_split.texts == (SAVE, LOST) and split[0].tgt_split.texts == (SACUVAJ,)
    assert split[0].src_split.vectors.shape[0] == 2 and split[0].tgt_split.vectors.shape[0] == 1


@pytest.mark.model
def test_check_flags_the_sentence_left_out_of_the_issue_example(tmp_path):
    result = pipeline.check_tmx(write_tmx(tmp_path / "help.tmx", HELP_UNITS), tmp_path / "report")
    first = result.units[0]
    assert [f.name for f in first.flags] == ["omitted-sentence"], first.flags
    assert "Any unsaved work will be lost." in first.flags[0].reason
    assert not first.ok and first.score < quality.MIN_CONFIDENCE
    summary = json.loads((tmp_path / "report" / "summary.json").read_text(encoding="utf-8"))
    assert "omitted-sentence" in json.dumps(summary)
    # the whole translation of the same unit is not flagged
    whole = pipeline.check_tmx(write_tmx(tmp_path / "whole.tmx", [FULL_FIRST_UNIT, *HELP_UNITS[1:]]))
    assert not any(f.name == "omitted-sentence" for f in whole.units[0].flags)
    assert whole.units[0].ok


@pytest.mark.model
def test_pair_flags_a_bead_holding_a_sentence_the_other_side_lacks():
    english = [SAVE, LOST, *[s for s, _ in HELP_UNITS[1:5]], *[s for s, _ in HELP_UNITS[7:]]]
    serbian = [SACUVAJ, *[t for _, t in HELP_UNITS[1:5]], *[t for _, t in HELP_UNITS[7:]]]
    alignment = pipeline.align_sentences(english, serbian, "en", "sr")
    orphan = next(b for b in alignment.beads if 1 in b.src)
    assert not orphan.is_unit or any(f.severe for f in orphan.flags)  # the aligner leaves it out, or it is flagged
    # a bead that holds it anyway (a reviewer's merge) is flagged omitted-sentence
    alignment.beads = [Bead((0, 1), (0,))] + [Bead((i + 1,), (i,)) for i in range(1, len(serbian))]
    pipeline.rescore(alignment)
    merged = alignment.beads[0]
    assert "omitted-sentence" in [f.name for f in merged.flags]
    assert "source sentence 2" in next(f.reason for f in merged.flags if f.name == "omitted-sentence")
    assert merged.score < quality.MIN_CONFIDENCE
    # and the whole translation in one bead is not
    whole = pipeline.align_sentences(english, [SACUVAJ, IZGUBLJEN, *serbian[1:]], "en", "sr")
    whole.beads = [Bead((0, 1), (0, 1))] + [Bead((i,), (i,)) for i in range(2, len(english))]
    pipeline.rescore(whole)
    assert not any(f.name == "omitted-sentence" for f in whole.beads[0].flags)


# ---------------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("src, tgt", [
    ("The meeting starts at 6 p.m.", "Sastanak počinje u 18 часова."),
    ("The meeting starts at 6 p.m.", "Sastanak počinje u 18h."),
    ("The meeting starts at 6 PM.", "Састанак почиње у 18:00."),
    ("Doors open at 6:30 p.m.", "Vrata se otvaraju u 18.30."),
    ("Breakfast is served until 10 a.m.", "Doručak se služi do 10 časova."),
    ("The shop opens at 7 am.", "Prodavnica se otvara u 7 ujutru."),
    ("Backups run at 10:15 every day.", "Rezervne kopije prave se svakog dana u 10.15."),
    ("Backups run at 10:15 every day.", "Les sauvegardes ont lieu à 10h15."),
    ("The concert ends at 11 p.m.", "Koncert se završava u 11 uveče."),
    ("It is open from 5 a.m. to midnight.", "Otvoreno je od 5 do 24 časa."),
    ("Lunch is at noon.", "Ručak je u 12 časova."),
    ("Growth was 2.5 percent.", "Rast je bio 2,5 odsto."),
    ("It cost 1,400 dinars.", "Koštalo je 1 400 dinara."),
    ("It cost 1,400 dinars.", "Koštalo je 1.400 dinara."),
    ("It cost 1,234.5 dinars.", "Koštalo je 1 234,5 dinara."),
    ("It cost 1,234.5 dinars.", "Koštalo je 1.234,5 dinara."),
    ("On the 15th of May.", "Petnaestog maja, 15. maja."),
    ("Louis XIV built it.", "Sagradio ga je Luj 14."),
    ("In the 21st century.", "U XXI veku."),
    ("In the XIX century.", "У XIX веку."),
    ("World War II ended in 1945.", "Drugi svetski rat završen je 1945."),
])
def test_numbers_written_differently_compare_equal(src, tgt):
    assert quality.check("numbers", src, tgt) is None


@pytest.mark.parametrize("src, tgt, missing", [
    ("The meeting starts at 6 p.m.", "Sastanak počinje u 19 časova.", "19"),
    ("Doors open at 6:30 p.m.", "Vrata se otvaraju u 18 časova.", "6:30 p.m."),
    ("Backups run at 10:15 every day.", "Rezervne kopije prave se u 10.25.", "10.25"),
    ("Louis XIV built it.", "Sagradio ga je Luj 15.", "15"),
    ("It cost 1,400 dinars.", "Koštalo je 1.500 dinara.", "1.500"),
    ("The score was 21:15.", "Rezultat je bio 21:17.", "21:17"),
])
def test_numbers_that_differ_still_differ(src, tgt, missing):
    flag = quality.check("numbers", src, tgt)
    assert flag is not None and missing in flag.reason


def test_a_roman_numeral_or_an_acronym_left_over_is_no_missing_number():
    assert quality.check("numbers", "Henry V signed the CD in 1415.", "Henri je potpisao disk 1415.") is None


def test_a_time_reads_as_a_time_and_as_its_numbers():
    assert number_readings("10.15") == [frozenset({"10.15", "10:15"})]
    assert number_readings("18.00") == [frozenset({"18", "18:00"})]
    assert number_readings("25.30") == [frozenset({"25.3"})]  # no hour 25
    assert number_readings("1,30") == [frozenset({"1.3"})]  # a decimal comma is no time
    # a time that matches no time is tried as its numbers, as before: "6 p.m." = "u 6 popodne"
    assert quality.check("numbers", "at 6 p.m. sharp", "tačno u 6") is None


# ---------------------------------------------------------------------------------------------- splitter (point 6)

@pytest.mark.parametrize("text, sentences", [
    ("Prema ugovoru č. 5 rok je istekao. Sledeći korak je žalba.",
     ["Prema ugovoru č. 5 rok je istekao.", "Sledeći korak je žalba."]),
    ("Podnosi se na obrascu (Obrazac č. 2) u roku od 8 dana. Uz zahtev se prilaže dokaz.",
     ["Podnosi se na obrascu (Obrazac č. 2) u roku od 8 dana.", "Uz zahtev se prilaže dokaz."]),
    ("Sastanak je u sali (lok. 12) na prvom spratu. Prisutni su svi.",
     ["Sastanak je u sali (lok. 12) na prvom spratu.", "Prisutni su svi."]),
    ("15. 3. 2024. god. Prisutni su svi članovi odbora.", ["15. 3. 2024. god.", "Prisutni su svi članovi odbora."]),
    ("Dana 15. 3. 2024. god. Vlada je usvojila zaključak.", ["Dana 15. 3. 2024. god. Vlada je usvojila zaključak."]),
])
def test_the_issue_splitter_items_in_both_scripts(text, sentences):
    from align.languages.sr_script import to_cyrillic

    assert split_paragraph(text, "sr") == sentences
    assert split_paragraph(to_cyrillic(text), "sr") == [to_cyrillic(s) for s in sentences]


def test_the_omission_check_is_a_severe_member_of_the_catalogue():
    names = [member.NAME for member in quality.CATALOGUE]
    assert names.index("omitted-sentence") == names.index("truncated") + 1
    assert quality.flag("omitted-sentence", "x") == Flag("omitted-sentence", "x", True)
    assert "omitted-sentence" in quality.catalogue_table()
