"""The Python API: read -> segment -> embed -> align -> score -> write, each stage a package of its own.

A notebook user calls these functions; the CLI (align/cli.py) is a thin layer over them.

    from align import pipeline
    alignment = pipeline.align_files("en.txt", "sr.txt", "en", "sr")
    alignment = pipeline.align_sentences(["Good morning.", "Thank you."], ["Dobro jutro.", "Hvala."], "en", "sr")
    pipeline.write_outputs(alignment, tmx_path="out.tmx", report_dir="report", alignment_path="out.align.json")
    alignment = pipeline.load_alignment("out.align.json")   # later: edit, re-score, write again
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import aligner, edits, segment
from .embed import Encoder, encode_pair, load_encoder, model_texts
from .errors import AlignError, AlignUsageError
from .files import check_writable
from .formats import alignment_file
from .formats.beads import write_beads
from .formats.tmx import ALL_LANGUAGES, parse_tmx, read_tmx, write_tmx
from .formats.tmx_review import units_alignment, write_reviewed_tmx
from .languages import is_serbian, primary_language, script_subtag, validate_tag
from .languages.sr_script import CONVERSIONS, SCRIPT_CHOICES, detect_script
from .quality import UnitFacts, audit, flag_alignment
from .quality.facts import Sentences
from .readers import read_paragraphs
from .records import Alignment, Bead, Document, ReportRow, Sentence

# A file named after a language ("en.txt", "sr-Latn.txt"): its folder names the document.
_LANGUAGE_NAMED = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", re.IGNORECASE)

# A pre-split file whose lines hold several sentences this often is probably ordinary paragraph text.
PRESPLIT_SEVERAL = 0.2

save_alignment = alignment_file.save
load_alignment = alignment_file.load


def document_name(path: str | os.PathLike) -> str:
    """The name a document gets from its file: the file's stem without a language suffix (guide.en.txt -> guide),
    or its folder's for a file named after a language (docs/harbour/en.txt -> harbour)."""
    path = Path(path).absolute()
    if _LANGUAGE_NAMED.fullmatch(path.stem) and path.parent.name:
        return path.parent.name
    base, _, suffix = path.stem.rpartition(".")
    return base if base and _LANGUAGE_NAMED.fullmatch(suffix) else path.stem


# ---------------------------------------------------------------------------------------------- aligning

# Only a line with end punctuation inside it can hold several sentences: the splitter is asked about those alone
# (it would take a sixth of the time of a --presplit run on Text+Berg to ask it about every line).
_INNER_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+\S|[。！？]\s*\S")


def read_document(path: str | os.PathLike, lang: str, presplit: bool = False,
                  name: str | None = None) -> Document:
    """Read a file (its format found by align.readers) and split it into sentences."""
    paragraphs, source = read_paragraphs(path)
    sentences = segment.presplit_document(paragraphs) if presplit else segment.split_document(paragraphs, lang)
    if not sentences:
        raise AlignError("no sentences found", path)
    script = detect_script("\n\n".join(p.text for p in paragraphs)) if is_serbian(lang) else None
    notices = []
    if presplit:
        several = sum(bool(_INNER_END.search(s.text)) and len(segment.split_paragraph(s.text, lang)) > 1
                      for s in sentences)
        if several >= PRESPLIT_SEVERAL * len(sentences) and several > 1:
            notices.append(f"--presplit takes each line as one sentence, but {several} of {len(sentences)} lines "
                           "hold several sentences: is this file really one sentence per line?")
    return Document(name=name or document_name(path), lang=lang, sentences=sentences, script=script, source=source,
                    notices=notices)


