"""The score stage: every check on its own (Latin and Cyrillic), the ok rule, the catalogue, and flag_alignment."""
from __future__ import annotations

import pytest

from align import quality
from align.languages.sr_script import to_cyrillic
from align.quality import DocumentContext, UnitFacts
from align.quality.document import function_word_language
from align.quality.features import number_readings
from align.quality.profile import DocumentProfile
from align.records import is_ok


@pytest.fixture
def profile(water):
    """What is normal in the water-plant document, in either script."""
    return lambda script="Latn": DocumentProfile.of(water.units(script), "en", "sr")


@pytest.fixture(params=["Latn", "Cyrl"])
def script(request) -> str:
    return request.param


def sr(text: str, script: str) -> str:
    return text if script == "Latn" else to_cyrillic(text)


def test_the_clean_document_raises_no_severe_flag(script, profile, water):
    doc = profile(script)
    for en, serbian in water.units(script):
        flags = quality.flags_of(UnitFacts(en, serbian), DocumentContext(doc))
        assert is_ok(flags), (en, flags)


# ---------------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("src, tgt", [
    ("It cost 1,400 dinars.", "Koštalo je 1.400 dinara."),
    ("It cost 1,400 dinars.", "Koštalo je 1 400 dinara."),
    ("It was built in 2019.", "Izgrađeno je 2019. godine."),
    ("On the 15th of May.", "Petnaestog maja, 15. maja."),
    ("Growth was 2.5 percent.", "Rast je bio 2,5 odsto."),
    ("A total of 12,345,678 votes.", "Ukupno 12.345.678 glasova."),
    ("It was signed on 15.3.2019.", "Potpisan je 15. marta 2019. godine."),
])
def test_numbers_written_differently_are_the_same(src, tgt):
    assert quality.check("numbers", src, tgt) is None


def test_numbers_that_differ_are_flagged_with_the_numbers_named():
    flag = quality.check("numbers", "The plant cost 1,400 million dinars.", "Postrojenje je koštalo 1.500 miliona dinara.")
    assert flag is not None and flag.name == "numbers"
    assert "1,400 not in the target" in flag.reason and "1.500 not in the source" in flag.reason


def test_a_year_missing_on_one_side_is_flagged():
    flag = quality.check("numbers", "The old pipes date from 1962.", "Stare cevi su veoma stare.")
    assert flag is not None and "1962" in flag.reason


def test_a_small_number_spelled_out_is_not_flagged():
    assert quality.check("numbers", "It took 2 years.", "Trajalo je dve godine.") is None


def test_number_readings_keep_every_reading():
    assert number_readings("1,400") == [frozenset({"1400", "1.4"})]
    assert number_readings("1,5") == [frozenset({"1.5"})]
    assert number_readings("15.3.2019") == [frozenset({"15"}), frozenset({"3"}), frozenset({"2019"})]


# ---------------------------------------------------------------------------------------------- names

def test_acronyms_match_across_scripts():
    doc = DocumentProfile.of([("NATO and KFOR met.", "НАТО и КФОР су се састали.")] * 3, "en", "sr")
    assert {"nato", "kfor"} <= doc.shared_names
    assert quality.check("names", "NATO welcomed it.", "НАТО је то поздравио.", doc) is None
    flag = quality.check("names", "NATO welcomed it.", "КФОР је то поздравио.", doc)
    assert flag is not None and flag.name == "names"
    assert "NATO not in the target" in flag.reason and "KFOR not in the source" in flag.reason


def test_declined_names_match(script, profile):
    doc = profile(script)
    en = "Milan Đurić thanked Jelena Marković."
    assert quality.check("names", en, sr("Milan Đurić zahvalio je Jeleni Marković.", script), doc) is None
    flag = quality.check("names", en, sr("Milan Đurić zahvalio je radnicima.", script), doc)
    assert flag is not None and "Jelena" in flag.reason


