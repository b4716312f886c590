"""Hand-built alignment records for the write-stage tests: the records are that stage's input, so
TMX tests need neither the model nor the aligner."""
from __future__ import annotations

from align.records import Alignment, Bead, Document, Flag, Sentence

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
                          Flag("length-ratio", "Serbian side is 0.6x the English length")]),
    ((8,), (8,), 0.87, []),
    ((9,), (), 0.0, []),
    ((), (9,), 0.0, []),
]


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


def interview_alignment(name: str = "interview") -> Alignment:
    return make_alignment(INTERVIEW_EN, INTERVIEW_SR_LATN, INTERVIEW_BEADS, name=name)
