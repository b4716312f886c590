"""Alignment time and peak memory at 1k, 2k, 5k and 10k sentences a side: does the search grow linearly?

    .venv/bin/python bench/bench_scale.py [--sizes 1000,2000,5000,10000]

Synthetic documents: runs of 10-40 consecutive gold beads of the Text+Berg test and dev sets (de-fr), taken
from random places and concatenated until the source side has N sentences, with 2% of the source sentences
of 1-1 beads left untranslated (their target dropped), so the gold alignment is known. Sentences repeat across
runs, so each distinct sentence is encoded once up front (into the embedding cache); each size then runs in
its own subprocess that reads its vectors from the cache, and reports alignment time (aligner only: search,
scoring, confidence) apart from the time to fetch the vectors, and the peak RSS of that whole process
(resource.getrusage), which includes Python, numpy and the imported libraries. Encoding itself is linear
(about 130 sentences/s on 2 cores, see bench_speed.py) and is left out here.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO.parent / "shared" / "benchmarks"


def gold_runs() -> list[list[tuple[list[str], list[str]]]]:
    """Each Text+Berg document as a list of (source sentences, target sentences) beads."""
    from align.evaluate import read_beads

    documents = [(BENCHMARKS / "textberg" / "de" / d.name, BENCHMARKS / "textberg" / "fr" / d.name, d)
                 for d in sorted((BENCHMARKS / "textberg" / "gold").iterdir())]
    documents.append((BENCHMARKS / "textberg_dev" / "dev.de", BENCHMARKS / "textberg_dev" / "dev.fr",
                      BENCHMARKS / "textberg_dev" / "dev.defr"))
    out = []
    for src, tgt, gold in documents:
        s, t = src.read_text(encoding="utf-8").splitlines(), tgt.read_text(encoding="utf-8").splitlines()
        out.append([([s[i] for i in a], [t[j] for j in b]) for a, b in read_beads(gold)])
    return out


def synthetic(size: int, seed: int = 0) -> tuple[list[str], list[str], list[tuple[tuple, tuple]]]:
    rng = random.Random(seed)
    documents = gold_runs()
    src, tgt, gold = [], [], []
    while len(src) < size:
        document = rng.choice(documents)
        start = rng.randrange(len(document))
        for s, t in document[start:start + rng.randint(10, 40)]:
            if len(s) == 1 and len(t) == 1 and rng.random() < 0.02:
                t = []
            gold.append((tuple(range(len(src), len(src) + len(s))), tuple(range(len(tgt), len(tgt) + len(t)))))
            src += s
            tgt += t
    return src, tgt, gold


def run_one(size: int) -> dict:
    """In a fresh process: fetch the cached vectors, align, report time, accuracy and peak RSS."""
    import numpy as np

    from align import aligner
    from align.embed import load_encoder
    from align.evaluate import Evaluation

    src, tgt, gold = synthetic(size)
    started = time.perf_counter()
    encoder = load_encoder()
    vectors = encoder.encode(src + tgt)
    fetched = time.perf_counter()
    if encoder.encoded:
        raise SystemExit("vectors were not cached: run without --one first")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    beads = aligner.align(src, tgt, vectors[:len(src)], np.ascontiguousarray(vectors[len(src):]))
    aligned = time.perf_counter()
    evaluation = Evaluation()
    evaluation.add([(b.src, b.tgt) for b in beads], gold)
    return {"src": len(src), "tgt": len(tgt), "fetch_s": fetched - started, "align_s": aligned - fetched,
            "rss_before_mb": rss_before, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "strict_f1": evaluation.strict.f1, "lax_f1": evaluation.lax.f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the subprocess for one size
    parser.add_argument("--encode", action="store_true", help=argparse.SUPPRESS)  # the subprocess that encodes
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    if args.encode:
        from align.embed import load_encoder

        distinct = sorted({text for size in sizes for part in synthetic(size)[:2] for text in part})
        started = time.perf_counter()
        encoder = load_encoder()
        encoder.encode(distinct)
        print(f"{len(distinct)} distinct sentences, {encoder.encoded} newly encoded in "
              f"{time.perf_counter() - started:.1f} s (cached for the runs below)")
        return 0
    # Every step in its own process: Linux carries a parent's peak RSS into a child it forks, so this
    # process never loads the model.
    subprocess.run([sys.executable, __file__, "--encode", "--sizes", args.sizes], check=True)
    print(f"{'sentences':>13s} {'align s':>8s} {'per 1k':>7s} {'fetch s':>8s} {'RSS before':>10s} {'peak RSS':>9s}"
          f" {'strict F1':>9s} {'lax F1':>7s}")
    for size in sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr[-2000:])
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['src']:>6d}x{r['tgt']:<6d} {r['align_s']:8.1f} {r['align_s'] / r['src'] * 1000:7.2f} "
              f"{r['fetch_s']:8.1f} {r['rss_before_mb']:8.0f}MB {r['peak_rss_mb']:7.0f}MB {r['strict_f1']:9.3f} "
              f"{r['lax_f1']:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
