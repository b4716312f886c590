"""The English-Serbian documents written blind (bench/data/ensr), shared by tests/test_accuracy.py and bench/."""
from __future__ import annotations

from pathlib import Path

ENSR_DIR = Path(__file__).resolve().parent.parent / "bench" / "data" / "ensr"


def ensr_documents() -> list[tuple[str, str]]:
    """(name, Serbian script) of every document: name.beads, name.en.*, name.sr-Latn.* or name.sr-Cyrl.*."""
    return [(beads.stem, next(ENSR_DIR.glob(f"{beads.stem}.sr-*.txt")).name.split(".")[1])
            for beads in sorted(ENSR_DIR.glob("*.beads"))]
