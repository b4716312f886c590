"""A small English-Serbian document of our own (Serbian in Latin; Cyrillic by align.script) for the score,
report and check tests: one translation unit per entry, with numbers, names, acronyms and a question."""
from __future__ import annotations

from align.model import DEFAULT_MODEL
from align.records import Alignment, Bead, Document, Sentence
from align.script import to_cyrillic

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

UNITS_EN_SR_CYRL = [(en, to_cyrillic(sr)) for en, sr in UNITS_EN_SR]


def make_alignment(script: str = "Latn") -> Alignment:
    """The fixture document as an alignment, with an extra unaligned target sentence after unit 3 and one
    unit whose confidence is low."""
    units = UNITS_EN_SR if script == "Latn" else UNITS_EN_SR_CYRL
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
    return Alignment(src, tgt, beads, name="test", model=DEFAULT_MODEL, timings={"align_s": 1.0})