def embed_and_align(src_texts: list[str], tgt_texts: list[str], src_lang: str, tgt_lang: str, encoder: Encoder,
                    max_align: int = 4, paragraphs: tuple[list[int], list[int]] | None = None
                    ) -> tuple[list[Bead], np.ndarray, np.ndarray]:
    """The beads of two sentence lists, with the sentence vectors they were found with: each sentence given to the
    encoder (and then the aligner) in its language's model form (Serbian in Latin script). `paragraphs`: each
    sentence's paragraph number on either side, when known."""
    src_texts, tgt_texts = model_texts(src_texts, src_lang), model_texts(tgt_texts, tgt_lang)
    src_vectors, tgt_vectors = encode_pair(encoder, src_texts, tgt_texts)
    beads = aligner.align(src_texts, tgt_texts, src_vectors, tgt_vectors, max_align, paragraphs=paragraphs)
    return beads, src_vectors, tgt_vectors


def paragraph_numbers(alignment_or_documents) -> tuple[list[int], list[int]]:
    """Each sentence's paragraph number on either side (of an Alignment, or a (src, tgt) pair of Documents)."""
    src, tgt = ((alignment_or_documents.src, alignment_or_documents.tgt)
                if isinstance(alignment_or_documents, Alignment) else alignment_or_documents)
    return [s.paragraph for s in src.sentences], [s.paragraph for s in tgt.sentences]


def align_documents(src: Document, tgt: Document, encoder: Encoder | None = None,
                    max_align: int = 4, name: str | None = None) -> Alignment:
    """Embed and align two segmented documents, then score every bead."""
    encoder = encoder or load_encoder()
    started = time.perf_counter()
    beads, src_vectors, tgt_vectors = embed_and_align(src.texts, tgt.texts, src.lang, tgt.lang, encoder, max_align,
                                                      paragraph_numbers((src, tgt)))
    aligned = time.perf_counter()
    alignment = Alignment(src=src, tgt=tgt, beads=beads, name=name or src.name, model=encoder.name,
                          settings={"max_align": max_align, "backend": encoder.backend},
                          timings={"embed_align_s": aligned - started}, src_embeddings=src_vectors,
                          tgt_embeddings=tgt_vectors)
    flag_alignment(alignment)
    alignment.timings["score_s"] = time.perf_counter() - aligned
    return alignment


def rescore(alignment: Alignment, encoder: Encoder | None = None) -> Alignment:
    """Give every bead the confidence and flags the aligner and the checks would give it, after its beads were
    changed (by a reviewer, say); the sentences and their embeddings are the alignment's own. Sentences an edit
    made or changed have a row of NaN for a vector (align.edits): those, and only those, are encoded with `encoder`
    first, which must be the model the alignment was made with."""
    if alignment.src_embeddings is None or alignment.tgt_embeddings is None:
        raise AlignError("the alignment carries no sentence embeddings to score with")
    missing = {side: np.flatnonzero(np.isnan(vectors).any(axis=1)) for side, vectors in
               (("src", alignment.src_embeddings), ("tgt", alignment.tgt_embeddings))}
    if any(rows.size for rows in missing.values()):
        if encoder is None:
            raise AlignError("edited sentences have no vectors yet: give an encoder to embed them")
        if encoder.name != alignment.model:
            raise AlignUsageError(f"the alignment was made with the model {alignment.model!r}, not "
                                  f"{encoder.name!r}: edited sentences must be encoded with the same model")
        texts = {side: model_texts([document.sentences[k].text for k in missing[side]], document.lang)
                 for side, document in (("src", alignment.src), ("tgt", alignment.tgt))}
        vectors = dict(zip(("src", "tgt"), encode_pair(encoder, texts["src"], texts["tgt"])))
        for side in ("src", "tgt"):
            if missing[side].size:
                filled = getattr(alignment, f"{side}_embeddings").copy()
                filled[missing[side]] = vectors[side]
                setattr(alignment, f"{side}_embeddings", filled)
    src_texts = model_texts(alignment.src.texts, alignment.src.lang)
    tgt_texts = model_texts(alignment.tgt.texts, alignment.tgt.lang)
    scored = aligner.rescore(src_texts, tgt_texts, alignment.src_embeddings, alignment.tgt_embeddings,
                             alignment.beads, alignment.settings.get("max_align", 4),
                             paragraphs=paragraph_numbers(alignment))
    for bead, new in zip(alignment.beads, scored):
        bead.score, bead.similarity, bead.margin = new.score, new.similarity, new.margin
    flag_alignment(alignment)
    return alignment


