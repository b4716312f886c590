"""Reviewing another tool's TMX (`align review their.tmx`): its units as an alignment, and the TMX written back with
the review's changes.

As an alignment, the units in file order are the two documents: a unit's source text and its target text (each
its translatable text, white space at the ends dropped) are one sentence of their side, whose paragraph number is
the unit's 0-based position in the file; the beads start as one per unit (a unit with only one of the two texts is
a 1-0 or 0-1 bead; one with neither gives no sentence at all). The TMX's bytes travel with the alignment
(Alignment.original_tmx, the alignment file's "original_tmx").

Written back (`reviewed_document`), in bead order:
- a bead that is still exactly one original unit (its one source and one target sentence, texts unedited) is that
  unit as it was: tuid, attributes, props, notes, every variant (other languages too) with its attributes, props,
  notes and inline markup; a unit that had neither text is written where it was;
- an edited unit (merged, split, re-paired, or a text edited) is a new unit: the tuid of the first original unit it
  holds a sentence of (a suffix ".2", ".3", ... when that tuid is taken), that unit's attributes with `changedate`
  set to now, the props and notes of all the units it draws on (in order, without repeats), and one source and one
  target variant in the languages those units used. A side made only of whole, unedited original texts keeps their
  inline markup (joined by a space); a side with an edited or split text is plain text;
- a confirmed unit gets `<prop type="x-status">confirmed</prop>`; a rejected unit is left out, or with
  `include_rejected` written with `<prop type="x-status">rejected</prop>`; 1-0 and 0-1 beads the review made are
  not units and are not written (the report lists them).
The header (attributes, props, notes) and the TMX version are the original's.
"""
from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path

from ..errors import AlignUsageError
from ..languages import is_serbian
from ..languages.sr_script import detect_script
from ..records import Alignment, Bead, Document, Sentence, SourceFile
from .tmx import TmxDocument, TmxUnit, TmxVariant, creation_date, parse_tmx, write_document, xml_safe

STATUS_PROP = "x-status"


def _side_text(variant: TmxVariant | None) -> str:
    return variant.text.strip() if variant is not None else ""


def units_alignment(document: TmxDocument, data: bytes, path: str | os.PathLike, src_lang: str, tgt_lang: str
                    ) -> Alignment:
    """The units of a TMX as an alignment (no embeddings or scores yet): see the module's docstring."""
    source = SourceFile(str(path), hashlib.sha256(data).hexdigest(), "tmx")
    sides: dict[str, list[Sentence]] = {"src": [], "tgt": []}
    beads = []
    for position, unit in enumerate(document.units):
        indices = {}
        for side, lang in (("src", src_lang), ("tgt", tgt_lang)):
            text = _side_text(unit.variant(lang))
            indices[side] = (len(sides[side]),) if text else ()
            if text:
                sides[side].append(Sentence(text, len(sides[side]), position))
        if indices["src"] or indices["tgt"]:
            beads.append(Bead(indices["src"], indices["tgt"]))
    name = Path(path).stem
    documents = [Document(name, lang, sides[side], source=source,
                          script=detect_script(" ".join(s.text for s in sides[side])) if is_serbian(lang) else None)
                 for side, lang in (("src", src_lang), ("tgt", tgt_lang))]
    return Alignment(documents[0], documents[1], beads, name=name, settings={"max_align": 4}, original_tmx=data)


def _original_unit(alignment: Alignment, bead: Bead, units: list[TmxUnit], counts: dict) -> int | None:
    """The original unit a bead still is exactly (its sentences all of that unit's, texts unedited), or None."""
    positions = {alignment.src.sentences[i].paragraph for i in bead.src} | \
                {alignment.tgt.sentences[j].paragraph for j in bead.tgt}
    if len(positions) != 1:
        return None
    position = positions.pop()
    unit = units[position]
    for side, indices, lang in (("src", bead.src, alignment.src.lang), ("tgt", bead.tgt, alignment.tgt.lang)):
        document = alignment.src if side == "src" else alignment.tgt
        original = _side_text(unit.variant(lang))
        if counts[side].get(position, 0) != len(indices) or \
                [document.sentences[k].text for k in indices] != ([original] if original else []):
            return None
    return position


