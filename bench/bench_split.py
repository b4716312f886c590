"""Sentence splitting: boundary P/R/F1, exact-passage accuracy and speed on the gold passages.

    .venv/bin/python bench/bench_split.py [--repeat N]

Boundaries are sentence ends inside paragraphs (paragraph ends are given, so they are not
counted); a passage is exact when every sentence matches. Compared with plain reldi-tokeniser
(Serbian) and plain pysbd (English), each fed one paragraph at a time. The last rows score whole
documents against their gold .sent files (every sentence end): corpora/interview and the English-Serbian
documents written blind in bench/data/ensr.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.evaluate import boundaries, gold_documents, read_split_gold  # noqa: E402
from align.readers.text import split_paragraphs  # noqa: E402

from align.segment import split_document, split_paragraph  # noqa: E402

ENSR_DIR = ROOT / "bench" / "data" / "ensr"
SEGMENT_GOLD = ROOT / "tests" / "data" / "segment"


def ours(lang: str):
    return lambda paragraph: split_paragraph(paragraph, lang)


def plain_reldi(lang: str):
    from reldi_tokeniser.tokeniser import generate_tokenizer, sentence_split, to_text, tokenize

    tokenizer = generate_tokenizer(lang)
    return lambda paragraph: [to_text(s).strip() for s in
                              sentence_split(tokenize(tokenizer, " ".join(paragraph.split())), lang)]


def plain_pysbd(lang: str):
    import pysbd

    segmenter = pysbd.Segmenter(language=lang, clean=False)
    return lambda paragraph: [s.strip() for s in segmenter.segment(" ".join(paragraph.split()))]


def evaluate(split, passages) -> dict[str, float]:
    tp = fp = fn = exact = 0
    for passage in passages:
        predicted = [split(p) for p in split_paragraphs(passage.text)]
        gold_inner, _ = boundaries([list(p) for p in passage.paragraphs])
        got_inner, _ = boundaries(predicted)
        tp += len(gold_inner & got_inner)
        fp += len(got_inner - gold_inner)
        fn += len(gold_inner - got_inner)
        exact += predicted == [list(p) for p in passage.paragraphs]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": precision, "R": recall, "F1": f1, "exact": exact / len(passages),
            "boundaries": tp + fn}


def speed(split, passages, repeat: int) -> float:
    paragraphs = [p for passage in passages for p in split_paragraphs(passage.text)] * repeat
    split(paragraphs[0])  # word lists are built on first use
    start = time.perf_counter()
    count = sum(len(split(p)) for p in paragraphs)
    return count / (time.perf_counter() - start)


def whole_documents() -> list[tuple[str, Path, Path, str]]:
    """(label, published text, gold .sent, language) of the documents scored whole."""
    corpus = ROOT / "corpora" / "interview"
    documents = [(f"interview {side}", corpus / f"{side}.txt", corpus / f"{side}.sent", lang)
                 for side, lang in (("en", "en"), ("sr-Latn", "sr"), ("sr-Cyrl", "sr"))]
    for name, script in gold_documents(ENSR_DIR):
        documents += [(f"blind {name} {side}", ENSR_DIR / f"{name}.{side}.txt", ENSR_DIR / f"{name}.{side}.sent",
                       lang) for side, lang in (("en", "en"), (script, "sr"))]
    return documents


def document_rows(repeat: int) -> None:
    """Whole documents: every sentence end against the gold split."""
    for label, text_path, gold_path, lang in whole_documents():
        if not (text_path.exists() and gold_path.exists()):
            continue
        text = text_path.read_text(encoding="utf-8")
        gold, _ = boundaries([gold_path.read_text(encoding="utf-8").splitlines()])
        got, _ = boundaries([[s.text for s in split_document(text, lang)]])
        tp = len(gold & got)
        precision, recall = tp / len(got), tp / len(gold)
        start = time.perf_counter()
        count = sum(len(split_document(text, lang)) for _ in range(repeat))
        rate = count / (time.perf_counter() - start)
        print(f"{label:24} {1:8d} {len(gold):6d} {precision:6.3f} {recall:6.3f}"
              f" {2 * precision * recall / (precision + recall):6.3f} {float(gold == got):6.3f}"
              f" {rate:9,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the gold for timing")
    args = parser.parse_args()
    systems = {
        "sr-Latn": [("align", ours("sr")), ("reldi-tokeniser", plain_reldi("sr"))],
        "sr-Cyrl": [("align", ours("sr")), ("reldi-tokeniser", plain_reldi("sr"))],
        "en": [("align", ours("en")), ("pysbd", plain_pysbd("en"))],
    }
    print(f"{'set':8} {'splitter':16} {'passages':>8} {'bounds':>6} {'P':>6} {'R':>6} {'F1':>6}"
          f" {'exact':>6} {'sent/s':>9}")
    for name, entries in systems.items():
        passages = read_split_gold(SEGMENT_GOLD / f"{name}.txt")
        for label, split in entries:
            scores = evaluate(split, passages)
            rate = speed(split, passages, args.repeat if label == "align" else 2)
            print(f"{name:8} {label:16} {len(passages):8d} {scores['boundaries']:6d} {scores['P']:6.3f}"
                  f" {scores['R']:6.3f} {scores['F1']:6.3f} {scores['exact']:6.3f} {rate:9,.0f}")
    document_rows(args.repeat)


if __name__ == "__main__":
    main()