def rescorer(encoder: Encoder | None = None, model: str | None = None,
             backend: str | None = None) -> Callable[[Alignment], Alignment]:
    """`rescore` for align.edits: the encoder (given, else the alignment's own model and backend, or `model` and
    `backend`) is loaded only when an edited sentence needs a vector, so undo, redo, linking and confirming never
    load it."""
    loaded = encoder

    def run(alignment: Alignment) -> Alignment:
        nonlocal loaded
        if loaded is None and any(vectors is not None and np.isnan(vectors).any()
                                  for vectors in (alignment.src_embeddings, alignment.tgt_embeddings)):
            loaded = load_encoder(model or alignment.model, backend or alignment.settings.get("backend"))
        return rescore(alignment, loaded)
    return run


def _encoder(model: str | None, encoder: Encoder | None, show_progress: bool = False,
             backend: str | None = None) -> Encoder:
    if encoder is not None and (model is not None or backend is not None):
        raise AlignUsageError("give a model (and backend) or an encoder, not both (the encoder has its model)")
    return encoder or load_encoder(model, backend, show_progress=show_progress)


def align_sentences(src_sentences: list[str], tgt_sentences: list[str], src_lang: str, tgt_lang: str,
                    name: str = "doc", model: str | None = None, encoder: Encoder | None = None,
                    max_align: int = 4, backend: str | None = None) -> Alignment:
    """Align two lists of sentences, taken as given (one paragraph each side); Serbian gets its script detected,
    as from a file. The notebook entry point: `align_sentences(["Hello."], ["Zdravo."], "en", "sr")`."""
    documents = []
    src_lang, tgt_lang = validate_tag(src_lang, "src_lang"), validate_tag(tgt_lang, "tgt_lang")
    for sentences, lang in ((src_sentences, src_lang), (tgt_sentences, tgt_lang)):
        if isinstance(sentences, str):
            raise AlignUsageError(f"the {lang} sentences must be a list of strings, not one string")
        if not sentences:
            raise AlignError(f"no {lang} sentences given")
        blank = next((k for k, text in enumerate(sentences) if not text.strip()), None)
        if blank is not None:
            raise AlignError(f"{lang} sentence {blank + 1} is empty")
        script = detect_script(" ".join(sentences)) if is_serbian(lang) else None
        documents.append(Document(name, lang, [Sentence(text, k, 0) for k, text in enumerate(sentences)], script))
    return align_documents(*documents, _encoder(model, encoder, backend=backend), max_align=max_align, name=name)


def align_files(src_path: str | os.PathLike, tgt_path: str | os.PathLike, src_lang: str, tgt_lang: str,
                presplit: bool = False, model: str | None = None, max_align: int = 4,
                name: str | None = None, encoder: Encoder | None = None,
                show_progress: bool = False, backend: str | None = None) -> Alignment:
    """Read, segment, embed, align and score two files."""
    src_lang, tgt_lang = validate_tag(src_lang, "src_lang"), validate_tag(tgt_lang, "tgt_lang")
    started = time.perf_counter()
    src = read_document(src_path, src_lang, presplit)
    tgt = read_document(tgt_path, tgt_lang, presplit)
    read_s = time.perf_counter() - started
    alignment = align_documents(src, tgt, _encoder(model, encoder, show_progress, backend), max_align=max_align,
                                name=name)
    alignment.settings["presplit"] = presplit
    alignment.timings["read_s"] = read_s
    return alignment


