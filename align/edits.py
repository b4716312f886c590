"""Review stage: a reviewer's corrections of an alignment, as operations any caller applies the same way. The review
page (align/review) sends them to its server; `align edit FILE.align.json EDITS.jsonl` reads them from a file, one
JSON object a line. Both go through `perform`, so a scripted edit and a key pressed in the page are one thing.

The operations (sentence indices 0-based, in document order, on the alignment as it is when the operation runs):

    {"op": "link", "src": [i, ...], "tgt": [j, ...]}
        Afterwards exactly these sentences form one bead; either list may be empty (a 1-0 or 0-1 bead), not both,
        and each must be a run of consecutive sentences. Sentences that shared a bead with them, and every bead
        that would now cross the new one, are released as lone sentences (1-0 / 0-1 beads). So linking each bead of
        any alignment, in any order, gives exactly that alignment. Linking a bead that already exists changes
        nothing.
    {"op": "confirm", "src": [...], "tgt": [...]}   the bead of exactly these sentences is right;
    {"op": "reject", "src": [...], "tgt": [...]}    ... is not a translation (a rejected unit is left out of the TMX);
    {"op": "clear", "src": [...], "tgt": [...]}     ... goes back to not reviewed.
    {"op": "edit", "side": "src" | "tgt", "sentence": i, "text": "..."}
        Sentence i gets this text (white space at its ends dropped; it may not be blank).
    {"op": "split-sentence", "side": ..., "sentence": i, "at": CHAR_OFFSET}
        Sentence i becomes text[:at] (still i) and text[at:] (now i + 1), both in i's bead; every later sentence of
        that side moves up by one. `at` counts Python characters (code points) and must leave text on both sides.
    {"op": "join-sentences", "side": ..., "sentence": i}
        Sentences i and i + 1 become one, sentence i (joined by a space), in i's bead; the bead of i + 1 loses it
        (and goes, if that leaves it empty); every later sentence of that side moves down by one.

A bead whose sentences an operation changes (which ones, or the text of one) goes back to not reviewed; every other
bead keeps its status. An operation that cannot apply (unknown, an index out of range, a bead that does not exist)
is an AlignError, and the alignment it was given is left as it was: every function here returns a new Alignment.

An edited or new sentence has no vector yet: its row of the embeddings is NaN until the re-score given to `perform`
(pipeline.rescore with an encoder) encodes it. `perform` records what the action changed as an EditStep in the
alignment's history (records.py), so `undo` and `redo` need no model: they put the recorded sentences, vectors and
beads back and re-score, which gives back the confidences and flags exactly (the scores are a function of them).
A step that changed only statuses (confirm, reject, clear) is not re-scored: no score depends on a status.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

from .errors import AlignError
from .records import Alignment, Bead, Document, EditHistory, EditStep, Sentence, Splice

SIDES = ("src", "tgt")
SIDE_NAMES = {"src": "source", "tgt": "target"}
STATUS_OPS = {"confirm": "confirmed", "reject": "rejected", "clear": ""}
SENTENCE_OPS = ("edit", "split-sentence", "join-sentences")
OPS = ("link", *STATUS_OPS, *SENTENCE_OPS)

Rescore = Callable[[Alignment], object]


class OperationError(AlignError):
    """An operation that cannot apply, named by its label or position (apply_all)."""


# ---------------------------------------------------------------------------------------------- reading an op

def _field(op: dict, key: str, kind: type, what: str):
    value = op.get(key)
    # bool is an int to Python, but `"sentence": true` is a mistake, not sentence 1
    if not isinstance(value, kind) or isinstance(value, bool):
        raise AlignError(f'"{key}" must be {what}')
    return value


def _sentence_list(op: dict, key: str, size: int) -> tuple[int, ...]:
    value = op.get(key, [])
    if not isinstance(value, list) or any(not isinstance(v, int) or isinstance(v, bool) for v in value):
        raise AlignError(f'"{key}" must be a list of sentence numbers')
    indices = sorted(set(value))
    if len(indices) != len(value):
        raise AlignError(f'"{key}" names a sentence twice')
    for index in indices:
        if not 0 <= index < size:
            raise AlignError(f"{SIDE_NAMES[key]} sentence {index} does not exist (there are {size})")
    if indices and indices != list(range(indices[0], indices[0] + len(indices))):
        raise AlignError(f'"{key}" sentences {indices} are not consecutive')
    return tuple(indices)


def _side(op: dict) -> str:
    side = op.get("side")
    if side not in SIDES:
        raise AlignError('"side" must be "src" or "tgt"')
    return side


def _sentence_index(op: dict, document: Document, side: str) -> int:
    index = _field(op, "sentence", int, "a sentence number")
    if not 0 <= index < len(document.sentences):
        raise AlignError(f"{SIDE_NAMES[side]} sentence {index} does not exist (there are {len(document.sentences)})")
    return index


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise AlignError("a sentence cannot be blank")
    return text


# ---------------------------------------------------------------------------------------------- bead order

def ordered(beads: Sequence[Bead], n: int, m: int, before: Sequence[Bead] = ()) -> list[Bead]:
    """Beads that cover both sides and cross nowhere, in document order. Only a bead of source sentences alone next
    to one of target sentences alone could go either way: they keep the order of the beads of `before` they were
    made from (so a reviewer's merge does not move a lone sentence across it), else the source one comes first."""
    by_src = {i: bead for bead in beads for i in bead.src}
    by_tgt = {j: bead for bead in beads for j in bead.tgt}
    old_src = {i: k for k, b in enumerate(before) for i in b.src}
    old_tgt = {j: k for k, b in enumerate(before) for j in b.tgt}

    def rank(bead: Bead) -> int | None:
        """The position in `before` of the first bead that held one of its sentences."""
        return min((old for old in [*(old_src.get(i) for i in bead.src), *(old_tgt.get(j) for j in bead.tgt)]
                    if old is not None), default=None)
    result, i, j = [], 0, 0
    while i < n or j < m:
        a, b = by_src.get(i), by_tgt.get(j)
        if a is None or b is None or a is b:
            bead = a or b
        elif not a.tgt and not b.src:  # a lone source and a lone target run
            ra, rb = rank(a), rank(b)
            bead = b if ra is not None and rb is not None and rb < ra else a
        elif not a.tgt:
            bead = a
        elif not b.src:
            bead = b
        else:
            raise AlignError(f"the beads cross at source sentence {i} and target sentence {j}")
        result.append(bead)
        i, j = i + len(bead.src), j + len(bead.tgt)
    return result


def _relation(bead_side: tuple[int, ...], run: tuple[int, ...]) -> int:
    """-1 when a bead's sentences on one side come before the run, 1 after it, 0 when either is empty."""
    if not bead_side or not run:
        return 0
    return -1 if bead_side[-1] < run[0] else 1


def _lone(src: Sequence[int], tgt: Sequence[int]) -> list[Bead]:
    return [Bead((i,), ()) for i in src] + [Bead((), (j,)) for j in tgt]


def _fresh(bead: Bead) -> Bead:
    """A copy the re-score may change without touching the original."""
    return dataclasses.replace(bead, flags=list(bead.flags))


def _link(alignment: Alignment, src: tuple[int, ...], tgt: tuple[int, ...]) -> list[Bead]:
    if not src and not tgt:
        raise AlignError("a link needs at least one sentence")
    if any(b.src == src and b.tgt == tgt for b in alignment.beads):
        return [_fresh(b) for b in alignment.beads]
    taken_src, taken_tgt = set(src), set(tgt)
    beads = [Bead(src, tgt)]
    for bead in alignment.beads:
        shares = taken_src.intersection(bead.src) or taken_tgt.intersection(bead.tgt)
        if shares:
            beads += _lone([i for i in bead.src if i not in taken_src], [j for j in bead.tgt if j not in taken_tgt])
        elif _relation(bead.src, src) * _relation(bead.tgt, tgt) < 0:  # it would cross the new bead
            beads += _lone(bead.src, bead.tgt)
        else:
            beads.append(_fresh(bead))
    return ordered(beads, len(alignment.src.sentences), len(alignment.tgt.sentences), alignment.beads)


# ---------------------------------------------------------------------------------------------- sentences

def _document(alignment: Alignment, side: str) -> Document:
    return alignment.src if side == "src" else alignment.tgt


def _vectors(alignment: Alignment, side: str) -> np.ndarray | None:
    return alignment.src_embeddings if side == "src" else alignment.tgt_embeddings


def _renumbered(document: Document, parts: Sequence[tuple[str, int, str]]) -> Document:
    """The document with these sentences (text, paragraph, kind), numbered afresh."""
    return dataclasses.replace(document, sentences=[Sentence(text, k, paragraph, kind)
                                                    for k, (text, paragraph, kind) in enumerate(parts)])


def _parts(document: Document) -> list[tuple[str, int, str]]:
    return [(s.text, s.paragraph, s.kind) for s in document.sentences]


def _unencoded(vectors: np.ndarray | None, rows: int) -> np.ndarray | None:
    return None if vectors is None else np.full((rows, vectors.shape[1]), np.nan, dtype=np.float32)


def _with_side(alignment: Alignment, side: str, document: Document, vectors: np.ndarray | None,
               beads: list[Bead]) -> Alignment:
    changes = {side: document, f"{side}_embeddings": vectors, "beads": beads}
    return dataclasses.replace(alignment, **changes)


def _shifted(alignment: Alignment, side: str, index_map: Callable[[int], tuple[int, ...]],
             touched: set[int]) -> list[Bead]:
    """Every bead with its `side` sentences renumbered by index_map (old index -> new indices); a bead holding a
    sentence of `touched` (old indices) goes back to not reviewed; beads left empty go."""
    beads = []
    for bead in alignment.beads:
        indices = getattr(bead, side)
        new = tuple(k for i in indices for k in index_map(i))
        if not new and not (bead.tgt if side == "src" else bead.src):
            continue
        copy = _fresh(bead)
        if side == "src":
            copy.src = new
        else:
            copy.tgt = new
        if touched.intersection(indices):
            copy.status = ""
        beads.append(copy)
    return beads


def _edit(alignment: Alignment, side: str, index: int, text: str) -> Alignment:
    document, vectors = _document(alignment, side), _vectors(alignment, side)
    if document.sentences[index].text == text:
        return alignment
    parts = _parts(document)
    parts[index] = (text, *parts[index][1:])
    if vectors is not None:
        vectors = vectors.copy()
        vectors[index] = np.nan
    return _with_side(alignment, side, _renumbered(document, parts), vectors,
                      _shifted(alignment, side, lambda i: (i,), {index}))


def _split(alignment: Alignment, side: str, index: int, at: int) -> Alignment:
    document, vectors = _document(alignment, side), _vectors(alignment, side)
    text = document.sentences[index].text
    if not 0 < at < len(text) or not text[:at].strip() or not text[at:].strip():
        raise AlignError(f"cannot split {SIDE_NAMES[side]} sentence {index} at {at}: both parts must hold text "
                         f"(it has {len(text)} characters)")
    parts = _parts(document)
    _, paragraph, kind = parts[index]
    parts[index:index + 1] = [(text[:at].strip(), paragraph, kind), (text[at:].strip(), paragraph, kind)]
    if vectors is not None:
        vectors = np.concatenate([vectors[:index], _unencoded(vectors, 2), vectors[index + 1:]])
    return _with_side(alignment, side, _renumbered(document, parts), vectors,
                      _shifted(alignment, side, lambda i: (i, i + 1) if i == index else (i + (i > index),),
                               {index}))


def _join(alignment: Alignment, side: str, index: int) -> Alignment:
    document, vectors = _document(alignment, side), _vectors(alignment, side)
    if index + 1 >= len(document.sentences):
        raise AlignError(f"{SIDE_NAMES[side]} sentence {index} is the last one: there is none to join it with")
    parts = _parts(document)
    first, second = parts[index], parts[index + 1]
    parts[index:index + 2] = [(f"{first[0]} {second[0]}", first[1], first[2])]
    if vectors is not None:
        vectors = np.concatenate([vectors[:index], _unencoded(vectors, 1), vectors[index + 2:]])
    return _with_side(alignment, side, _renumbered(document, parts), vectors,
                      _shifted(alignment, side, lambda i: () if i == index + 1 else (i - (i > index),),
                               {index, index + 1}))


# ---------------------------------------------------------------------------------------------- operations

def apply(alignment: Alignment, op: object) -> Alignment:
    """The alignment after one operation (see the module's docstring); `alignment` itself is not changed. Beads
    the operation made or changed have no scores yet: see `perform`."""
    if not isinstance(op, dict):
        raise AlignError("an operation must be a JSON object")
    name = op.get("op")
    if name not in OPS:
        raise AlignError(f"unknown operation {name!r} (known: {', '.join(OPS)})")
    if name in SENTENCE_OPS:
        side = _side(op)
        index = _sentence_index(op, _document(alignment, side), side)
        if name == "edit":
            return _edit(alignment, side, index, _text(_field(op, "text", str, "a string")))
        if name == "split-sentence":
            return _split(alignment, side, index, _field(op, "at", int, "a character offset"))
        return _join(alignment, side, index)
    src = _sentence_list(op, "src", len(alignment.src.sentences))
    tgt = _sentence_list(op, "tgt", len(alignment.tgt.sentences))
    if name == "link":
        return dataclasses.replace(alignment, beads=_link(alignment, src, tgt))
    target = next((k for k, b in enumerate(alignment.beads) if b.src == src and b.tgt == tgt), None)
    if target is None:
        raise AlignError(f"no bead holds exactly source sentences {list(src)} and target sentences {list(tgt)}")
    beads = [_fresh(b) for b in alignment.beads]
    beads[target].status = STATUS_OPS[name]
    return dataclasses.replace(alignment, beads=beads)


def apply_all(alignment: Alignment, ops: Sequence[object], labels: Sequence[str] | None = None) -> Alignment:
    """The alignment after each operation in turn; an error names the operation that failed by its label
    ("line 7" for a file) or its 1-based position."""
    for number, op in enumerate(ops, start=1):
        try:
            alignment = apply(alignment, op)
        except AlignError as exc:
            label = labels[number - 1] if labels is not None else f"operation {number}"
            raise OperationError(f"{label}: {exc}" if labels is not None or len(ops) > 1 else str(exc)) from None
    return alignment


# ---------------------------------------------------------------------------------------------- undo and redo

def _bead_items(alignment: Alignment) -> list[tuple[int, int, str]]:
    return [(len(b.src), len(b.tgt), b.status) for b in alignment.beads]


def _sentence_items(alignment: Alignment, side: str) -> list[tuple[str, int, str, bytes | None]]:
    vectors = _vectors(alignment, side)
    return [(s.text, s.paragraph, s.kind, None if vectors is None else vectors[k].astype("<f4").tobytes())
            for k, s in enumerate(_document(alignment, side).sentences)]


def _splice(old: list, new: list) -> Splice:
    """The smallest window of `old` that, replaced, gives `new`."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return Splice(start, tuple(old[start:len(old) - end]), tuple(new[start:len(new) - end]))


def changes(before: Alignment, after: Alignment, ops: Sequence[dict] = ()) -> EditStep:
    """What turned `before` into `after`, as a step of the history."""
    return EditStep(tuple(ops), _splice(_bead_items(before), _bead_items(after)),
                    *(_splice(_sentence_items(before, side), _sentence_items(after, side)) for side in SIDES))


def is_empty(step: EditStep) -> bool:
    return not any(s.old or s.new for s in (step.beads, step.src, step.tgt))


def _spliced(items: list, splice: Splice, forward: bool) -> list:
    old, new = (splice.old, splice.new) if forward else (splice.new, splice.old)
    if tuple(items[splice.at:splice.at + len(old)]) != old:
        raise AlignError("the alignment's history does not match its beads and sentences (edited by hand?)")
    return items[:splice.at] + list(new) + items[splice.at + len(old):]


def _reshaped(step: EditStep) -> bool:
    """Whether a step changed sentences or beads, not only statuses (which no score depends on)."""
    return bool(step.src.old or step.src.new or step.tgt.old or step.tgt.new) or \
        [item[:2] for item in step.beads.old] != [item[:2] for item in step.beads.new]


def _statuses_changed(alignment: Alignment, step: EditStep, forward: bool) -> Alignment:
    """The alignment with only the statuses of a step done again or undone: scores and flags stay."""
    beads = [_fresh(b) for b in alignment.beads]
    for offset, (_, _, status) in enumerate(step.beads.new if forward else step.beads.old):
        beads[step.beads.at + offset].status = status
    return dataclasses.replace(alignment, beads=beads)


def replayed(alignment: Alignment, step: EditStep, forward: bool = True) -> Alignment:
    """The alignment with a recorded step done again (forward) or undone; not yet re-scored."""
    result = alignment
    for side in SIDES:
        splice = getattr(step, side)
        if not (splice.old or splice.new):
            continue
        items = _spliced(_sentence_items(alignment, side), splice, forward)
        document = _renumbered(_document(alignment, side), [item[:3] for item in items])
        vectors = _vectors(alignment, side)
        if vectors is not None:
            vectors = np.stack([np.frombuffer(item[3], "<f4") for item in items]) if items else vectors[:0]
        result = dataclasses.replace(result, **{side: document, f"{side}_embeddings": vectors})
    beads, i, j = [], 0, 0
    for a, b, status in _spliced(_bead_items(alignment), step.beads, forward):
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), status=status))
        i, j = i + a, j + b
    if (i, j) != (len(result.src.sentences), len(result.tgt.sentences)):
        raise AlignError("the alignment's history does not match its beads and sentences (edited by hand?)")
    return dataclasses.replace(result, beads=beads)


def perform(alignment: Alignment, ops: Sequence[object], rescore: Rescore,
            labels: Sequence[str] | None = None) -> Alignment:
    """The alignment after one reviewer's action (a list of operations, one step of the history): the operations
    applied, then `rescore` run on the result (it must embed the sentences without vectors: pipeline.rescore with
    an encoder), and the step recorded. An action that changes nothing returns `alignment` itself and records
    nothing. `labels` name the operations in an error (apply_all)."""
    after = apply_all(alignment, ops, labels)
    if after is alignment:
        return alignment
    after = dataclasses.replace(after, beads=[_fresh(b) for b in after.beads])
    step = changes(alignment, after, ops)
    if _reshaped(step):
        rescore(after)
        step = changes(alignment, after, ops)  # with the vectors of the sentences the re-score encoded
    if is_empty(step):
        return alignment
    history = alignment.history
    after.history = EditHistory(history.steps[:history.done] + [step], history.done + 1)
    return after


def can_undo(alignment: Alignment) -> bool:
    return alignment.history.done > 0


def can_redo(alignment: Alignment) -> bool:
    return alignment.history.done < len(alignment.history.steps)


def undo(alignment: Alignment, rescore: Rescore) -> Alignment:
    """The alignment as it was before its last step (an AlignError when there is none)."""
    history = alignment.history
    if not can_undo(alignment):
        raise AlignError("nothing to undo")
    step = history.steps[history.done - 1]
    if _reshaped(step):
        result = replayed(alignment, step, forward=False)
        rescore(result)
    else:
        result = _statuses_changed(alignment, step, forward=False)
    result.history = EditHistory(history.steps, history.done - 1)
    return result


def redo(alignment: Alignment, rescore: Rescore) -> Alignment:
    """The alignment with the last undone step done again (an AlignError when there is none)."""
    history = alignment.history
    if not can_redo(alignment):
        raise AlignError("nothing to redo")
    step = history.steps[history.done]
    if _reshaped(step):
        result = replayed(alignment, step, forward=True)
        rescore(result)
    else:
        result = _statuses_changed(alignment, step, forward=True)
    result.history = EditHistory(history.steps, history.done + 1)
    return result
