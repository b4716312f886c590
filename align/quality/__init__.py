"""Score stage: the quality checks behind the flags, and the one rule that decides `ok`
(read -> segment -> embed -> align -> *score* -> write).

The checks form a family, one module per member in align/quality/checks/, gathered in CATALOGUE in the order their
flags are listed. A member has NAME (its flag), SEVERE, MEANING (one line for the report's legend and the README's
table, both generated from the catalogue), SCOPE and `check(unit, document)`, a generator of reasons, each
becoming one Flag. Every check sees a unit as `UnitFacts` (its texts, language tags, inline codes, the evidence the
aligner or the audit found) and its document as `DocumentContext` (what is normal in it: DocumentProfile; what is
wrong with all of it: the document verdict). The same checks serve the beads of an alignment (`flag_alignment`)
and the units of a TMX made by any tool (align.quality.audit).

SCOPE says which units a check looks at: "lone" the 1-0 and 0-1 beads only, "unit" every unit, "text" units with
text on both sides (an empty side is the `empty` check's business alone).

How `ok` is decided (records.is_ok, the only place): a unit is ok unless one of its flags is severe, as the check
that raised it says (SEVERE). Severe flags mean
"this is not a usable translation unit"; the others are hints that fire on a fair share of good translations too
(numbers spelled out, names adapted, a question turned into a statement): they point a reviewer at details
without condemning the unit.

Confidence and flags agree (`shown_confidence`, the only place, for `align pair` and `align check` alike): a unit
with a severe flag shows a confidence of at most FLAGGED_CONFIDENCE (0.49, below the low-confidence threshold
MIN_CONFIDENCE), in the TMX's x-confidence, the report and its CSV: an untranslated copy or a unit missing a
sentence may look perfect to the embedding model, and a user who keeps units of confidence 0.5 and up must not
keep it. Units with no severe flag show the model's confidence as it is. The model's own confidence, before the
cap, is what the aligner returns (aligner.align, pipeline.embed_and_align) and what its calibration is measured
on (bench/bench_accuracy.py --calibration).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..records import Alignment, Bead, Flag, is_ok
from .checks import (confidence, empty, inline_codes, length_ratio, margin, mislabelled, mismatched, names,
                     neighbour, numbers, omission, punctuation, truncated, unaligned, untranslated, wrong_script)
from .document import document_problems
from .facts import DocumentContext, Sentences, SimilarityScale, UnitFacts
from .profile import DocumentProfile

CATALOGUE = (mismatched, mislabelled, inline_codes, unaligned, confidence, margin, empty, untranslated,
             wrong_script, truncated, omission, length_ratio, numbers, names, punctuation, neighbour)
CHECKS = {member.NAME: member for member in CATALOGUE}
SEVERE = frozenset(member.NAME for member in CATALOGUE if member.SEVERE)
FLAG_MEANINGS = {member.NAME: member.MEANING for member in CATALOGUE}
MIN_CONFIDENCE = confidence.MIN_CONFIDENCE
FLAGGED_CONFIDENCE = 0.49  # the most a unit with a severe flag shows: below MIN_CONFIDENCE, so never read as good


def shown_confidence(model_confidence: float, flags: list[Flag]) -> float:
    """The confidence a unit shows (TMX x-confidence, report, CSV): the model's, at most FLAGGED_CONFIDENCE when a
    severe flag fires (see the module docstring)."""
    return model_confidence if is_ok(flags) else min(model_confidence, FLAGGED_CONFIDENCE)


def applies(member, unit: UnitFacts) -> bool:
    if unit.lone:
        return member.SCOPE == "lone"
    return member.SCOPE == "unit" or member.SCOPE == "text" and unit.has_text


def flags_of(unit: UnitFacts, document: DocumentContext, members: Sequence = CATALOGUE) -> list[Flag]:
    """Every flag the checks raise on a unit, in catalogue order."""
    return [Flag(member.NAME, reason, member.SEVERE) for member in members if applies(member, unit)
            for reason in member.check(unit, document)]


def flag(name: str, reason: str) -> Flag:
    """A flag by its name, severe as its check says (a name no check has is a hint)."""
    return Flag(name, reason, name in SEVERE)


def check(name: str, src: str, tgt: str, profile: DocumentProfile | None = None, **facts) -> Flag | None:
    """One check on one pair of texts (with more UnitFacts as keywords), in a document described by `profile`
    (default: a document of this pair alone): its first flag, or None. For a notebook, and the tests."""
    document = DocumentContext(profile or DocumentProfile.of([(src, tgt)], "und", "und"))
    return next(iter(flags_of(UnitFacts(src, tgt, **facts), document, [CHECKS[name]])), None)


def fires(member, unit: UnitFacts, document: DocumentContext) -> bool:
    return applies(member, unit) and next(iter(member.check(unit, document)), None) is not None


def _similarity_scale(alignment: Alignment) -> SimilarityScale | None:
    if alignment.src_embeddings is None or alignment.tgt_embeddings is None:
        return None
    return SimilarityScale.of(alignment.src_embeddings, alignment.tgt_embeddings,
                              [(b.src[0], b.tgt[0]) for b in alignment.beads if len(b.src) == len(b.tgt) == 1])


def _split(alignment: Alignment, bead: Bead) -> tuple[Sentences | None, Sentences | None]:
    """Both sides of a bead sentence by sentence with their embeddings, when one side has several sentences."""
    if (max(len(bead.src), len(bead.tgt)) < 2 or not bead.is_unit or alignment.src_embeddings is None
            or alignment.tgt_embeddings is None):
        return None, None
    sides = []
    for indices, document, embeddings in ((bead.src, alignment.src, alignment.src_embeddings),
                                          (bead.tgt, alignment.tgt, alignment.tgt_embeddings)):
        vectors = embeddings[list(indices)]
        if not np.isfinite(vectors).all():  # a sentence edited but not yet embedded
            return None, None
        sides.append(Sentences(tuple(document.sentences[i].text for i in indices), vectors))
    return sides[0], sides[1]


def flag_alignment(alignment: Alignment) -> None:
    """Set `flags` on every bead of an alignment (1-0 and 0-1 beads get `unaligned`), and `warnings` on the
    alignment when the whole of it is suspect (then every unit carries mismatched-documents too); then cap the
    confidence of the beads that are not ok (shown_confidence). Run on the aligner's confidences, as
    pipeline.align_documents and pipeline.rescore do."""
    pairs = [(alignment.src_text(b), alignment.tgt_text(b)) for b in alignment.units]
    alignment.warnings = document_problems(alignment)
    document = DocumentContext(DocumentProfile.of(pairs, alignment.src.lang, alignment.tgt.lang),
                               tuple(alignment.warnings), _similarity_scale(alignment))
    beads = alignment.beads
    for k, bead in enumerate(beads):
        beside = tuple(f"{'source' if other.src else 'target'} sentence {(other.src or other.tgt)[0] + 1}"
                       for other in (beads[n] for n in (k - 1, k + 1) if 0 <= n < len(beads))
                       if not other.is_unit)
        src_split, tgt_split = _split(alignment, bead)
        unit = UnitFacts(alignment.src_text(bead), alignment.tgt_text(bead), src_sentences=bead.src,
                         tgt_sentences=bead.tgt, confidence=bead.score, similarity=bead.similarity,
                         margin=bead.margin, beside_unaligned=beside, lone=not bead.is_unit,
                         src_split=src_split, tgt_split=tgt_split)
        bead.flags = flags_of(unit, document)
        if bead.is_unit:
            bead.score = shown_confidence(bead.score, bead.flags)


def catalogue_table() -> str:
    """The flags as a Markdown table (the README's, generated from the catalogue)."""
    rows = [f"| `{m.NAME}` | {'yes' if m.SEVERE else 'no'} | {m.MEANING} |" for m in CATALOGUE]
    return "\n".join(["| flag | severe (not ok) | meaning |", "|---|---|---|", *rows])