def align_tmx(path: str | os.PathLike, src_lang: str | None = None, tgt_lang: str | None = None,
              model: str | None = None, encoder: Encoder | None = None, backend: str | None = None) -> Alignment:
    """Another tool's TMX as an alignment to review: its units in file order as the two documents, one bead per
    unit, scored as the aligner and the checks would score them (align.formats.tmx_review)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except OSError as exc:
        raise AlignError(f"cannot read: {exc.strerror}", path) from exc
    document = parse_tmx(data, path)
    src_lang, tgt_lang = _languages(document, src_lang, tgt_lang, path)
    alignment = units_alignment(document, data, path, src_lang, tgt_lang)
    if not alignment.src.sentences or not alignment.tgt.sentences:
        raise AlignError(f"no unit has both a {src_lang} and a {tgt_lang} text", path)
    encoder = _encoder(model, encoder, backend=backend)
    alignment.model = encoder.name
    alignment.settings["backend"] = encoder.backend
    alignment.src_embeddings, alignment.tgt_embeddings = encode_pair(
        encoder, model_texts(alignment.src.texts, src_lang), model_texts(alignment.tgt.texts, tgt_lang))
    return rescore(alignment)


def read_edits(path: str | os.PathLike) -> list[tuple[int, dict]]:
    """The operations of an edits file (JSON lines, align.edits), each with its line number; blank lines skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AlignError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path) from exc
    ops = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            ops.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise AlignError(f"line {number}: not JSON ({exc.msg})", path) from None
    return ops


def edit_alignment(alignment: Alignment, ops: list[tuple[int, dict]], encoder: Encoder | None = None,
                   model: str | None = None, edits_path: str | os.PathLike | None = None,
                   backend: str | None = None) -> Alignment:
    """The alignment after the numbered operations (from read_edits), all applied as one step of its history and
    re-scored once; an operation that cannot apply is an error naming its line, and nothing is changed."""
    try:
        return edits.perform(alignment, [op for _, op in ops], rescorer(encoder, model, backend),
                             [f"line {number}" for number, _ in ops])
    except edits.OperationError as exc:
        raise AlignError(str(exc), edits_path) from None


# ---------------------------------------------------------------------------------------------- writing

def check_script_choice(script: str, src_lang: str, tgt_lang: str) -> None:
    """A usage error for an unknown script, or for a conversion asked where neither side is Serbian."""
    if script not in SCRIPT_CHOICES:
        raise AlignUsageError(f"unknown script {script!r} (choose from {', '.join(SCRIPT_CHOICES)})")
    if script != "keep" and not (is_serbian(src_lang) or is_serbian(tgt_lang)):
        raise AlignUsageError(f"--script {script} converts Serbian text, but neither {src_lang} nor {tgt_lang} "
                              "is Serbian")


def tmx_paths(path: str | os.PathLike, script: str) -> dict[str, Path]:
    """Where each requested Serbian script goes: the given path, or one file per script for `both`."""
    path = Path(path)
    if script == "both":
        return {s: path.with_name(f"{path.stem}.{tag}{path.suffix}") for s, (_, tag) in CONVERSIONS.items()}
    return {script: path}


def check_outputs(tmx_path: str | os.PathLike | None = None, beads_path: str | os.PathLike | None = None,
                  report_dir: str | os.PathLike | None = None, script: str = "keep",
                  inputs: tuple[str | os.PathLike, ...] = (), alignment_path: str | os.PathLike | None = None
                  ) -> None:
    """One clear error, before anything is written (or aligned), if one of the outputs cannot be written, would
    overwrite an input, or is the same file as another output."""
    paths = [*tmx_paths(tmx_path, script).values()] if tmx_path is not None else []
    paths += [Path(p) for p in (beads_path, alignment_path) if p is not None]
    report_files = []
    if report_dir is not None:
        from . import report  # with polars and Jinja2: imported only when a report is asked for (a faster start)

        report_files = [Path(report_dir) / name for name in report.REPORT_FILES]
    taken = {Path(path).resolve(): "an input" for path in inputs}
    for path in paths + report_files:
        if path.resolve() in taken:
            raise AlignUsageError(f"would overwrite {taken[path.resolve()]}; give another output path", path)
        taken[path.resolve()] = "another output"
    for path in paths + report_files[:1]:
        check_writable(path)


