"""The alignment as a document (`align pair --alignment OUT.align.json`): everything needed to write every output
again without aligning (`align write`), to review and edit it (`align review`, `align edit`) and to re-score it.

A JSON object, UTF-8, schema `alignment.schema.json` beside this module (checked on load):

    {"format": "align/alignment", "version": 1,
     "name": "interview",                      unit ids (TMX tuids) derive from it: interview-0001, ...
     "model": "multilingual-e5-small",         the encoder's model ...
     "settings": {"max_align": 4, "backend": ...},  ... what the aligner was run with, and what ran the model
     "warnings": ["..."],                      what makes the whole alignment suspect (empty when nothing does)
     "documents": {"src": DOCUMENT, "tgt": DOCUMENT},
     "beads": [BEAD, ...],                     in document order, every sentence of each side in exactly one
     "history": HISTORY,                       only once the alignment was edited (`align review`, `align edit`)
     "original_tmx": "PHR4IHZlcnNpb249..."}    only in the review of another tool's TMX: that file's bytes,
                                               base64; its units are the documents' sentences (below)

    DOCUMENT: {"name": "interview", "lang": "en" (as given), "script": "Latn" | "Cyrl" | "mixed" | null,
               "source": {"path": "...", "sha256": "...", "format": "text"} | null (sentences given directly),
               "sentences": [{"text": "...", "paragraph": 0, "kind": "body"}, ...],
               "embeddings": {"dtype": "<f4", "shape": [n, d], "base64": "..."} | null}
    BEAD: {"src": [0, 1], "tgt": [0], "confidence": 0.93, "similarity": 0.88, "margin": 1.2,
           "status": "" | "confirmed" | "rejected",
           "flags": [{"name": "numbers", "reason": "...", "severe": false}]}
    HISTORY: {"done": 2,                       steps[:done] are applied; the others were undone (redo-able)
              "steps": [STEP, ...]}            oldest first
    STEP: {"ops": [OP, ...],                   one reviewer's action: the edit operations (align/edits.py), as sent
           "beads": {"at": 5, "old": [[1, 1, "confirmed"]], "new": [[2, 1, ""]]},
           "src": SENTENCES_SPLICE, "tgt": SENTENCES_SPLICE}
        what the action changed, so that undo and redo need no model: in the list of beads, written as [source
        count, target count, status], the items from position `at` on that were `old` became `new`; the same for
        each side's sentences, SENTENCES_SPLICE being {"at": 3, "old": [SENTENCE, ...], "new": [SENTENCE, ...]}
        with SENTENCE {"text": "...", "paragraph": 0, "kind": "body", "vector": "base64 of <f4 bytes" | null}.
        Confidences and flags are not kept: a re-score gives them back exactly.

A review of another tool's TMX (`align review file.tmx`) takes the TMX's units in file order as the two documents:
each unit's source and target text is one sentence of its side (a unit without one of them gives that side no
sentence), whose `paragraph` is the unit's 0-based position in the file and `kind` "body"; the beads start as one
per unit. On writing, a bead that is still exactly one original unit with its texts unedited is that unit as it was
(tuid, attributes, props, notes, every variant and its inline markup); see align/formats/tmx_review.py.

Sentence indices are 0-based. Floats are written as Python writes them (the shortest text that reads back as the
same number), and the embeddings as their raw little-endian float32 bytes, so a loaded alignment is the saved one
exactly: outputs written from it are byte-identical to those `align pair` wrote (under the same
SOURCE_DATE_EPOCH). Version 1 is the first; a reader refuses versions it does not know.
"""
from __future__ import annotations

import base64
import functools
import json
import os
from importlib import resources

import numpy as np

from ..errors import AlignError, AlignUsageError
from ..files import atomic_write
from ..records import Alignment, Bead, Document, EditHistory, EditStep, Flag, Sentence, SourceFile, Splice

FORMAT = "align/alignment"
VERSION = 1
STATUSES = ("", "confirmed", "rejected")


def _vectors(array: np.ndarray | None) -> dict | None:
    if array is None:
        return None
    array = np.ascontiguousarray(array, dtype="<f4")
    return {"dtype": "<f4", "shape": list(array.shape), "base64": base64.b64encode(array.tobytes()).decode("ascii")}


def _document(document: Document, embeddings: np.ndarray | None) -> dict:
    source = document.source
    return {"name": document.name, "lang": document.lang, "script": document.script,
            "source": None if source is None else {"path": source.path, "sha256": source.sha256,
                                                   "format": source.format},
            "sentences": [{"text": s.text, "paragraph": s.paragraph, "kind": s.kind} for s in document.sentences],
            "embeddings": _vectors(embeddings)}


def _sentence_item(item: tuple) -> dict:
    text, paragraph, kind, vector = item
    return {"text": text, "paragraph": paragraph, "kind": kind,
            "vector": None if vector is None else base64.b64encode(vector).decode("ascii")}


def _history(history: EditHistory) -> dict:
    def splice(value: Splice, item) -> dict:
        return {"at": value.at, "old": [item(x) for x in value.old], "new": [item(x) for x in value.new]}

    return {"done": history.done,
            "steps": [{"ops": list(step.ops), "beads": splice(step.beads, list),
                       "src": splice(step.src, _sentence_item), "tgt": splice(step.tgt, _sentence_item)}
                      for step in history.steps]}