def test_names_a_document_translates_are_not_required(profile):
    # Germany / Nemačka: never written alike in this document, so not expected on both sides
    doc = profile()
    assert "germ" not in doc.shared_names
    assert quality.check("names", "Engineers from Germany helped.", "Inženjeri iz Nemačke su pomogli.", doc) is None


def test_no_names_are_compared_with_a_caseless_script():
    doc = DocumentProfile.of([("Li Wei went home.", "李伟回家了。")] * 3, "en", "zh")
    assert doc.shared_names == frozenset()
    assert quality.check("names", "Li Wei went home.", "他回家了。", doc) is None


# ---------------------------------------------------------------------------------------------- punctuation

@pytest.mark.parametrize("src, tgt, has", [
    ("Why did it take so long?", "Projekat je dugo trajao.", "source is a question"),
    ("It took long.", "Zašto je trajalo dugo?", "target is a question"),
    ("Stop!", "Stani.", "source is an exclamation"),
])
def test_question_and_exclamation_mismatch(src, tgt, has):
    flag = quality.check("punctuation", src, tgt)
    assert flag is not None and flag.name == "punctuation" and has in flag.reason


def test_full_width_question_mark_counts():
    assert quality.check("punctuation", "他为什么走了？", "Why did he leave?") is None


# ---------------------------------------------------------------------------------------------- untranslated

def test_a_copied_source_is_untranslated(script, profile):
    en = "The ceremony ended with a concert in the city centre."
    flag = quality.check("untranslated", en, en, profile(script))
    assert flag is not None and flag.name == "untranslated" and "copy" in flag.reason


def test_a_target_in_the_source_language_is_untranslated(script, profile):
    flag = quality.check("untranslated", "The river Danube remains the main source of drinking water.",
                                    "Samples are tested every hour in the laboratory of the plant.", profile(script))
    assert flag is not None and "reads as en" in flag.reason


def test_names_left_as_they_are_are_not_untranslated(profile):
    assert quality.check("untranslated", "Milan Đurić, Novi Sad", "Milan Đurić, Novi Sad", profile()) is None


def test_the_same_language_on_both_sides_is_not_untranslated():
    doc = DocumentProfile.of([("Colour of the sky.", "Color of the sky.")] * 3, "en-GB", "en-US")
    assert quality.check("untranslated", "Colour of the sky.", "Color of the sky.", doc) is None


# ---------------------------------------------------------------------------------------------- wrong script

def test_a_latin_unit_in_a_cyrillic_document_is_flagged(profile):
    doc = profile("Cyrl")
    assert doc.tgt_script == "Cyrl"
    flag = quality.check("wrong-script", "Source text.", "Reka Dunav ostaje glavni izvor pitke vode.", doc)
    assert flag is not None and flag.name == "wrong-script" and "Latin" in flag.reason
    assert quality.check("wrong-script", "Source text.", to_cyrillic("Reka Dunav ostaje glavni izvor pitke vode."), doc) is None


def test_a_cyrillic_unit_in_a_latin_document_is_flagged(profile):
    flag = quality.check("wrong-script", "Source text.", to_cyrillic("Reka Dunav ostaje glavni izvor pitke vode."), profile("Latn"))
    assert flag is not None and "Cyrillic" in flag.reason


def test_latin_acronyms_in_a_cyrillic_unit_are_fine(profile):
    assert quality.check("wrong-script", "Source text.", "Програм IPA и СЗО.", profile("Cyrl")) is None


# ------------------------------------------------------------------------------------ empty, truncated, length

def test_empty_sides(profile):
    assert quality.check("empty", "Text.", "  ").reason == "the target is empty"
    assert quality.check("empty", "", "Tekst.").reason == "the source is empty"
    assert quality.check("empty", "Text.", "Tekst.") is None
    assert [f.name for f in quality.flags_of(UnitFacts("Text.", ""), DocumentContext(profile()))] == ["empty"]