def write_outputs(alignment: Alignment, tmx_path: str | os.PathLike | None = None,
                  beads_path: str | os.PathLike | None = None,
                  report_dir: str | os.PathLike | None = None, script: str = "keep",
                  alignment_path: str | os.PathLike | None = None, inputs: tuple[str | os.PathLike, ...] = (),
                  include_rejected: bool = False) -> list[Path]:
    """Write the requested outputs of one alignment (all of them, or none when one cannot be written);
    returns the paths written. The TMX of a reviewed alignment leaves out the units the reviewer rejected, unless
    `include_rejected`; the review of another tool's TMX is written back as that TMX (align.formats.tmx_review)."""
    check_script_choice(script, alignment.src.lang, alignment.tgt.lang)
    if alignment.original_tmx is not None and script != "keep":
        raise AlignUsageError("a reviewed TMX of another tool is written back as it was: --script converts only "
                              "alignments align made")
    check_outputs(tmx_path, beads_path, report_dir, script, inputs, alignment_path)
    written: list[Path] = []
    if alignment_path is not None:
        save_alignment(alignment, alignment_path)
        written.append(Path(alignment_path))
    if tmx_path is not None and alignment.original_tmx is not None:
        written.append(write_reviewed_tmx(alignment, tmx_path, include_rejected=include_rejected))
    elif tmx_path is not None:
        for target_script, path in tmx_paths(tmx_path, script).items():
            write_tmx([alignment], path, script=target_script, include_rejected=include_rejected)
            written.append(path)
    if beads_path is not None:
        write_beads(alignment, beads_path)
        written.append(Path(beads_path))
    if report_dir is not None:
        from . import report

        written.extend(report.write_report(alignment, report_dir))
    return written


# ---------------------------------------------------------------------------------------------- auditing a TMX

@dataclass
class CheckResult:
    path: Path
    report_dir: Path | None
    src_lang: str
    tgt_lang: str
    units: list[ReportRow]
    files: list[Path]
    timings: dict[str, float]  # seconds per stage

    @property
    def counts(self) -> dict[str, int]:
        """Units, units not ok, and units carrying each flag."""
        flags = Counter(flag.name for unit in self.units for flag in {f.name: f for f in unit.flags}.values())
        return {"units": len(self.units), "not_ok": sum(not u.ok for u in self.units), **dict(flags.most_common())}

    def summary_line(self) -> str:
        counts = self.counts
        details = ", ".join(f"{name} {n}" for name, n in counts.items() if name not in ("units", "not_ok"))
        return (f"{self.path}: {counts['units']} units ({self.src_lang} -> {self.tgt_lang}), "
                f"{counts['not_ok']} not ok" + (f" ({details})" if details else "")
                + (f"; report in {self.report_dir}" if self.report_dir else ""))


def _languages(document, src_lang: str | None, tgt_lang: str | None, path) -> tuple[str, str]:
    """The source language (given, else the header's srclang) and the target (given, else the most common other)."""
    found = Counter(v.lang for unit in document.units for v in unit.variants)
    if not found:
        raise AlignError("the TMX has no units (none with a <tuv>)", path)
    src = src_lang or document.srclang
    if not src or src == ALL_LANGUAGES:
        src = found.most_common(1)[0][0]
    others = Counter({lang: n for lang, n in found.items() if primary_language(lang) != primary_language(src)})
    if tgt_lang is None:
        if not others:
            raise AlignError(f"no language other than {src} found; give --tgt-lang", path)
        tgt_lang = others.most_common(1)[0][0]
        same_language = {lang for lang in others if primary_language(lang) == primary_language(tgt_lang)}
        if len({script_subtag(lang) for lang in same_language}) > 1:
            tgt_lang = primary_language(tgt_lang)  # sr-Latn and sr-Cyrl targets: check them all
    if not any(primary_language(lang) == primary_language(src) for lang in found):
        raise AlignError(f"no {src} text found (languages: {', '.join(sorted(found))})", path)
    if not any(primary_language(lang) == primary_language(tgt_lang) for lang in found):
        raise AlignError(f"no {tgt_lang} text found (languages: {', '.join(sorted(found))})", path)
    return src, tgt_lang