def _with_status(unit: TmxUnit, status: str) -> TmxUnit:
    if not status:
        return unit
    return TmxUnit(unit.tuid, unit.variants, [*unit.props, (STATUS_PROP, status)], unit.notes, unit.attrs)


def _new_variant(alignment: Alignment, units: list[TmxUnit], side: str, indices: tuple[int, ...],
                 counts: dict) -> TmxVariant:
    document = alignment.src if side == "src" else alignment.tgt
    sentences = [document.sentences[k] for k in indices]
    originals = [units[s.paragraph].variant(document.lang) for s in sentences]
    lang = next(v.lang for v in originals if v is not None)
    text = " ".join(s.text for s in sentences)
    whole = all(v is not None and counts[side][s.paragraph] == 1 and s.text == _side_text(v)
                for s, v in zip(sentences, originals))
    if not whole or all(v.markup is None for v in originals):
        return TmxVariant(lang, text)
    markup = " ".join(v.markup.strip() if v.markup is not None else html.escape(xml_safe(v.text.strip()), quote=False)
                      for v in originals)
    return TmxVariant(lang, text, markup=markup)


def reviewed_document(alignment: Alignment, include_rejected: bool = False) -> TmxDocument:
    """The original TMX with the review's changes (see the module's docstring)."""
    original = parse_tmx(alignment.original_tmx, alignment.src.source.path if alignment.src.source else "TMX")
    units = original.units
    counts = {side: {} for side in ("src", "tgt")}
    for side, document in (("src", alignment.src), ("tgt", alignment.tgt)):
        for sentence in document.sentences:
            counts[side][sentence.paragraph] = counts[side].get(sentence.paragraph, 0) + 1
    kept = {k: _original_unit(alignment, bead, units, counts) for k, bead in enumerate(alignment.beads)}
    taken = {units[p].tuid for p in kept.values() if p is not None}
    unplaced = [p for p in range(len(units)) if p not in counts["src"] and p not in counts["tgt"]]
    written: list[TmxUnit] = []
    for k, bead in enumerate(alignment.beads):
        first = min(document.sentences[i].paragraph for document, indices in
                    ((alignment.src, bead.src), (alignment.tgt, bead.tgt)) for i in indices)
        while unplaced and unplaced[0] < first:  # units without either text stay where they were
            written.append(units[unplaced.pop(0)])
        if bead.status == "rejected" and not include_rejected:
            continue
        if kept[k] is not None:
            written.append(_with_status(units[kept[k]], bead.status))
            continue
        if not bead.is_unit:
            continue
        drawn = [units[p] for p in sorted({alignment.src.sentences[i].paragraph for i in bead.src} |
                                          {alignment.tgt.sentences[j].paragraph for j in bead.tgt})]
        tuid = drawn[0].tuid
        if tuid is not None:
            base, n = tuid, 1
            while tuid in taken:
                n += 1
                tuid = f"{base}.{n}"
            taken.add(tuid)
        attrs = dict(drawn[0].attrs)
        attrs["changedate"] = creation_date()
        written.append(_with_status(TmxUnit(
            tuid, [_new_variant(alignment, units, "src", bead.src, counts),
                   _new_variant(alignment, units, "tgt", bead.tgt, counts)],
            list(dict.fromkeys(prop for unit in drawn for prop in unit.props)),
            list(dict.fromkeys(note for unit in drawn for note in unit.notes)), attrs), bead.status))
    written.extend(units[p] for p in unplaced)
    return TmxDocument(original.version, original.header, written, original.header_props, original.header_notes)


def write_reviewed_tmx(alignment: Alignment, path: str | os.PathLike, script: str = "keep",
                       include_rejected: bool = False) -> Path:
    """Write the reviewed TMX; a script conversion is refused (it would rewrite units the review left alone)."""
    if script != "keep":
        raise AlignUsageError("a reviewed TMX of another tool is written back as it was: --script converts only "
                              "alignments align made")
    write_document(reviewed_document(alignment, include_rejected), path)
    return Path(path)
