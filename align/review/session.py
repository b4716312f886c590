"""One review: the alignment being reviewed, the file it lives in, and where its outputs go. Every change is saved
to the alignment file at once (an atomic rewrite: the file is always a whole alignment, either before or after the
change), so killing the server or closing the tab loses nothing, and opening the file again gives back the state
and the undo history."""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import edits, pipeline
from ..errors import AlignError, AlignUsageError
from ..languages import is_serbian
from ..languages.sr_script import detect_script, to_cyrillic, to_latin
from ..quality import FLAG_MEANINGS
from ..records import Alignment, Bead

ALIGNMENT_SUFFIX = ".align.json"


@dataclass
class Outputs:
    """Where the page's export writes: chosen on the command line, never by the page."""

    tmx: Path
    beads: Path
    report_dir: Path
    include_rejected: bool = False

    @classmethod
    def beside(cls, alignment_path: str | os.PathLike, tmx: str | os.PathLike | None = None,
               beads: str | os.PathLike | None = None, report_dir: str | os.PathLike | None = None,
               include_rejected: bool = False) -> Outputs:
        """The given paths, else STEM.reviewed.tmx, STEM.reviewed.beads.jsonl and STEM.reviewed-report/ beside the
        alignment file STEM.align.json."""
        path = Path(alignment_path)
        stem = path.name[:-len(ALIGNMENT_SUFFIX)] if path.name.endswith(ALIGNMENT_SUFFIX) else path.stem
        folder = path.parent
        return cls(Path(tmx) if tmx else folder / f"{stem}.reviewed.tmx",
                   Path(beads) if beads else folder / f"{stem}.reviewed.beads.jsonl",
                   Path(report_dir) if report_dir else folder / f"{stem}.reviewed-report", include_rejected)


@functools.lru_cache(maxsize=65536)
def other_script(text: str) -> str:
    """A Serbian sentence in the script it is not written in."""
    return to_latin(text) if detect_script(text) == "Cyrl" else to_cyrillic(text)


def to_review(bead: Bead) -> bool:
    """Not yet reviewed, and not ok (a severe flag): what the reviewer should look at first."""
    return not bead.status and any(flag.severe for flag in bead.flags)


class Session:
    """The alignment under review, saved to `path` after every change."""

    def __init__(self, alignment: Alignment, path: str | os.PathLike, outputs: Outputs, model: str | None = None,
                 backend: str | None = None):
        self.alignment = alignment
        self.path = Path(path)
        self.outputs = outputs
        self.rescore = pipeline.rescorer(model=model, backend=backend)

    @classmethod
    def open(cls, path: str | os.PathLike, outputs: Outputs | None = None, model: str | None = None,
             backend: str | None = None) -> Session:
        return cls(pipeline.load_alignment(path), path, outputs or Outputs.beside(path), model, backend)

    def _keep(self, alignment: Alignment) -> None:
        if alignment is not self.alignment:
            pipeline.save_alignment(alignment, self.path)
            self.alignment = alignment

    def edit(self, ops: list) -> None:
        """One reviewer's action (align.edits operations), applied, re-scored and saved."""
        if not isinstance(ops, list) or not ops:
            raise AlignUsageError('"ops" must be a list of operations')
        self._keep(edits.perform(self.alignment, ops, self.rescore))

    def undo(self) -> None:
        self._keep(edits.undo(self.alignment, self.rescore))

    def redo(self) -> None:
        self._keep(edits.redo(self.alignment, self.rescore))

    def export(self) -> list[Path]:
        """The corrected TMX, beads and report, where `outputs` says."""
        out = self.outputs
        sources = [d.source.path for d in (self.alignment.src, self.alignment.tgt) if d.source is not None]
        return pipeline.write_outputs(self.alignment, out.tmx, out.beads, out.report_dir,
                                      inputs=(self.path, *sources), include_rejected=out.include_rejected)

    def progress(self) -> dict:
        beads = self.alignment.beads
        units = [b for b in beads if b.is_unit]
        return {"units": len(units), "confirmed": sum(b.status == "confirmed" for b in units),
                "rejected": sum(b.status == "rejected" for b in units),
                "reviewed": sum(bool(b.status) for b in beads), "beads": len(beads),
                "to_review": sum(to_review(b) for b in beads)}

    def state(self) -> dict:
        """Everything the page shows, as JSON: sentences (with the other script for Serbian), beads, progress."""
        a = self.alignment
        sides = {}
        for side, document in (("src", a.src), ("tgt", a.tgt)):
            serbian = is_serbian(document.lang)
            sides[side] = {"label": document.tag, "serbian": serbian,
                           "sentences": [{"text": s.text, "other": other_script(s.text) if serbian else None,
                                          "kind": s.kind} for s in document.sentences]}
        history = a.history
        last = history.steps[history.done - 1].ops if history.done else []
        return {
            "name": a.name, "warnings": a.warnings, "src": sides["src"], "tgt": sides["tgt"],
            "beads": [{"src": list(b.src), "tgt": list(b.tgt), "score": round(b.score, 4), "status": b.status,
                       "unit": b.is_unit, "ok": not any(f.severe for f in b.flags), "review": to_review(b),
                       "flags": [{"name": f.name, "reason": f.reason, "severe": f.severe} for f in b.flags]}
                      for b in a.beads],
            "progress": self.progress(),
            "history": {"done": history.done, "steps": len(history.steps), "can_undo": edits.can_undo(a),
                        "can_redo": edits.can_redo(a), "last": list(last)},
            "meanings": {name: FLAG_MEANINGS[name] for name in {f.name for b in a.beads for f in b.flags}
                         if name in FLAG_MEANINGS},
            "file": str(self.path),
            "outputs": {"tmx": str(self.outputs.tmx), "beads": str(self.outputs.beads),
                        "report": str(self.outputs.report_dir)},
        }


