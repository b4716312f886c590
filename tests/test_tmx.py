"""TMX writing, reading and merging: structure, escaping, reproducibility, scripts, foreign files, XML safety."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from align import __version__
from align.errors import AlignError
from align.formats import tmx
from align.languages import is_serbian
from align.languages.sr_script import to_cyrillic, to_latin
from align.records import Document, Flag, Sentence

DATA = Path(__file__).parent / "data" / "tmx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def strict_parse(path: Path) -> etree._Element:
    """Parse with a plain, non-recovering parser: our output must be well-formed XML as written."""
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def test_header_and_units_follow_tmx_14b(tmp_path, epoch, interview):
    path = tmx.write_tmx([interview.alignment()], tmp_path / "out.tmx")
    raw = path.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')
    root = strict_parse(path)
    assert root.find("header").attrib == {
        "creationtool": "align", "creationtoolversion": __version__, "segtype": "sentence", "o-tmf": "align",
        "adminlang": "en", "srclang": "en", "datatype": "plaintext", "creationdate": "20231114T221320Z"}
    tus = root.findall("body/tu")
    # 10 beads: the 1-0 and the 0-1 are not units, the 2-1 merge and the 1-2 split are one unit each.
    assert [tu.get("tuid") for tu in tus] == [f"interview-{k:04d}" for k in range(1, 9)]
    for tu in tus:
        assert [child.tag for child in tu] == ["prop"] * 5 + ["note"] * len(tu.findall("note")) + ["tuv", "tuv"]
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["en", "sr-Latn"]
    merge = tus[4]
    assert {p.get("type"): p.text for p in merge.findall("prop")} == {
        "x-confidence": "0.6200", "x-bead": "2-1", "x-document": "interview",
        "x-src-sentences": "5,6", "x-tgt-sentences": "5"}
    assert merge.findtext("tuv/seg") == f"{interview.en[4]} {interview.en[5]}"
    split = tus[6]
    assert [n.text for n in split.findall("note")] == [
        "low-score: confidence 0.41 is below 0.5", "length-ratio: Serbian side is 0.6x the English length"]
    assert split.findall("tuv/seg")[1].text == "Da, svaki dan. Uštede mi sate posla."
    assert "(Smeh)" not in raw.decode() and "Thank you." not in raw.decode()


def test_source_date_epoch_gives_byte_identical_files(tmp_path, epoch, interview):
    first = tmx.write_tmx([interview.alignment()], tmp_path / "a.tmx").read_bytes()
    time.sleep(1.1)  # a wall-clock date would now differ
    second = tmx.write_tmx([interview.alignment()], tmp_path / "b.tmx").read_bytes()
    assert first == second


def test_creationdate_is_now_without_source_date_epoch(tmp_path, monkeypatch, interview):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 1))
    date = tmx.read_tmx(tmx.write_tmx([interview.alignment()], tmp_path / "a.tmx")).header["creationdate"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", date) and date >= before


def test_bad_source_date_epoch_is_one_clear_error(tmp_path, monkeypatch, interview):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(AlignError, match="SOURCE_DATE_EPOCH"):
        tmx.write_tmx([interview.alignment()], tmp_path / "a.tmx")
    assert not (tmp_path / "a.tmx").exists()


def test_escaping_of_markup_characters_and_quotes(tmp_path, interview):
    src = ['Fish & chips <b>cost</b> "5" & \'more\'', "a > b && c < d"]
    tgt = ['Riba & krompir <b>koštaju</b> „5" i \'više\'', "a > b && c < d"]
    alignment = interview.make_alignment(
        src, tgt, [((0,), (0,), 0.9, [Flag("odd&name", 'reason with <tags> & "quotes"')]), ((1,), (1,), 0.8, [])],
        name='doc "one" & <two>')
    path = tmx.write_tmx([alignment], tmp_path / "esc.tmx")
    raw = path.read_text(encoding="utf-8")
    assert "Fish &amp; chips &lt;b&gt;cost&lt;/b&gt;" in raw
    assert 'tuid="doc &quot;one&quot; &amp; &lt;two&gt;-0001"' in raw
    document = tmx.read_tmx(path)
    assert [(u.variants[0].text, u.variants[1].text) for u in document.units] == list(zip(src, tgt))
    assert document.units[0].notes == ['odd&name: reason with <tags> & "quotes"']
    assert document.units[0].prop("x-document") == 'doc "one" & <two>'


def test_characters_xml_forbids_are_removed_and_white_space_kept(tmp_path, interview):
    src = ["null\x00 bell\x07 page\x0cbreak unit\x1fsep \ufffe\uffff end", "tab\there\r\nwindows line"]
    tgt = ["nula\x01 kraj", "tab\tovde\r\nred"]
    alignment = interview.make_alignment(src, tgt, [((0,), (0,), 0.9, []), ((1,), (1,), 0.9, [])])
    path = tmx.write_tmx([alignment], tmp_path / "ctl.tmx")
    strict_parse(path)  # well-formed: nothing XML 1.0 forbids was written
    units = tmx.read_tmx(path).units
    assert units[0].variants[0].text == "null bell page break unit sep  end"
    assert units[0].variants[1].text == "nula kraj"
    assert units[1].variants[0].text == "tab\there\r\nwindows line"  # CR survives as &#13;


def test_script_keep_tags_each_unit_by_the_script_it_is_written_in(tmp_path, interview):
    # A document that changes script half-way, with a unit that has no letters at all.
    src = ["One.", "Two.", "Three.", "Four.", "2024.", "Five."]
    tgt = ["Jedan.", "Dva.", "Три.", "Четири.", "2024.", "Пет."]
    alignment = interview.make_alignment(src, tgt, [((i,), (i,), 0.9, []) for i in range(6)], tgt_script="mixed")
    units = tmx.read_tmx(tmx.write_tmx([alignment], tmp_path / "mixed.tmx")).units
    # The letterless unit takes the script most units of the document use (Cyrillic, 3 to 2).
    assert [u.variants[1].lang for u in units] == ["sr-Latn", "sr-Latn"] + ["sr-Cyrl"] * 4
    assert [u.variants[1].text for u in units] == tgt


@pytest.mark.parametrize("script, tag, convert", [("cyrl", "sr-Cyrl", to_cyrillic), ("latn", "sr-Latn", to_latin)])
def test_script_conversion_converts_and_tags_every_serbian_unit(tmp_path, script, tag, convert, interview):
    mixed = interview.sr_latn[:5] + [to_cyrillic(t) for t in interview.sr_latn[5:]]
    alignment = interview.make_alignment(interview.en, mixed, interview.beads, tgt_script="mixed")
    units = tmx.read_tmx(tmx.write_tmx([alignment], tmp_path / "conv.tmx", script=script)).units
    assert {u.variants[1].lang for u in units} == {tag}
    assert [u.variants[1].text for u in units] == [convert(alignment.tgt_text(b)) for b in alignment.units]
    assert [u.variants[0].text for u in units] == [alignment.src_text(b) for b in alignment.units]
    assert units[0].variants[1].text == (
        "Хвала вам што сте данас одвојили време за разговор са нама." if script == "cyrl"
        else interview.sr_latn[0])


def test_non_serbian_target_keeps_its_tag_and_text(tmp_path, interview):
    alignment = interview.make_alignment(["Good morning."], ["Guten Morgen."], [((0,), (0,), 0.9, [])],
                                         tgt_lang="de", tgt_script=None)
    unit = tmx.read_tmx(tmx.write_tmx([alignment], tmp_path / "de.tmx", script="cyrl")).units[0]
    assert unit.variants[1] == tmx.TmxVariant("de", "Guten Morgen.")


def test_several_alignments_in_one_file_and_clashing_names(tmp_path, interview):
    path = tmx.write_tmx([interview.alignment("a"), interview.alignment("b")], tmp_path / "two.tmx")
    ids = [u.tuid for u in tmx.read_tmx(path).units]
    assert len(ids) == 16 == len(set(ids)) and ids[8] == "b-0001"
    with pytest.raises(AlignError, match="interview-0001"):
        tmx.write_tmx([interview.alignment(), interview.alignment()], tmp_path / "clash.tmx")
    assert not (tmp_path / "clash.tmx").exists()


def test_failed_write_leaves_existing_file_untouched(tmp_path, interview):
    path = tmp_path / "out.tmx"
    path.write_text("previous run", encoding="utf-8")
    with pytest.raises(AlignError):
        tmx.write_tmx([interview.alignment()], path, script="greek")
    assert path.read_text(encoding="utf-8") == "previous run"


def test_write_read_write_is_a_fixed_point(tmp_path, epoch, interview):
    first = tmx.write_tmx([interview.alignment()], tmp_path / "a.tmx")
    tmx.write_document(tmx.read_tmx(first), tmp_path / "b.tmx")
    assert (tmp_path / "b.tmx").read_bytes() == first.read_bytes()


xml_text = st.text(st.characters(codec="utf-8"), max_size=40)  # every code point but lone surrogates


def allowed_by_xml(text: str) -> str:
    """What XML 1.0 can carry of `text` (its Char production), white-space controls as spaces."""
    def keep(ch: str) -> str:
        code = ord(ch)
        if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000:
            return ch
        return " " if ch.isspace() else ""
    return "".join(map(keep, text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(src=st.lists(xml_text, min_size=1, max_size=4), tgt=st.lists(xml_text, min_size=1, max_size=4),
       name=xml_text, reason=xml_text, score=st.floats(0, 1))
def test_round_trip_keeps_every_unit_attribute_prop_and_note(tmp_path, src, tgt, name, reason, score, interview):
    n = min(len(src), len(tgt))
    beads = [((i,), (i,), score, [Flag("check", reason)]) for i in range(n)]
    alignment = interview.make_alignment(src[:n], tgt[:n], beads, name=name, tgt_lang="de", tgt_script=None)
    written = tmx.TmxDocument(version="1.4", header=tmx.tmx_header("en"), units=tmx.alignment_units(alignment))
    path = tmp_path / "prop.tmx"
    tmx.write_document(written, path)
    read = tmx.read_tmx(path)
    clean = allowed_by_xml
    assert read.version == "1.4" and read.header == written.header
    assert [u.tuid for u in read.units] == [clean(f"{name or 'doc'}-{k:04d}") for k in range(1, n + 1)]
    assert [[(v.lang, v.text) for v in u.variants] for u in read.units] == [
        [("en", clean(s)), ("de", clean(t))] for s, t in zip(src[:n], tgt[:n])]
    assert [u.props for u in read.units] == [[(k, clean(v)) for k, v in u.props] for u in written.units]
    assert [u.notes for u in read.units] == [[clean(f"check: {reason}")]] * n


def test_read_good_sample_from_another_tool():
    document = tmx.read_tmx(DATA / "good.tmx")
    assert document.header["creationtool"] == "handwritten" and document.srclang == "en"
    assert [u.tuid for u in document.units] == ["1", "2", "3", "4"]
    assert [v.lang for v in document.units[0].variants] == ["en", "sr-Latn", "sr-Cyrl"]
    assert document.units[2].variants[0].text == "Save & close the window."
    assert document.units[3].variants[2].text == "Унесите вредност мању од 10 (ђак, жаба, ћуп)."
    assert len(document.pairs()) == 8


@pytest.mark.parametrize("name", ["utf16.tmx", "cp1250_declared.tmx", "doctype.tmx", "lowercase_tags.tmx",
                                  "region_tags.tmx", "srclang_en_US.tmx"])
def test_read_variants_of_the_sample(name):
    document = tmx.read_tmx(DATA / name)
    assert len(document.units) == 4
    pairs = document.pairs()
    assert {src.text for _, src, _ in pairs} >= {"Good morning.", "Save & close the window."}
    assert "Datoteka je sačuvana." in {tgt.text for _, _, tgt in pairs}


def test_read_tmx_11_with_lang_attributes_and_inline_codes(tmp_path):
    path = tmp_path / "old.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.1"><header creationtool="TW4Win" creationtoolversion="2"'
        ' segtype="sentence" o-tmf="TW4Win 2.0 Format" adminlang="EN-US" srclang="EN-US" datatype="rtf">'
        '<prop type="x-client">ACME</prop><note>old memory</note></header><body>'
        '<tu tuid="7" usagecount="3" creationdate="19990101T000000Z"><note>checked</note>'
        '<tuv lang="EN-US"><seg>Press <bpt i="1">{\\b </bpt>Save<ept i="1">}</ept> now'
        '<ph x="2">&lt;br/&gt;</ph><it pos="begin">[</it> and <hi type="em">wait</hi>.<ut>\\par</ut></seg></tuv>'
        '<tuv lang="SR-LATN"><seg>Pritisnite <bpt i="1">{\\b </bpt>Sačuvaj<ept i="1">}</ept> sada.</seg></tuv>'
        '</tu></body></tmx>', encoding="utf-8")
    document = tmx.read_tmx(path)
    assert document.version == "1.1" and document.header_props == [("x-client", "ACME")]
    assert document.header_notes == ["old memory"]
    unit = document.units[0]
    assert unit.attrs == {"usagecount": "3", "creationdate": "19990101T000000Z"} and unit.notes == ["checked"]
    assert [(v.lang, v.text, v.codes) for v in unit.variants] == [
        ("EN-US", "Press Save now and wait.", ("bpt", "ept", "ph", "it", "hi", "ut")),
        ("SR-LATN", "Pritisnite Sačuvaj sada.", ("bpt", "ept"))]


@pytest.mark.interop
def test_read_tmx_written_by_translate_toolkit(tmp_path):
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="en", targetlanguage="sr-Cyrl")
    for en, sr in [("Good morning & welcome.", "Добро јутро и добродошли."), ("<Cancel>", "<Откажи>")]:
        store.addtranslation(en, "en", sr, "sr-Cyrl")
    path = tmp_path / "ttk.tmx"
    path.write_bytes(bytes(store))
    document = tmx.read_tmx(path)
    assert [(s.lang, s.text, t.lang, t.text) for _, s, t in document.pairs()] == [
        ("en", "Good morning & welcome.", "sr-Cyrl", "Добро јутро и добродошли."),
        ("en", "<Cancel>", "sr-Cyrl", "<Откажи>")]


@pytest.mark.parametrize("name, where", [("bad_amp.tmx", "line 18, column 37: not well-formed XML"),
                                         ("bad_encoding.tmx", "line 13, column 50: not well-formed XML")])
def test_malformed_tmx_is_one_line_naming_file_and_line(name, where):
    with pytest.raises(AlignError) as caught:
        tmx.read_tmx(DATA / name)
    message = str(caught.value)
    assert message.startswith(f"{DATA / name}: {where}") and "\n" not in message


@pytest.mark.parametrize("content, problem", [
    (b"", "Document is empty"),
    (b"<html><body/></html>", "not a TMX file: the root element is <html>"),
    (b'<tmx version="1.4"><header srclang="en"/></tmx>', "no <body>"),
    (b'<tmx version="1.4"><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>', "line 1: <tuv> without xml:lang"),
])
def test_not_a_tmx_is_one_clear_error(tmp_path, content, problem):
    path = tmp_path / "x.tmx"
    path.write_bytes(content)
    with pytest.raises(AlignError, match=re.escape(problem)):
        tmx.read_tmx(path)


def test_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(AlignError, match="missing.tmx: cannot read: No such file"):
        tmx.read_tmx(tmp_path / "missing.tmx")


TMX_BODY = ('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"'
            ' adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>{seg}</seg>'
            '</tuv><tuv xml:lang="sr-Latn"><seg>tekst</seg></tuv></tu></body></tmx>')


@pytest.mark.parametrize("doctype, seg", [
    ('<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
    ('<!DOCTYPE tmx [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>', "text"),
    ('<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>', "declared, unused"),
    ('<!DOCTYPE tmx SYSTEM "file://{secret}">', "&undeclared;"),
])
def test_external_entities_leak_nothing(tmp_path, doctype, seg):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text('<?xml version="1.0"?>\n' + doctype.format(secret=secret) + TMX_BODY.format(seg=seg),
                    encoding="utf-8")
    with pytest.raises(AlignError) as caught:
        tmx.read_tmx(path)
    assert "TOP-SECRET" not in str(caught.value) and str(caught.value).startswith(str(path))
    assert "entit" in str(caught.value)


def test_billion_laughs_fails_fast(tmp_path):
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path = tmp_path / "bomb.tmx"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE tmx [' + "".join(levels) + "]>"
                    + TMX_BODY.format(seg="&lol9;"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(AlignError, match="entity expansion") as caught:
        tmx.read_tmx(path)
    assert time.perf_counter() - started < 1.0
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_merge_drops_identical_units_and_keeps_ids_unique(tmp_path, epoch, interview):
    a = tmx.write_tmx([interview.alignment("a")], tmp_path / "a.tmx")
    b = tmx.write_tmx([interview.alignment("b")], tmp_path / "b.tmx")  # same texts, other ids
    dup = tmp_path / "dup.tmx"
    shutil.copy(DATA / "bad_dup_tuid.tmx", dup)  # two units share tuid "1"
    kept, dropped = tmx.merge_tmx([a, b, dup], tmp_path / "merged.tmx")
    assert (kept, dropped) == (12, 8)
    merged = tmx.read_tmx(tmp_path / "merged.tmx")
    assert [u.tuid for u in merged.units] == [f"a-{k:04d}" for k in range(1, 9)] + ["1", "1.2", "3", "4"]
    assert merged.units[:8] == tmx.read_tmx(a).units  # props, notes and texts carried over
    assert merged.srclang == "en" and merged.header["creationtool"] == "align"


def test_merge_treats_language_tag_case_as_the_same_language(tmp_path):
    kept, dropped = tmx.merge_tmx([DATA / "good.tmx", DATA / "lowercase_tags.tmx"], tmp_path / "m.tmx")
    assert (kept, dropped) == (4, 4)


def test_merge_of_a_broken_file_names_it_and_writes_nothing(tmp_path):
    with pytest.raises(AlignError, match="bad_amp.tmx: line 18"):
        tmx.merge_tmx([DATA / "good.tmx", DATA / "bad_amp.tmx"], tmp_path / "m.tmx")
    assert not (tmp_path / "m.tmx").exists()


def test_merge_refuses_another_language_pair_or_direction(tmp_path, interview):
    en_sr = tmx.write_tmx([interview.alignment("a")], tmp_path / "en-sr.tmx")
    de_fr = tmx.write_tmx([interview.make_alignment(["Guten Tag."], ["Bonjour."], [((0,), (0,), 0.9, [])], name="d",
                                                    src_lang="de", tgt_lang="fr", tgt_script=None)],
                          tmp_path / "de-fr.tmx")
    sr_en = tmp_path / "sr-en.tmx"
    tmx.write_document(tmx.TmxDocument("1.4", tmx.tmx_header("sr-Latn"), [
        tmx.TmxUnit("x", [tmx.TmxVariant("sr-Latn", "Dobar dan."), tmx.TmxVariant("en", "Good day.")])]), sr_en)
    with pytest.raises(AlignError, match=r"de-fr.tmx: holds de/fr with source de, but .*en-sr.tmx holds en/sr "
                                         r"with source en: merge files of one language pair and direction"):
        tmx.merge_tmx([en_sr, de_fr], tmp_path / "m.tmx")
    with pytest.raises(AlignError, match=r"sr-en.tmx: holds en/sr with source sr"):
        tmx.merge_tmx([en_sr, sr_en], tmp_path / "m.tmx")
    assert not (tmp_path / "m.tmx").exists()


@pytest.mark.parametrize("lang", ["sr", "SR", "sr_RS", "srp", "sr-Latn"])
def test_every_spelling_of_serbian_gets_the_script_subtag(lang):
    document = Document("d", lang, [Sentence("Добро јутро.", 0, 0)], script="Cyrl")
    assert document.tag == "sr-Cyrl" and is_serbian(lang)
