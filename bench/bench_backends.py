"""The encoder backends side by side: load time, speed, CPU use, memory, closeness to torch fp32 and accuracy.

    .venv/bin/python bench/bench_backends.py [--backends torch,openvino-int8w,...] [--rounds 2] [--no-accuracy]

Speed: the 2,002 sentences of the Text+Berg test set (991 German + 1,011 French, as the issue measured them),
encoded by each backend of align.embed.ENCODERS with the embedding cache off, each in fresh processes so that
every backend starts cold alike: `load` is a process's time from start to its first vector (imports, model load
or compile, one short sentence); `sentences/s` is the steady rate over all 2,002 sentences after that, with the
CPU time of that stretch (200% = both cores busy) and the process's peak RSS. Rounds alternate the backends so
that all see the same machine load; the best round of each is reported. The exports are built first (once).

Closeness: the cosine of each backend's vector to torch fp32's (sentence-transformers' own run of the model),
min and mean over the 2,002 sentences.

Accuracy, per backend (with the embedding cache, so a re-run only aligns): strict / lax F1 on Text+Berg test,
strict F1 on the blind English-Serbian documents and on the interview (sr-Latn and sr-Cyrl), exactly as
bench_accuracy.py computes them, and on the interview's one-to-one gold pairs whether each English sentence's
nearest Serbian one (among those pairs) is its translation, and the reverse. `align check`'s caught / false-alarm
figures per backend come from bench_check.py, run with ALIGN_BACKEND=<name> (README, "Encoder backends").
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()

REPO = Path(__file__).resolve().parents[1]
TEXTBERG = REPO.parent / "shared" / "benchmarks" / "textberg"
INTERVIEW = REPO / "corpora" / "interview"


def textberg_sentences() -> list[str]:
    return [line for lang in ("de", "fr") for doc in sorted((TEXTBERG / lang).iterdir())
            for line in doc.read_text(encoding="utf-8").splitlines()]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(backend: str, vectors_path: str) -> dict:
    """In a fresh process: time to the first vector, then the steady rate over all sentences."""
    from align.embed import load_encoder, model_texts

    texts = model_texts(textberg_sentences(), "de")  # (German and French are given to the model as they are)
    encoder = load_encoder(backend=backend, cache=False)
    encoder.encode(["Guten Morgen."])
    load_s = time.perf_counter() - START
    encoder.encode(["Bonjour."])  # an exported backend keeps its tokenizer from the second call on
    started, cpu = time.perf_counter(), cpu_seconds()
    vectors = encoder.encode(texts)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    import numpy as np

    np.save(vectors_path, vectors)
    return {"load_s": load_s, "rate": len(texts) / seconds, "cpu_percent": 100 * cpu / seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "configuration": getattr(encoder, "configuration", lambda: "")()}


def run_measure(backend: str, vectors_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", backend, str(vectors_path)], capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(f"{backend} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def accuracy(backend: str) -> dict:
    """The accuracy figures of one backend (bench_accuracy's sets and scoring)."""
    import numpy as np

    from bench_accuracy import align_set, benchmark_sets

    from align.embed import load_encoder, model_texts
    from align.evaluate import Evaluation, read_beads

    encoder = load_encoder(backend=backend)
    sets = benchmark_sets()
    out = {}
    for name in ("Text+Berg test (de-fr)", "EN-SR blind (en-sr)", "interview en-sr-Latn", "interview en-sr-Cyrl"):
        evaluation = Evaluation()
        for beads, gold in align_set(sets[name], encoder):
            evaluation.add([(b.src, b.tgt) for b in beads], gold)
        out[name] = (evaluation.strict.f1, evaluation.lax.f1)
    en = (INTERVIEW / "en.sent").read_text(encoding="utf-8").splitlines()
    sr = (INTERVIEW / "sr-Latn.sent").read_text(encoding="utf-8").splitlines()
    pairs = [(s[0], t[0]) for s, t in read_beads(INTERVIEW / "gold.beads") if len(s) == len(t) == 1]
    src = encoder.encode(model_texts([en[i] for i, _ in pairs], "en"))
    tgt = encoder.encode(model_texts([sr[j] for _, j in pairs], "sr"))
    similarity = src @ tgt.T
    right = np.arange(len(pairs))
    out["nearest"] = (float(np.mean(similarity.argmax(axis=1) == right)),
                      float(np.mean(similarity.argmax(axis=0) == right)), len(pairs))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", help="comma-separated (default: every backend, torch first)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # the subprocess of one measurement
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0
    import numpy as np

    from align.embed import DEFAULT_BACKEND, ENCODERS, load_encoder

    backends = args.backends.split(",") if args.backends else list(ENCODERS)
    if "torch" in backends:
        backends.remove("torch")
    backends.insert(0, "torch")  # the reference every other is compared with
    for backend in backends:
        load_encoder(backend=backend, cache=False)  # builds missing exports now, not inside a timed process
    print(f"load average before: {os.getloadavg()[0]:.2f} (another process busy on this 2-core machine makes the "
          "wall times and rates below worse; CPU percentages show it)")
    results: dict[str, list[dict]] = {backend: [] for backend in backends}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for backend in backends:
                results[backend].append(run_measure(backend, Path(tmp) / f"{backend}.npy"))
        reference = np.load(Path(tmp) / "torch.npy")
        closeness = {}
        for backend in backends:
            vectors = np.load(Path(tmp) / f"{backend}.npy")
            cosine = np.sum(vectors * reference, axis=1)
            closeness[backend] = (float(cosine.min()), float(cosine.mean()))
    torch_rate = max(r["rate"] for r in results["torch"])
    print(f"\n2,002 Text+Berg sentences, best of {args.rounds} round(s), fresh processes, embedding cache off; "
          f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"{'backend':16s} {'config':14s} {'load s':>7s} {'sent/s':>7s} {'vs torch':>8s} {'CPU %':>6s} "
          f"{'peak MB':>8s} {'min cos':>8s} {'mean cos':>9s}")
    for backend in backends:
        best = max(results[backend], key=lambda r: r["rate"])
        load = min(r["load_s"] for r in results[backend])
        mark = " (default)" if backend == DEFAULT_BACKEND else ""
        print(f"{backend:16s} {best['configuration'] or '-':14s} {load:7.2f} {best['rate']:7.0f} "
              f"{best['rate'] / torch_rate:7.2f}x {best['cpu_percent']:6.0f} {best['peak_mb']:8.0f} "
              f"{closeness[backend][0]:8.5f} {closeness[backend][1]:9.6f}{mark}")
    if args.no_accuracy:
        return 0
    print(f"\n{'backend':16s} {'Text+Berg strict / lax F1':>26s} {'EN-SR blind F1':>15s} {'interview Latn / Cyrl F1':>25s}"
          f" {'interview nearest = gold EN>SR / SR>EN':>40s}")
    for backend in backends:
        figures = accuracy(backend)
        tb, ensr = figures["Text+Berg test (de-fr)"], figures["EN-SR blind (en-sr)"]
        latn, cyrl = figures["interview en-sr-Latn"], figures["interview en-sr-Cyrl"]
        en_sr, sr_en, pairs = figures["nearest"]
        print(f"{backend:16s} {tb[0]:14.3f} / {tb[1]:.3f} {ensr[0]:15.3f} {latn[0]:17.3f} / {cyrl[0]:.3f} "
              f"{en_sr:29.3f} / {sr_en:.3f} ({pairs} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
