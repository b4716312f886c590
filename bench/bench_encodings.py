"""How often the read stage decodes legacy 8-bit text exactly: align.read vs charset-normalizer alone.

    .venv/bin/python bench/bench_encodings.py

Samples: the Serbian interview (corpora/interview, both scripts) cut into pieces of 1, 2, 5 and 10 paragraphs
and whole, the test sentences of tests/data/inputs/make_inputs.py one by one and together, the English interview
in windows-1252, and a few sentences in other languages as a control. Typography a code page cannot hold
(„“ and – in ISO-8859-2/5) is replaced by ASCII first, as a user's editor would have to.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import charset_normalizer

from align.errors import AlignError
from align.readers.decoding import decode_bytes

REPO = Path(__file__).resolve().parents[1]
ASCII_TYPOGRAPHY = str.maketrans({"„": '"', "“": '"', "”": '"', "’": "'", "–": "-", "\xa0": " "})


def load_inputs():
    spec = importlib.util.spec_from_file_location("make_inputs", REPO / "tests/data/inputs/make_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pieces(text: str) -> list[str]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for size in (1, 2, 5, 10):
        out += ["\n\n".join(paragraphs[i:i + size]) for i in range(0, len(paragraphs), size)]
    return out + [text]


def representable(text: str, codepage: str) -> str | None:
    """The text with what the code page cannot hold replaced by ASCII; None if letters are still missing."""
    for candidate in (text, text.translate(ASCII_TYPOGRAPHY)):
        try:
            candidate.encode(codepage)
            return candidate
        except UnicodeEncodeError:
            continue
    return None


def charset_normalizer_alone(data: bytes) -> str | None:
    match = charset_normalizer.from_bytes(data).best()
    return str(match) if match else None


def read_stage(data: bytes) -> str | None:
    try:
        return decode_bytes(data)
    except AlignError:
        return None


def main() -> None:
    inputs = load_inputs()
    interview = {side: (REPO / f"corpora/interview/{side}.txt").read_text(encoding="utf-8")
                 for side in ("en", "sr-Latn", "sr-Cyrl")}
    groups: dict[str, tuple[list[str], tuple[str, ...]]] = {}
    for side, codepages in (("sr-Latn", ("cp1250", "iso8859_2")), ("sr-Cyrl", ("cp1251", "iso8859_5"))):
        sentences = [s for doc in (inputs.HARBOUR, inputs.LIBRARY) for s in doc[side] if s] \
            + inputs.EXTRA_SENTENCES[side]
        groups[f"{side} interview pieces"] = (pieces(interview[side]), codepages)
        groups[f"{side} single sentences"] = (sentences, codepages)
        groups[f"{side} all test sentences"] = (["\n\n".join(sentences)], codepages)
    groups["en interview pieces"] = (pieces(interview["en"]), ("cp1252",))
    groups["control: other languages"] = ([
        "Die Bürger möchten, dass die Straßen sicherer werden. Über die Pläne wird nächste Woche abgestimmt.",
        "Les élèves ont préparé une fête très réussie à l'école. Le maître était ému.",
        "Građani Zagreba će sljedeći tjedan birati novo gradsko vijeće. Ništa se još ne zna.",
        "Жители города смогут проголосовать в следующее воскресенье. Это решение было принято вчера.",
        "Жителите на града ще могат да гласуват следващата неделя. Това решение беше взето вчера.",
        "Wszyscy mieszkańcy miasta będą mogli głosować w przyszłą niedzielę.",
    ], ("cp1252", "cp1250", "iso8859_2", "cp1251", "iso8859_5"))

    print(f"{'samples':34} {'code page':10} {'n':>4} {'charset-normalizer':>19} {'align.read':>11}")
    totals = [0, 0, 0]
    serbian = [0, 0, 0]
    for label, (texts, codepages) in groups.items():
        for codepage in codepages:
            cases = [t for t in (representable(t, codepage) for t in texts)
                     if t is not None and not t.isascii()]
            if not cases:
                continue
            baseline = sum(charset_normalizer_alone(t.encode(codepage)) == t for t in cases)
            ours = sum(read_stage(t.encode(codepage)) == t for t in cases)
            totals = [totals[0] + len(cases), totals[1] + baseline, totals[2] + ours]
            if label.startswith("sr-"):
                serbian = [serbian[0] + len(cases), serbian[1] + baseline, serbian[2] + ours]
            print(f"{label:34} {codepage:10} {len(cases):4d} {baseline:19d} {ours:11d}")
    print(f"{'Serbian':45} {serbian[0]:4d} {serbian[1]:19d} {serbian[2]:11d}")
    print(f"{'total':45} {totals[0]:4d} {totals[1]:19d} {totals[2]:11d}")


if __name__ == "__main__":
    sys.exit(main())
