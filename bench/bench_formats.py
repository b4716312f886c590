"""Alignment from converted files against alignment from the text files: strict F1 per input format.

    .venv/bin/python bench/bench_formats.py                 # converts every text first (needs the tools below)
    .venv/bin/python bench/bench_formats.py --from DIR      # reuse conversions made by make_fixtures.py --all DIR

The interview (corpora/interview: English against Serbian Latin and Cyrillic) and the five English-Serbian
documents written blind (bench/data/ensr) are converted to DOCX, ODT, PDF, EPUB and Markdown by pandoc and
LibreOffice, exactly as the test fixtures are (tests/data/formats/make_fixtures.py --all: headings, bold and
italic runs inside words, a table, a comment, hidden text, a tracked change, running headers and footers with
page numbers, hyphenation in the PDFs). Each pair is then aligned from the converted files by
align.pipeline.align_files with the default model, and scored against the gold beads (corpora/interview/
gold.beads, bench/data/ensr/*.beads) with align.evaluate; the `.txt` row is the same from the text files. The
"same sentences" column counts the converted files whose sentences are exactly those of their text.

Converting needs pandoc, libreoffice-writer-nogui, python3-uno, hyphen-en-us, hyphen-sr, poppler-utils (Debian)
and takes about half a minute; the first run also embeds every sentence (the embedding cache serves the rest).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from align.embed import load_encoder
from align.evaluate import Evaluation, gold_documents, read_beads
from align.pipeline import align_files, read_document

REPO = Path(__file__).resolve().parents[1]
INTERVIEW = REPO / "corpora" / "interview"
ENSR = REPO / "bench" / "data" / "ensr"
MAKE_FIXTURES = REPO / "tests" / "data" / "formats" / "make_fixtures.py"
FORMATS = ("txt", "docx", "odt", "pdf", "epub", "md")


def pairs() -> list[tuple[str, str, str, Path]]:
    """(set, document, Serbian side, gold beads) of every pair: the interview twice, the blind documents."""
    found = [("interview en-sr-Latn", "interview", "sr-Latn", INTERVIEW / "gold.beads"),
             ("interview en-sr-Cyrl", "interview", "sr-Cyrl", INTERVIEW / "gold.beads")]
    found += [("blind (5 documents)", name, script, ENSR / f"{name}.beads") for name, script in gold_documents(ENSR)]
    return found


def path_of(converted: Path, document: str, side: str, fmt: str) -> Path:
    if fmt == "txt":
        return INTERVIEW / f"{side}.txt" if document == "interview" else ENSR / f"{document}.{side}.txt"
    return converted / document / f"{side}.{fmt}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="conversions made by make_fixtures.py --all DIR")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        converted = arguments.source or Path(temporary)
        if arguments.source is None:
            started = time.perf_counter()
            subprocess.run(["/usr/bin/python3", str(MAKE_FIXTURES), "--all", str(converted)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"converted every text in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        encoder = load_encoder()
        sets = list(dict.fromkeys(name for name, *_ in pairs()))
        print("| format | " + " | ".join(f"{name} strict F1" for name in sets) + " | same sentences as the .txt |"
              " read + split time |")
        print("|---|" + "---|" * (len(sets) + 2))
        for fmt in FORMATS:
            scores = {name: Evaluation() for name in sets}
            same = total = 0
            read_seconds = 0.0
            for name, document, side, beads in pairs():
                src, tgt = path_of(converted, document, "en", fmt), path_of(converted, document, side, fmt)
                alignment = align_files(src, tgt, "en", "sr", encoder=encoder)
                scores[name].add([(b.src, b.tgt) for b in alignment.beads], read_beads(beads))
                read_seconds += alignment.timings.get("read_s", 0.0)
                for text_side, lang, got in (("en", "en", alignment.src), (side, "sr", alignment.tgt)):
                    text = read_document(path_of(converted, document, text_side, "txt"), lang)
                    same += got.texts == text.texts
                    total += 1
            cells = " | ".join(f"{scores[name].strict.f1:.3f}" for name in sets)
            print(f"| .{fmt} | {cells} | {same} / {total} | {read_seconds:.1f} s |")


if __name__ == "__main__":
    main()
