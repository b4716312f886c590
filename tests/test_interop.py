"""Our TMX files against real consumers: the TMX 1.4 DTD shipped with OmegaT, translate-toolkit's
TMX reader, and OmegaT itself translating a tiny project from our TMX in tm/auto/.

OmegaT comes from the Debian package `omegat` (.ci/run installs it). Without it these tests skip
locally with the reason, but fail when CI is set: CI must not pass by skipping.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from align.formats import tmx
from align.languages.sr_script import to_cyrillic

pytestmark = [pytest.mark.slow, pytest.mark.interop]

OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
TAGS = ("sr-Latn", "sr-Cyrl")


def require(available: bool, reason: str) -> None:
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run this test (install it in .ci/run)")
        pytest.skip(reason)


@pytest.fixture
def tmx_files(tmp_path_factory, interview) -> dict[str, Path]:
    """Our TMX in each Serbian script: the Latin interview kept as written, and a Cyrillic
    translation of it (written natively in Cyrillic, kept as written)."""
    folder = tmp_path_factory.mktemp("interop")
    cyrillic = interview.make_alignment(interview.en, [to_cyrillic(t) for t in interview.sr_latn], interview.beads,
                                        tgt_script="Cyrl")
    return {"sr-Latn": tmx.write_tmx([interview.alignment()], folder / "interview.sr-Latn.tmx"),
            "sr-Cyrl": tmx.write_tmx([cyrillic], folder / "interview.sr-Cyrl.tmx")}


def expected_pairs(interview, tag: str) -> list[tuple[str, str, str]]:
    """(tuid, English, Serbian) of every unit, from the records themselves."""
    alignment = interview.alignment()
    convert = to_cyrillic if tag == "sr-Cyrl" else str
    return [(alignment.unit_id(k), alignment.src_text(b), convert(alignment.tgt_text(b)))
            for k, b in enumerate(alignment.units)]


@pytest.fixture(scope="module")
def tmx14_dtd() -> etree.DTD:
    require(OMEGAT_JAR.is_file(), f"OmegaT is not installed ({OMEGAT_JAR} missing; apt-get install omegat)")
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        return etree.DTD(io.BytesIO(jar.read("schemas/tmx14.dtd")))


@pytest.mark.parametrize("tag", TAGS)
def test_valid_against_the_tmx_14_dtd(tmx_files, tmx14_dtd, tag, tmp_path):
    merged = tmp_path / "merged.tmx"
    tmx.merge_tmx(list(tmx_files.values()), merged)
    for path in (tmx_files[tag], merged):
        root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
        assert tmx14_dtd.validate(root), tmx14_dtd.error_log.filter_from_errors()


@pytest.mark.parametrize("tag", TAGS)
def test_translate_toolkit_reads_every_unit_with_its_languages(tmx_files, tag, interview):
    from translate.storage.lisa import getXMLlang
    from translate.storage.tmx import tmxfile

    with open(tmx_files[tag], "rb") as handle:
        store = tmxfile(handle, sourcelanguage="en", targetlanguage=tag)
    read = [(unit.getid(), unit.source, unit.gettarget(tag)) for unit in store.units]
    assert read == expected_pairs(interview, tag)
    assert {tuple(getXMLlang(node) for node in unit.getlanguageNodes()) for unit in store.units} == {("en", tag)}


def omegat_project(folder: Path, tag: str, sources: list[str], memory: Path) -> Path:
    """A minimal OmegaT project: our English units as a text file, our TMX in tm/auto/."""
    project = folder / "project"
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / sub).mkdir(parents=True)
    settings = {"source_dir": "__DEFAULT__", "target_dir": "__DEFAULT__", "tm_dir": "__DEFAULT__",
                "glossary_dir": "__DEFAULT__", "glossary_file": "__DEFAULT__", "dictionary_dir": "__DEFAULT__",
                "source_lang": "en", "target_lang": tag,
                "source_tok": "org.omegat.tokenizer.LuceneEnglishTokenizer",
                "target_tok": "org.omegat.tokenizer.DefaultTokenizer",
                "sentence_seg": "false",  # one paragraph (= one of our units) per segment
                "support_default_translations": "true", "remove_tags": "false"}
    root = etree.Element("omegat")
    element = etree.SubElement(root, "project", version="1.0")
    for name, value in settings.items():
        etree.SubElement(element, name).text = value
    etree.ElementTree(root).write(str(project / "omegat.project"), encoding="UTF-8", xml_declaration=True)
    (project / "source" / "interview.txt").write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    shutil.copy(memory, project / "tm" / "auto" / memory.name)
    return project


@pytest.mark.parametrize("tag", TAGS)
def test_omegat_translates_from_our_tmx(tmx_files, tag, tmp_path, interview):
    require(OMEGAT_JAR.is_file() and shutil.which("java") is not None,
            f"OmegaT is not installed ({OMEGAT_JAR} or java missing; apt-get install omegat)")
    pairs = expected_pairs(interview, tag)
    project = omegat_project(tmp_path, tag, [src for _, src, _ in pairs], tmx_files[tag])
    completed = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-jar", str(OMEGAT_JAR),
         "--mode=console-translate", f"--config-dir={tmp_path / 'config'}", "--disable-project-locking",
         "--no-team", str(project)],
        capture_output=True, text=True, timeout=300)
    log = completed.stdout + completed.stderr
    # OmegaT exits 0 even when a TMX fails to load: its log is the verdict.
    assert completed.returncode == 0, log[-3000:]
    problems = [line for line in log.splitlines() if "TF_TM_LOAD_ERROR" in line or "TMXR_WARNING" in line
                or ": Error:" in line]
    assert not problems, "\n".join(problems[:20])
    translated = (project / "target" / "interview.txt").read_text(encoding="utf-8").strip().split("\n\n")
    assert translated == [sr for _, _, sr in pairs]

    # OmegaT's own TMX export (TMX 1.1 with a DOCTYPE) reads back as the same pairs.
    exported = tmx.read_tmx(project / "project-omegat.tmx")
    assert sorted((src.text, tgt.text) for _, src, tgt in exported.pairs()) == sorted(
        (src, sr) for _, src, sr in pairs)
