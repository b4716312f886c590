"""Documents per minute of `align corpus` with one process, a pool of two and a Dask LocalCluster of two, side by
side on the same corpus; Dask's overhead against the plain pool; and the client's own work per document, which
bounds how many workers one client can keep busy.

    .venv/bin/python bench/bench_corpus.py [--copies 6] [--rounds 1] [--configs "workers 1;workers 2;scheduler local:2"]

The corpus: the five blind English-Serbian documents (bench/data/ensr, about 90 sentences a side) and the interview
(corpora/interview, against its Latin and its Cyrillic Serbian), copied `--copies` times: 7 jobs a copy, 42 by
default. Each configuration is the `align corpus` command in a process of its own, timed from start to exit (so
with the model loads, the pool's or the cluster's start and the merged outputs), with the embedding cache off so
that every copy is embedded again. The rounds run the configurations in turn, each round in another order, so a
change of the machine's load falls on all of them; the load average is printed with every figure. The outputs of
every configuration are compared: they must be the same files (timings.json aside).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLIND = REPO / "bench" / "data" / "ensr"
INTERVIEW = REPO / "corpora" / "interview"
ALIGN = Path(sys.executable).parent / "align"


def build_corpus(root: Path, copies: int) -> Path:
    corpus = root / "corpus"
    for copy in range(copies):
        for english in sorted(BLIND.glob("*.en.txt")):
            name = english.name.split(".")[0]
            serbian = next(BLIND.glob(f"{name}.sr-*.txt"))
            folder = corpus / f"{name}{copy:02d}"
            folder.mkdir(parents=True)
            shutil.copy(english, folder / "en.txt")
            shutil.copy(serbian, folder / serbian.name.split(".", 1)[1])
        folder = corpus / f"interview{copy:02d}"
        folder.mkdir(parents=True)
        for side in ("en.txt", "sr-Latn.txt", "sr-Cyrl.txt"):
            shutil.copy(INTERVIEW / side, folder / side)
    return corpus


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_config(corpus: Path, out: Path, config: str) -> dict:
    option, value = config.split()
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, ALIGN_NO_CACHE="1", SOURCE_DATE_EPOCH="1700000000")
    before = load()
    started = time.perf_counter()
    completed = subprocess.run([str(ALIGN), "corpus", str(corpus), "-o", str(out), "-q", f"--{option}", value],
                               env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{config}: exit {completed.returncode}\n{completed.stderr}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    jobs = summary["totals"]["jobs"]
    return {"config": config, "jobs": jobs, "wall_s": round(wall, 1), "docs_per_min": round(jobs / wall * 60, 1),
            "job_seconds_median": round(statistics.median(timings["seconds"].values()), 2),
            "sentences_per_s": round((summary["totals"]["src_sentences"] + summary["totals"]["tgt_sentences"])
                                     / wall, 1),
            "load_before": before, "load_after": load()}


def same_outputs(left: Path, right: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {path.relative_to(root).as_posix(): path.read_bytes().replace(str(root).encode(), b"OUT")
                for path in root.rglob("*") if path.is_file() and path.name != "timings.json"}
    return files(left) == files(right)


def client_work(corpus: Path, out: Path) -> dict:
    """What the client does for each document, measured in this process on an aligned output: read and segment
    the pair, write its files and record, and its share of the merged TMX and the corpus table at the end."""
    from align.corpus import assemble, read_pair, state
    from align.corpus.sources import discover_corpus

    jobs = discover_corpus(corpus)
    started = time.perf_counter()
    for job in jobs:
        read_pair(job, "keep", "0")
    read = (time.perf_counter() - started) / len(jobs)
    records = [json.loads(state.record_path(out, job).read_text(encoding="utf-8")) for job in jobs]
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        for record in records:
            for name in record["files"]:
                target = Path(scratch) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes((out / name).read_bytes())
        write = (time.perf_counter() - started) / len(jobs)
        started = time.perf_counter()
        assemble.write_merged_tmx([entry for record in records if record["row"]["status"] == "ok"
                                   for entry in record["merge"]], out)
        assemble.write_corpus_table([out / record["table"] for record in records], Path(scratch) / "t.parquet")
        merge = (time.perf_counter() - started) / len(jobs)
    per_doc = read + write + merge
    return {"read_ms": round(read * 1000, 1), "write_ms": round(write * 1000, 1), "merge_ms": round(merge * 1000, 1),
            "client_ms_per_doc": round(per_doc * 1000, 1), "client_docs_per_min_max": round(60 / per_doc)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=6, help="copies of the 7 jobs (default 6: 42 documents)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--configs", default="workers 1;workers 2;scheduler local:2")
    args = parser.parse_args()
    configs = [c.strip() for c in args.configs.split(";") if c.strip()]
    print(f"{os.cpu_count()} cpus; load average at start: {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as folder:
        root = Path(folder)
        corpus = build_corpus(root, args.copies)
        results: dict[str, list[dict]] = {config: [] for config in configs}
        for round_ in range(args.rounds):
            order = configs[round_ % len(configs):] + configs[:round_ % len(configs)]
            for config in order:
                result = run_config(corpus, root / config.replace(" ", "-").replace(":", "-"), config)
                results[config].append(result)
                print(json.dumps(result), flush=True)
        outs = [root / c.replace(" ", "-").replace(":", "-") for c in configs]
        identical = all(same_outputs(outs[0], out) for out in outs[1:])
        print(f"\n{results[configs[0]][0]['jobs']} documents; outputs identical across configurations: {identical}")
        print(f"{'configuration':<20} {'docs/min':>9} {'wall s':>8} {'median job s':>13}  load before -> after")
        best = {}
        for config in configs:
            runs = results[config]
            best[config] = max(runs, key=lambda r: r["docs_per_min"])
            for r in runs:
                print(f"{config:<20} {r['docs_per_min']:>9} {r['wall_s']:>8} {r['job_seconds_median']:>13}  "
                      f"{r['load_before']} -> {r['load_after']}")
        if "workers 2" in best and "scheduler local:2" in best:
            pool, dask = best["workers 2"]["wall_s"], best["scheduler local:2"]["wall_s"]
            print(f"Dask LocalCluster against the plain pool (2 processes each, best round): {dask - pool:+.1f} s "
                  f"of {pool:.1f} s ({(dask - pool) / pool:+.1%})")
        client = client_work(corpus, outs[0])
        print(f"client's own work per document: {json.dumps(client)}")
        print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