def test_a_target_cut_to_a_third_is_truncated(script, profile, water):
    en, serbian = water.units(script)[6]
    flag = quality.check("truncated", en, serbian[: len(serbian) // 3], profile(script))
    assert flag is not None and flag.name == "truncated"
    assert quality.check("truncated", en, serbian, profile(script)) is None


def test_a_short_sentence_without_a_full_stop_is_not_truncated(profile):
    assert quality.check("truncated", "Yes.", "Da", profile()) is None
    assert quality.check("truncated", "Chapter one: the plant", "Prvo poglavlje", profile()) is None


def test_length_ratio_is_measured_against_the_documents_own_ratio():
    # a document whose targets are always about three times longer than its sources
    pairs = [(f"Short line {k}.", f"A much longer target line number {k}, padded out.") for k in range(12)]
    doc = DocumentProfile.of(pairs, "xx", "yy")
    assert quality.check("length-ratio", *pairs[0], doc) is None
    flag = quality.check("length-ratio", "Short line 99.", "Tiny 99.", doc)
    assert flag is not None and flag.name == "length-ratio" and "shorter" in flag.reason
    flag = quality.check("length-ratio", "Short.", "A much longer target line number, padded out. " * 4, doc)
    assert flag is not None and "longer" in flag.reason


# ---------------------------------------------------------------------------------------------- the ok rule

def test_ok_means_no_severe_flag():
    assert is_ok([])
    assert is_ok([quality.flag("names", "x"), quality.flag("numbers", "y"), quality.flag("punctuation", "z")])
    for name in quality.SEVERE:
        assert not is_ok([quality.flag(name, "x")])
    assert set(quality.FLAG_MEANINGS) >= quality.SEVERE


def test_low_confidence_follows_the_threshold():
    assert quality.check("low-confidence", "x", "y", confidence=quality.MIN_CONFIDENCE, similarity=0.9, margin=0.1) is None
    flag = quality.check("low-confidence", "x", "y", confidence=quality.MIN_CONFIDENCE - 0.01, similarity=0.8, margin=-0.02)
    assert flag is not None and flag.name == "low-confidence" and "0.80" in flag.reason


# ---------------------------------------------------------------------------------------------- alignments

def test_flag_alignment_flags_every_bead(script, water):
    alignment = water.alignment(script)
    quality.flag_alignment(alignment)
    unaligned = [b for b in alignment.beads if not b.is_unit]
    assert [f.name for f in unaligned[0].flags] == ["unaligned"]
    assert "target sentence 4" in unaligned[0].flags[0].reason
    neighbours = [k for k, b in enumerate(alignment.beads) if any(f.name == "unaligned-neighbour" for f in b.flags)]
    assert neighbours == [2, 4]
    low = [b for b in alignment.beads if any(f.name == "low-confidence" for f in b.flags)]
    assert [b.src for b in low] == [(8,)]
    not_ok = [b for b in alignment.beads if not is_ok(b.flags)]
    assert len(not_ok) == 2  # the unaligned bead and the low-confidence unit


def test_function_words_tell_english_from_serbian():
    english = ["The minister said that the plan was ready and that it would be on the table by Monday."] * 3
    serbian = ["Ministar je rekao da je plan spreman i da će biti na stolu do ponedeljka, kao što je i bio."] * 3
    assert function_word_language(english) == "en"
    assert function_word_language(serbian) == "sr"
    assert function_word_language([to_cyrillic(s) for s in serbian]) == "sr"
    assert function_word_language(["The plan is ready."]) is None  # too few words to tell


@pytest.mark.parametrize("target, flagged", [
    ("Министар је одговорио на sva pitanja.", True),  # half converted
    ("Бренд Facebook и YouTube, Microsoft Windows.", False),  # brands are Latin in either script
    ("Ово је NATO и EU, рекао је.", False),  # acronyms too
])
def test_a_target_mixing_serbian_words_of_both_scripts(target, flagged):
    profile = DocumentProfile.of([("The minister answered.", "Министар је одговорио.")] * 3, "en", "sr")
    flag = quality.check("wrong-script", "Source text.", target, profile)
    assert (flag is not None and "mixes scripts" in flag.reason) == flagged
