"""The beads of an alignment as JSON lines (`--beads`): one object per bead, `{"src": [i, ...], "tgt": [j, ...],
"score": float}`, 0-based sentence indices in document order; every sentence of each side is in exactly one bead
(1-0 and 0-1 included)."""
from __future__ import annotations

import json
import os

from ..files import atomic_write
from ..records import Alignment


def write_beads(alignment: Alignment, path: str | os.PathLike) -> None:
    with atomic_write(path) as out:
        for bead in alignment.beads:
            out.write(json.dumps({"src": list(bead.src), "tgt": list(bead.tgt),
                                  "score": round(bead.score, 4)}) + "\n")
