"""Wall time of one `align pair` call against loading the model and encoding every sentence once, and bertalign.

    .venv/bin/python bench/bench_speed.py [--rounds 2] [--no-bertalign]

The seven Text+Berg test documents joined into one (991 German x 1,011 French sentences, one per line) are
aligned by ONE `align pair --presplit` subprocess with a cold embedding cache (ALIGN_NO_CACHE=1; the converted
model is reused), side by side with a subprocess that loads the same model and encodes every sentence of both
sides once (align.embed.load_encoder, cache off). Target: align / encode-once <= 1.5. Rounds alternate the two so
that both see the same machine load; the best round of each is reported.

bertalign (PyPI bertalign==2.0.1) needs Python >= 3.12, which the project's venv (3.11) is not, so it runs from
its own venv, .venv/bertalign-py312 (made with --install-bertalign: python3.12 -m venv, then pip install
torch==2.13.0 bertalign==2.0.1), with the same converted model passed as a local path and its defaults
otherwise (max_align 5, so it encodes every window of 1-4 sentences).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from align.evaluate import Evaluation, read_beads
from align.embed.models import resolve_model

REPO = Path(__file__).resolve().parents[1]
TEXTBERG = REPO.parent / "shared" / "benchmarks" / "textberg"
BERTALIGN_VENV = REPO / ".venv" / "bertalign-py312"
BERTALIGN_PYTHON = BERTALIGN_VENV / "bin" / "python"

ENCODE_ONCE = """
import sys
from align.embed import load_encoder
lines = [open(path, encoding="utf-8").read().splitlines() for path in sys.argv[1:3]]
load_encoder(cache=False).encode(lines[0] + lines[1])
"""

BERTALIGN = """
import json, logging, sys
from bertalign import Bertalign
src, tgt, model = sys.argv[1:4]
aligner = Bertalign(open(src, encoding="utf-8").read(), open(tgt, encoding="utf-8").read(), is_split=True,
                    model=model)
print(json.dumps([[[int(i) for i in s], [int(j) for j in t]] for s, t in aligner.align_sents()]))
"""


def joined_textberg(folder: Path) -> tuple[Path, Path, list]:
    """All test documents one after another, with the gold beads renumbered."""
    src, tgt, gold = [], [], []
    for doc in sorted((TEXTBERG / "gold").iterdir()):
        for s, t in read_beads(doc):
            gold.append((tuple(i + len(src) for i in s), tuple(j + len(tgt) for j in t)))
        src += (TEXTBERG / "de" / doc.name).read_text(encoding="utf-8").splitlines()
        tgt += (TEXTBERG / "fr" / doc.name).read_text(encoding="utf-8").splitlines()
    (folder / "de.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "fr.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    print(f"joined Text+Berg test: {len(src)} x {len(tgt)} sentences, {len(gold)} gold beads")
    return folder / "de.txt", folder / "fr.txt", gold


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of a subprocess (CPU time is steadier when other work shares the machine)."""
    started, cpu = time.perf_counter(), cpu_of_children()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - started, cpu_of_children() - cpu
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds, cpu, done.stdout


def f1_line(system: list, gold: list) -> str:
    evaluation = Evaluation()
    evaluation.add(system, gold)
    return f"strict F1 {evaluation.strict.f1:.3f}, lax F1 {evaluation.lax.f1:.3f}"


def install_bertalign() -> None:
    python312 = shutil.which("python3.12")
    if not python312:
        sys.exit("bertalign 2.0.1 needs Python >= 3.12 and no python3.12 is on PATH")
    subprocess.run([python312, "-m", "venv", str(BERTALIGN_VENV)], check=True)
    pip = [str(BERTALIGN_VENV / "bin" / "pip"), "install", "-q"]
    subprocess.run(pip + ["torch==2.13.0"], check=True)  # pinned first, as in the Makefile
    subprocess.run(pip + ["bertalign==2.0.1"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-bertalign", action="store_true")
    parser.add_argument("--install-bertalign", action="store_true", help="make .venv/bertalign-py312 first")
    args = parser.parse_args()
    if args.install_bertalign and not BERTALIGN_PYTHON.exists():
        install_bertalign()
    model = resolve_model()  # builds the converted model now, so neither timed process pays for that
    env = dict(os.environ, ALIGN_NO_CACHE="1")
    with tempfile.TemporaryDirectory() as tmp:
        src, tgt, gold = joined_textberg(Path(tmp))
        beads_path = Path(tmp) / "beads.jsonl"
        encode_cmd = [sys.executable, "-c", ENCODE_ONCE, str(src), str(tgt)]
        align_cmd = [str(Path(sys.executable).with_name("align")), "pair", str(src), str(tgt), "--presplit",
                     "--src-lang", "de", "--tgt-lang", "fr", "--beads", str(beads_path), "--quiet"]
        encode, align = [], []
        for round_ in range(args.rounds):
            encode.append(timed(encode_cmd, env)[:2])
            align.append(timed(align_cmd, env)[:2])
            print(f"round {round_ + 1}: encode once {encode[-1][0]:.1f} s wall / {encode[-1][1]:.1f} s CPU, "
                  f"align pair {align[-1][0]:.1f} s wall / {align[-1][1]:.1f} s CPU; ratio "
                  f"{align[-1][0] / encode[-1][0]:.2f} wall, {align[-1][1] / encode[-1][1]:.2f} CPU")
        best_encode, best_align = min(wall for wall, _ in encode), min(wall for wall, _ in align)
        cpu_ratio = min(cpu for _, cpu in align) / min(cpu for _, cpu in encode)
        print(f"best: load model + encode every sentence once {best_encode:.1f} s; one `align pair` call "
              f"{best_align:.1f} s; ratio {best_align / best_encode:.2f} wall, {cpu_ratio:.2f} CPU (target <= 1.5)")
        ours = [(tuple(b["src"]), tuple(b["tgt"])) for b in map(json.loads, beads_path.read_text().splitlines())]
        print(f"align on the joined document: {f1_line(ours, gold)}")
        if args.no_bertalign:
            return 0
        if not BERTALIGN_PYTHON.exists():
            print(f"bertalign: not run: {BERTALIGN_VENV} is missing (bertalign 2.0.1 requires Python >= 3.12; "
                  f"rerun with --install-bertalign)")
            return 0
        bert_s, bert_cpu, out = timed([str(BERTALIGN_PYTHON), "-c", BERTALIGN, str(src), str(tgt), str(model)], env)
        theirs = [(tuple(s), tuple(t)) for s, t in json.loads(out.strip().splitlines()[-1])]
        print(f"bertalign 2.0.1 (same model, its defaults): {bert_s:.1f} s wall / {bert_cpu:.1f} s CPU, "
              f"{bert_s / best_align:.2f}x the wall time of align pair; {f1_line(theirs, gold)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