# ---------------------------------------------------------------------------------------------- opening

def _same_inputs(alignment: Alignment, paths: list[Path], where: Path) -> None:
    """An error unless a saved review is of these very files (same contents)."""
    for document, path in zip((alignment.src, alignment.tgt), paths):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if document.source is None or document.source.sha256 != digest:
            raise AlignUsageError(f"holds a review of other files than {', '.join(map(str, paths))} (or of an "
                                  "older version of them); open it by itself, or give another --alignment", where)


def open_review(paths: list[str | os.PathLike], alignment_path: str | os.PathLike | None = None,
                src_lang: str | None = None, tgt_lang: str | None = None, model: str | None = None,
                presplit: bool = False, outputs: dict | None = None, show_progress: bool = False,
                backend: str | None = None) -> Session:
    """The review of PATH(s) as `align review` takes them: an alignment file; a TMX (its units, aligned as they
    are); or two documents (aligned first). A TMX or two documents are saved as an alignment file (beside the
    first input, or `alignment_path`); a saved review of the same inputs is opened again, not started anew."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise AlignUsageError("cannot read: No such file", path)
    if len(paths) == 1 and (paths[0].name.endswith(".json")):
        if alignment_path is not None:
            raise AlignUsageError("--alignment is for a TMX or two documents: the alignment file is PATH itself")
        return Session.open(paths[0], Outputs.beside(paths[0], **(outputs or {})), model, backend)
    if len(paths) == 1:
        stem = paths[0].stem
    elif len(paths) == 2:
        stem = pipeline.document_name(paths[0])
    else:
        raise AlignUsageError("give an alignment file, a TMX, or two documents")
    target = Path(alignment_path) if alignment_path else paths[0].parent / f"{stem}{ALIGNMENT_SUFFIX}"
    if target.resolve() in {p.resolve() for p in paths}:
        raise AlignUsageError("the alignment file would overwrite an input; give another --alignment", target)
    if target.exists():
        alignment = pipeline.load_alignment(target)
        if len(paths) == 1 and alignment.original_tmx != paths[0].read_bytes():
            raise AlignUsageError(f"holds a review of another TMX than {paths[0]}; open it by itself, or give "
                                  "another --alignment", target)
        if len(paths) == 2:
            _same_inputs(alignment, paths, target)
        return Session(alignment, target, Outputs.beside(target, **(outputs or {})), model, backend)
    if len(paths) == 1:
        alignment = pipeline.align_tmx(paths[0], src_lang, tgt_lang, model=model, backend=backend)
    else:
        alignment = pipeline.align_files(paths[0], paths[1], src_lang or "en", tgt_lang or "sr", presplit=presplit,
                                         model=model, show_progress=show_progress, backend=backend)
    if not alignment.beads:
        raise AlignError("nothing to review", paths[0])
    pipeline.check_outputs(alignment_path=target, inputs=tuple(paths))
    pipeline.save_alignment(alignment, target)
    return Session(alignment, target, Outputs.beside(target, **(outputs or {})), model, backend)
