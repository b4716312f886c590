"""The Python API: read -> segment -> embed -> align -> score -> write.

A notebook user calls these functions; the CLI (align/cli.py) is a thin layer over them.

    from align import pipeline
    alignment = pipeline.align_files("en.txt", "sr.txt", "en", "sr")
    alignment = pipeline.align_sentences(["Good morning.", "Thank you."], ["Dobro jutro.", "Hvala."], "en", "sr")
    pipeline.write_outputs(alignment, tmx_path="out.tmx", report_dir="report")
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from . import aligner, read, report, score, segment, tmx
from .embed import Embedder
from .errors import AlignError, AlignUsageError
from .files import atomic_write, check_writable
from .records import Alignment, Document, Sentence, is_serbian
from .script import CONVERSIONS, SCRIPT_CHOICES, detect_script


# A file named after a language ("en.txt", "sr-Latn.txt"): its folder names the document.
_LANGUAGE_NAMED = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", re.IGNORECASE)


def document_name(path: str | os.PathLike) -> str:
    """The name a document gets from its file: the file's stem without a language suffix (guide.en.txt -> guide),
    or its folder's for a file named after a language (docs/harbour/en.txt -> harbour)."""
    path = Path(path).absolute()
    if _LANGUAGE_NAMED.fullmatch(path.stem) and path.parent.name:
        return path.parent.name
    base, _, suffix = path.stem.rpartition(".")
    return base if base and _LANGUAGE_NAMED.fullmatch(suffix) else path.stem


def read_document(path: str | os.PathLike, lang: str, presplit: bool = False,
                  name: str | None = None) -> Document:
    """Read a file (any common encoding, plain text or HTML) and split it into sentences."""
    text = read.read_text(path)
    sentences = segment.presplit_document(text) if presplit else segment.split_document(text, lang)
    if not sentences:
        raise AlignError("no sentences found", path)
    script = detect_script(text) if is_serbian(lang) else None
    return Document(name=name or document_name(path), lang=lang, sentences=sentences, script=script)


def align_documents(src: Document, tgt: Document, embedder: Embedder | None = None,
                    max_align: int = 4, name: str | None = None) -> Alignment:
    """Embed and align two segmented documents, then score every bead."""
    embedder = embedder or Embedder()
    started = time.perf_counter()
    beads, src_embeddings, tgt_embeddings = aligner.encode_and_align(src.texts, tgt.texts, embedder, max_align,
                                                                     src.lang, tgt.lang)
    aligned = time.perf_counter()
    alignment = Alignment(src=src, tgt=tgt, beads=beads, name=name or src.name, model=embedder.name,
                          timings={"embed_align_s": aligned - started}, src_embeddings=src_embeddings,
                          tgt_embeddings=tgt_embeddings)
    score.flag_alignment(alignment)
    alignment.timings["score_s"] = time.perf_counter() - aligned
    return alignment


def _embedder(model: str | None, embedder: Embedder | None, show_progress: bool = False) -> Embedder:
    if embedder is not None and model is not None:
        raise AlignUsageError("give a model or an embedder, not both (the embedder has its model)")
    return embedder or Embedder(model, show_progress=show_progress)


def align_sentences(src_sentences: list[str], tgt_sentences: list[str], src_lang: str, tgt_lang: str,
                    name: str = "doc", model: str | None = None, embedder: Embedder | None = None,
                    max_align: int = 4) -> Alignment:
    """Align two lists of sentences, taken as given (one paragraph each side); Serbian gets its script detected,
    as from a file. The notebook entry point: `align_sentences(["Hello."], ["Zdravo."], "en", "sr")`."""
    documents = []
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
    return align_documents(*documents, _embedder(model, embedder), max_align=max_align, name=name)


def align_files(src_path: str | os.PathLike, tgt_path: str | os.PathLike, src_lang: str, tgt_lang: str,
                presplit: bool = False, model: str | None = None, max_align: int = 4,
                name: str | None = None, embedder: Embedder | None = None,
                show_progress: bool = False) -> Alignment:
    """Read, segment, embed, align and score two files."""
    started = time.perf_counter()
    src = read_document(src_path, src_lang, presplit)
    tgt = read_document(tgt_path, tgt_lang, presplit)
    read_s = time.perf_counter() - started
    alignment = align_documents(src, tgt, _embedder(model, embedder, show_progress), max_align=max_align, name=name)
    alignment.timings["read_s"] = read_s
    return alignment


def check_script_choice(script: str, src_lang: str, tgt_lang: str) -> None:
    """A usage error for an unknown script, or for a conversion asked where neither side is Serbian."""
    if script not in SCRIPT_CHOICES:
        raise AlignUsageError(f"unknown script {script!r} (choose from {', '.join(SCRIPT_CHOICES)})")
    if script != "keep" and not (is_serbian(src_lang) or is_serbian(tgt_lang)):
        raise AlignUsageError(f"--script {script} converts Serbian text, but neither {src_lang} nor {tgt_lang} "
                              "is Serbian")


def write_beads(alignment: Alignment, path: str | os.PathLike) -> None:
    """One JSON object per bead, in document order: {"src": [...], "tgt": [...], "score": float}."""
    with atomic_write(path) as out:
        for bead in alignment.beads:
            out.write(json.dumps({"src": list(bead.src), "tgt": list(bead.tgt),
                                  "score": round(bead.score, 4)}) + "\n")


def tmx_paths(path: str | os.PathLike, script: str) -> dict[str, Path]:
    """Where each requested Serbian script goes: the given path, or one file per script for `both`."""
    path = Path(path)
    if script == "both":
        return {s: path.with_name(f"{path.stem}.{tag}{path.suffix}") for s, (_, tag) in CONVERSIONS.items()}
    return {script: path}


def check_outputs(tmx_path: str | os.PathLike | None = None, beads_path: str | os.PathLike | None = None,
                  report_dir: str | os.PathLike | None = None, script: str = "keep",
                  inputs: tuple[str | os.PathLike, ...] = ()) -> None:
    """One clear error, before anything is written (or aligned), if one of the outputs cannot be written, would
    overwrite an input, or is the same file as another output."""
    paths = [*tmx_paths(tmx_path, script).values()] if tmx_path is not None else []
    paths += [Path(beads_path)] if beads_path is not None else []
    report_files = [Path(report_dir) / name for name in report.REPORT_FILES] if report_dir is not None else []
    taken = {Path(path).resolve(): "an input" for path in inputs}
    for path in paths + report_files:
        if path.resolve() in taken:
            raise AlignUsageError(f"would overwrite {taken[path.resolve()]}; give another output path", path)
        taken[path.resolve()] = "another output"
    for path in paths + report_files[:1]:
        check_writable(path)


def write_outputs(alignment: Alignment, tmx_path: str | os.PathLike | None = None,
                  beads_path: str | os.PathLike | None = None,
                  report_dir: str | os.PathLike | None = None, script: str = "keep") -> list[Path]:
    """Write the requested outputs of one alignment (all of them, or none when one cannot be written);
    returns the paths written."""
    check_script_choice(script, alignment.src.lang, alignment.tgt.lang)
    check_outputs(tmx_path, beads_path, report_dir, script)
    written: list[Path] = []
    if tmx_path is not None:
        for target_script, path in tmx_paths(tmx_path, script).items():
            tmx.write_tmx([alignment], path, script=target_script)
            written.append(path)
    if beads_path is not None:
        write_beads(alignment, beads_path)
        written.append(Path(beads_path))
    if report_dir is not None:
        written.extend(report.write_report(alignment, report_dir))
    return written