def to_json(alignment: Alignment) -> dict:
    data = {"format": FORMAT, "version": VERSION, "name": alignment.name, "model": alignment.model,
            "settings": alignment.settings, "warnings": alignment.warnings,
            "documents": {"src": _document(alignment.src, alignment.src_embeddings),
                          "tgt": _document(alignment.tgt, alignment.tgt_embeddings)},
            "beads": [{"src": list(b.src), "tgt": list(b.tgt), "confidence": b.score, "similarity": b.similarity,
                       "margin": b.margin, "status": b.status,
                       "flags": [{"name": f.name, "reason": f.reason, "severe": f.severe} for f in b.flags]} for b in alignment.beads]}
    if alignment.history.steps:  # absent until the first edit: what `align pair` wrote stays as it was
        data["history"] = _history(alignment.history)
    if alignment.original_tmx is not None:
        data["original_tmx"] = base64.b64encode(alignment.original_tmx).decode("ascii")
    return data


def save(alignment: Alignment, path: str | os.PathLike) -> None:
    """Write the alignment document atomically."""
    data = json.dumps(to_json(alignment), ensure_ascii=False, indent=1)
    with atomic_write(path) as out:
        out.write(data + "\n")


@functools.cache
def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("alignment.schema.json").read_text(encoding="utf-8"))


def validate(data: object, path: str | os.PathLike | None = None) -> None:
    """An AlignError naming the first place where `data` breaks the schema or the alignment's own rules."""
    import jsonschema

    if isinstance(data, dict) and data.get("format") == FORMAT and data.get("version") not in (None, VERSION):
        raise AlignError(f"alignment file version {data.get('version')} is not supported (this align reads "
                         f"version {VERSION})", path)
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema()).iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise AlignError(f"not an alignment file: at {where}: {error.message}", path)
    lengths = {side: len(data["documents"][side]["sentences"]) for side in ("src", "tgt")}
    for side in ("src", "tgt"):
        covered = sorted(i for bead in data["beads"] for i in bead[side])
        if covered != list(range(lengths[side])):
            raise AlignError(f"not an alignment file: the beads do not hold each {side} sentence exactly once", path)
        vectors = data["documents"][side]["embeddings"]
        if vectors is not None and vectors["shape"][0] != lengths[side]:
            raise AlignError(f"not an alignment file: {side} embeddings for {vectors['shape'][0]} sentences, "
                             f"{lengths[side]} sentences", path)
    history = data.get("history")
    if history is not None and history["done"] > len(history["steps"]):
        raise AlignError(f"not an alignment file: history done {history['done']} of {len(history['steps'])} steps",
                         path)


def _array(vectors: dict | None) -> np.ndarray | None:
    if vectors is None:
        return None
    return np.frombuffer(base64.b64decode(vectors["base64"]), dtype="<f4").reshape(vectors["shape"]).copy()


def _read_document(data: dict) -> Document:
    source = data["source"]
    return Document(name=data["name"], lang=data["lang"], script=data["script"],
                    sentences=[Sentence(s["text"], k, s["paragraph"], s["kind"])
                               for k, s in enumerate(data["sentences"])],
                    source=None if source is None else SourceFile(source["path"], source["sha256"],
                                                                  source["format"]))


def _read_sentence_item(item: dict) -> tuple:
    vector = item["vector"]
    return item["text"], item["paragraph"], item["kind"], None if vector is None else base64.b64decode(vector)


def _read_history(data: dict | None) -> EditHistory:
    if data is None:
        return EditHistory()

    def splice(value: dict, item) -> Splice:
        return Splice(value["at"], tuple(item(x) for x in value["old"]), tuple(item(x) for x in value["new"]))

    return EditHistory([EditStep(tuple(step["ops"]), splice(step["beads"], tuple),
                                 splice(step["src"], _read_sentence_item), splice(step["tgt"], _read_sentence_item))
                        for step in data["steps"]], data["done"])


def from_json(data: dict, path: str | os.PathLike | None = None) -> Alignment:
    validate(data, path)
    documents = data["documents"]
    original = data.get("original_tmx")
    return Alignment(
        src=_read_document(documents["src"]), tgt=_read_document(documents["tgt"]),
        beads=[Bead(tuple(b["src"]), tuple(b["tgt"]), score=b["confidence"], similarity=b["similarity"],
                    margin=b["margin"], status=b["status"], flags=[Flag(f["name"], f["reason"], f["severe"]) for f in b["flags"]])
               for b in data["beads"]],
        name=data["name"], model=data["model"], settings=data["settings"],
        warnings=data["warnings"], src_embeddings=_array(documents["src"]["embeddings"]),
        tgt_embeddings=_array(documents["tgt"]["embeddings"]), history=_read_history(data.get("history")),
        original_tmx=None if original is None else base64.b64decode(original))


def load(path: str | os.PathLike) -> Alignment:
    """Read an alignment document; one AlignError line naming the file for anything that is not one."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise AlignUsageError(f"cannot read: {exc.strerror}", path) from exc
    except OSError as exc:
        raise AlignError(f"cannot read: {exc.strerror}", path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AlignError(f"not an alignment file: not JSON ({exc})", path) from exc
    return from_json(data, path)