def read_units(path: str | os.PathLike, src_lang: str | None = None, tgt_lang: str | None = None
               ) -> tuple[list[str], list[UnitFacts], str, str]:
    """Every unit of a TMX as the checks see it (its texts in the two languages, their tags and inline codes), with
    its id (the tuid, else its 1-based position), and the two languages."""
    document = read_tmx(path)
    src_lang, tgt_lang = _languages(document, src_lang, tgt_lang, path)
    ids, units = [], []
    for position, unit in enumerate(document.units, start=1):
        src, tgt = unit.variant(src_lang), unit.variant(tgt_lang)
        ids.append(unit.tuid or str(position))
        units.append(UnitFacts(src.text if src else "", tgt.text if tgt else "", src.lang if src else "",
                               tgt.lang if tgt else "", src_codes=src.codes if src else (),
                               tgt_codes=tgt.codes if tgt else (), src_pieces=src.pieces if src else (),
                               tgt_pieces=tgt.pieces if tgt else ()))
    return ids, units, src_lang, tgt_lang


def _encode(encoder, texts: list[str], lang: str) -> np.ndarray:
    """Normalised embeddings; an empty text gets a zero vector (it is flagged `empty` anyway)."""
    filled = [k for k, text in enumerate(texts) if text.strip()]
    encoded = (encoder.encode(model_texts([texts[k] for k in filled], lang)) if filled
               else np.zeros((0, 1), dtype=np.float32))
    out = np.zeros((len(texts), encoded.shape[1]), dtype=np.float32)
    out[filled] = encoded
    return out


def _with_sentences(units: list[UnitFacts], encoder: Encoder, src_lang: str, tgt_lang: str) -> list[UnitFacts]:
    """The units with both sides split into sentences and embedded (UnitFacts.src_split/tgt_split) where one side
    holds several sentences: the evidence of the omitted-sentence check."""
    splits = [(segment.split_paragraph(u.src, src_lang), segment.split_paragraph(u.tgt, tgt_lang)) for u in units]
    several = [k for k, (src, tgt) in enumerate(splits) if src and tgt and max(len(src), len(tgt)) >= 2]
    if not several:
        return units
    src_vectors = _encode(encoder, [s for k in several for s in splits[k][0]], src_lang)
    tgt_vectors = _encode(encoder, [t for k in several for t in splits[k][1]], tgt_lang)
    units = list(units)
    src_at = tgt_at = 0
    for k in several:
        src, tgt = splits[k]
        units[k] = dataclasses.replace(
            units[k], src_split=Sentences(tuple(src), src_vectors[src_at:src_at + len(src)]),
            tgt_split=Sentences(tuple(tgt), tgt_vectors[tgt_at:tgt_at + len(tgt)]))
        src_at, tgt_at = src_at + len(src), tgt_at + len(tgt)
    return units


def check_tmx(path: str | os.PathLike, report_dir: str | os.PathLike | None = None, src_lang: str | None = None,
              tgt_lang: str | None = None, model: str | None = None, backend: str | None = None) -> CheckResult:
    """Audit a TMX: score every unit and, given a folder, write the report there (units.csv/.parquet,
    summary.json, report.html)."""
    started = time.perf_counter()
    ids, units, src_lang, tgt_lang = read_units(path, src_lang, tgt_lang)
    read_s = time.perf_counter() - started
    encoder = load_encoder(model, backend)
    src_embeddings = _encode(encoder, [u.src for u in units], src_lang)
    tgt_embeddings = _encode(encoder, [u.tgt for u in units], tgt_lang)
    units = _with_sentences(units, encoder, src_lang, tgt_lang)
    embedded = time.perf_counter()
    rows = audit.audit_units(ids, units, src_embeddings, tgt_embeddings, src_lang, tgt_lang)
    timings = {"read_s": read_s, "embed_s": embedded - started - read_s, "score_s": time.perf_counter() - embedded}
    files = []
    if report_dir is not None:
        from . import report

        files = report.write_check_report(Path(path), rows, src_lang, tgt_lang, src_embeddings, tgt_embeddings,
                                          report_dir, model=encoder.name)
    return CheckResult(Path(path), None if report_dir is None else Path(report_dir), src_lang, tgt_lang, rows,
                       files, timings)
