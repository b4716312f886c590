"""`align pair` against sentence-transformers and bertalign: cold start, one joined document, one per document,
and the peak memory of a 5,000-sentence pair.

    .venv/bin/python bench/bench_speed.py [--sections joined,interview,documents,scale] [--rounds 2]
        [--runs 5] [--no-bertalign] [--install-bertalign] [--backend NAME]

Every figure comes from fresh subprocesses run side by side in one go, each with its peak RSS (os.wait4), and
the load average is printed before and after (another busy process on a 2-core machine slows them all).
`align pair` runs with its default backend (or --backend) and an empty embedding cache (ALIGN_NO_CACHE=1); the
converted model and its exports are built before anything is timed.

joined     The seven Text+Berg test documents joined into one (991 German x 1,011 French sentences, one per line):
           one `align pair --presplit` against a process that loads the model in sentence-transformers (torch,
           fp32) and encodes every sentence once. Target: align / encode-once <= 0.4. Rounds alternate the two;
           the best of each is reported. Then bertalign 2.0.1 on the same document.
interview  `align pair` on the interview (en.txt against sr-Latn.txt, 112 x 110 sentences) against
           sentence-transformers' own import + load + encode of the same sentences (Serbian in Latin, the query
           prompt), the median of --runs fresh processes each. Targets: <= 3 s wall, <= 500 MB peak.
documents  Text+Berg one process per document, as a user runs them: `align pair --presplit` on each of the 7
           documents, against bertalign 2.0.1 likewise. Target: bertalign's time >= 8x ours.
scale      `align pair --presplit` on 5,000 x 5,000 sentences (bench_scale.py's synthetic Text+Berg document),
           empty embedding cache, with the default backend and with torch: peak RSS (today ~1.1 GB with torch).

bertalign (PyPI bertalign==2.0.1) needs Python >= 3.12, which the project's venv (3.11) is not, so it runs from
its own venv, .venv/bertalign-py312 (made with --install-bertalign: a Python 3.12's venv, then pip install
torch==2.13.0 bertalign==2.0.1), with the same converted model passed as a local path and its defaults
otherwise (max_align 5, so it encodes every window of 1-4 sentences).
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

from align.embed.models import resolve_model
from align.evaluate import Evaluation, read_beads

REPO = Path(__file__).resolve().parents[1]
TEXTBERG = REPO.parent / "shared" / "benchmarks" / "textberg"
INTERVIEW = REPO / "corpora" / "interview"
BERTALIGN_VENV = REPO / ".venv" / "bertalign-py312"
BERTALIGN_PYTHON = BERTALIGN_VENV / "bin" / "python"
ALIGN = str(Path(sys.executable).with_name("align"))
SECTIONS = ("joined", "interview", "documents", "scale")

ENCODE_ONCE = """
import sys
from align.embed import load_encoder
lines = [open(path, encoding="utf-8").read().splitlines() for path in sys.argv[1:3]]
load_encoder(backend="torch", cache=False).encode(lines[0] + lines[1])
"""

# sentence-transformers alone, nothing of align imported: what a cold start costs with it
ST_ENCODE = """
import json, sys
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
model.encode(json.load(open(sys.argv[2], encoding="utf-8")), prompt_name="query", normalize_embeddings=True)
"""

BERTALIGN = """
import json, logging, sys
from bertalign import Bertalign
src, tgt, model = sys.argv[1:4]
aligner = Bertalign(open(src, encoding="utf-8").read(), open(tgt, encoding="utf-8").read(), is_split=True,
                    model=model)
print(json.dumps([[[int(i) for i in s], [int(j) for j in t]] for s, t in aligner.align_sents()]))
"""


class Run:
    """One subprocess: wall and CPU seconds, peak RSS (MB) and stdout."""

    def __init__(self, command: list[str], env: dict[str, str]):
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            self.seconds = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            self.stdout, stderr = out.read().decode(), err.read().decode()
        if process.returncode:
            sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr[-2000:]}")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak_mb = usage.ru_maxrss / 1024


def load_line(when: str) -> str:
    return f"load average {when}: {os.getloadavg()[0]:.2f}"


def f1(system: list, gold: list) -> Evaluation:
    evaluation = Evaluation()
    evaluation.add(system, gold)
    return evaluation


def f1_line(evaluation: Evaluation) -> str:
    return f"strict F1 {evaluation.strict.f1:.3f}, lax F1 {evaluation.lax.f1:.3f}"


def textberg_documents() -> list[tuple[str, list[str], list[str], list]]:
    return [(doc.name, (TEXTBERG / "de" / doc.name).read_text(encoding="utf-8").splitlines(),
             (TEXTBERG / "fr" / doc.name).read_text(encoding="utf-8").splitlines(), read_beads(doc))
            for doc in sorted((TEXTBERG / "gold").iterdir())]


def joined_textberg(folder: Path) -> tuple[Path, Path, list]:
    """All test documents one after another, with the gold beads renumbered."""
    src, tgt, gold = [], [], []
    for _, s_lines, t_lines, beads in textberg_documents():
        gold += [(tuple(i + len(src) for i in s), tuple(j + len(tgt) for j in t)) for s, t in beads]
        src += s_lines
        tgt += t_lines
    (folder / "de.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "fr.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    print(f"joined Text+Berg test: {len(src)} x {len(tgt)} sentences, {len(gold)} gold beads")
    return folder / "de.txt", folder / "fr.txt", gold


def pair_command(src: Path, tgt: Path, out: Path, backend: str | None, presplit: bool = True,
                 langs: tuple[str, str] = ("de", "fr")) -> list[str]:
    return [ALIGN, "pair", str(src), str(tgt), *(["--presplit"] if presplit else []), "--src-lang", langs[0],
            "--tgt-lang", langs[1], "--beads", str(out), "--quiet", *(["--backend", backend] if backend else [])]


def read_our_beads(path: Path) -> list:
    return [(tuple(b["src"]), tuple(b["tgt"])) for b in map(json.loads, path.read_text().splitlines())]


def bertalign(src: Path, tgt: Path, model: Path, env: dict[str, str]) -> tuple[Run, list]:
    run = Run([str(BERTALIGN_PYTHON), "-c", BERTALIGN, str(src), str(tgt), str(model)], env)
    return run, [(tuple(s), tuple(t)) for s, t in json.loads(run.stdout.strip().splitlines()[-1])]


def joined(tmp: Path, model: Path, env: dict[str, str], args) -> None:
    src, tgt, gold = joined_textberg(tmp)
    beads = tmp / "joined.jsonl"
    encode_cmd = [sys.executable, "-c", ENCODE_ONCE, str(src), str(tgt)]
    encode, align = [], []
    for round_ in range(args.rounds):
        encode.append(Run(encode_cmd, env))
        align.append(Run(pair_command(src, tgt, beads, args.backend), env))
        print(f"round {round_ + 1}: sentence-transformers (torch fp32) load + encode once {encode[-1].seconds:.1f} s "
              f"wall / {encode[-1].cpu:.1f} s CPU; align pair {align[-1].seconds:.1f} s wall / {align[-1].cpu:.1f} "
              f"s CPU, {align[-1].peak_mb:.0f} MB; ratio {align[-1].seconds / encode[-1].seconds:.2f} wall, "
              f"{align[-1].cpu / encode[-1].cpu:.2f} CPU")
    best_encode, best_align = min(r.seconds for r in encode), min(r.seconds for r in align)
    cpu_ratio = min(r.cpu for r in align) / min(r.cpu for r in encode)
    print(f"best: torch fp32 encode once {best_encode:.1f} s; one `align pair` call {best_align:.1f} s; ratio "
          f"{best_align / best_encode:.2f} wall, {cpu_ratio:.2f} CPU (target <= 0.4)")
    print(f"align on the joined document: {f1_line(f1(read_our_beads(beads), gold))}")
    if not args.no_bertalign and BERTALIGN_PYTHON.exists():
        run, theirs = bertalign(src, tgt, model, env)
        print(f"bertalign 2.0.1 (same model, its defaults): {run.seconds:.1f} s wall / {run.cpu:.1f} s CPU, "
              f"{run.seconds / best_align:.2f}x the wall time of align pair; {f1_line(f1(theirs, gold))}")


def interview(tmp: Path, model: Path, env: dict[str, str], args) -> None:
    from align.embed import model_texts

    texts = (model_texts((INTERVIEW / "en.sent").read_text(encoding="utf-8").splitlines(), "en")
             + model_texts((INTERVIEW / "sr-Latn.sent").read_text(encoding="utf-8").splitlines(), "sr"))
    (tmp / "interview.json").write_text(json.dumps(texts), encoding="utf-8")
    ours_cmd = [ALIGN, "pair", str(INTERVIEW / "en.txt"), str(INTERVIEW / "sr-Latn.txt"), "-o",
                str(tmp / "interview.tmx"), "--quiet", *(["--backend", args.backend] if args.backend else [])]
    st_cmd = [sys.executable, "-c", ST_ENCODE, str(model), str(tmp / "interview.json")]
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(Run(ours_cmd, env))
        theirs.append(Run(st_cmd, env))

    def line(name: str, runs: list[Run]) -> str:
        return (f"{name}: median {statistics.median(r.seconds for r in runs):.2f} s wall "
                f"({', '.join(f'{r.seconds:.2f}' for r in runs)}), {statistics.median(r.cpu for r in runs):.2f} s "
                f"CPU, peak {statistics.median(r.peak_mb for r in runs):.0f} MB (max {max(r.peak_mb for r in runs):.0f})")

    print(f"interview, {len(texts)} sentences, {args.runs} fresh processes each, empty embedding cache:")
    print("  " + line("align pair (read, split, encode, align, score, write the TMX)", ours))
    print("  " + line("sentence-transformers import + load + encode of the same sentences", theirs))
    print(f"  targets: <= 3 s wall, <= 500 MB peak; align pair takes "
          f"{statistics.median(r.seconds for r in ours) / statistics.median(r.seconds for r in theirs):.2f}x "
          "sentence-transformers' time")


def documents(tmp: Path, model: Path, env: dict[str, str], args) -> None:
    docs = textberg_documents()
    ours, theirs = [], []
    ours_all, theirs_all = Evaluation(), Evaluation()
    for name, src_lines, tgt_lines, gold in docs:
        src, tgt, out = tmp / f"{name}.de", tmp / f"{name}.fr", tmp / f"{name}.jsonl"
        src.write_text("\n".join(src_lines) + "\n", encoding="utf-8")
        tgt.write_text("\n".join(tgt_lines) + "\n", encoding="utf-8")
        ours.append(Run(pair_command(src, tgt, out, args.backend), env))
        ours_all.add(read_our_beads(out), gold)
        if not args.no_bertalign and BERTALIGN_PYTHON.exists():
            run, found = bertalign(src, tgt, model, env)
            theirs.append(run)
            theirs_all.add(found, gold)
    total = sum(r.seconds for r in ours)
    print(f"Text+Berg, one process per document ({len(docs)} documents): align pair {total:.1f} s wall / "
          f"{sum(r.cpu for r in ours):.1f} s CPU, max peak {max(r.peak_mb for r in ours):.0f} MB; "
          f"{f1_line(ours_all)}")
    if theirs:
        their_total = sum(r.seconds for r in theirs)
        print(f"  bertalign 2.0.1, one process per document: {their_total:.1f} s wall / "
              f"{sum(r.cpu for r in theirs):.1f} s CPU, max peak {max(r.peak_mb for r in theirs):.0f} MB; "
              f"{f1_line(theirs_all)}; {their_total / total:.1f}x our time (target >= 8x)")


def scale(tmp: Path, model: Path, env: dict[str, str], args) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_scale import synthetic

    src_lines, tgt_lines, gold = synthetic(5000)
    src, tgt = tmp / "scale.de", tmp / "scale.fr"
    src.write_text("\n".join(src_lines) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(tgt_lines) + "\n", encoding="utf-8")
    print(f"{len(src_lines)} x {len(tgt_lines)} sentences (bench_scale.py's synthetic document), empty cache:")
    for backend in dict.fromkeys([args.backend, "torch"]):
        run = Run(pair_command(src, tgt, tmp / "scale.jsonl", backend), env)
        print(f"  align pair --backend {backend or 'default'}: {run.seconds:.1f} s wall / {run.cpu:.1f} s CPU, "
              f"peak {run.peak_mb:.0f} MB; {f1_line(f1(read_our_beads(tmp / 'scale.jsonl'), gold))}")


def python312() -> str | None:
    """A Python 3.12 to build bertalign's venv with: $PYTHON312, python3.12 on PATH (a pyenv shim only if it
    runs), or a pyenv installation."""
    candidates = [os.environ.get("PYTHON312"), shutil.which("python3.12"),
                  *sorted(map(str, Path.home().glob(".pyenv/versions/3.12*/bin/python")))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    return None


def install_bertalign() -> None:
    python = python312()
    if not python:
        sys.exit("bertalign 2.0.1 needs Python >= 3.12 and none was found (set PYTHON312)")
    subprocess.run([python, "-m", "venv", str(BERTALIGN_VENV)], check=True)
    pip = [str(BERTALIGN_VENV / "bin" / "pip"), "install", "-q"]
    subprocess.run(pip + ["torch==2.13.0"], check=True)  # pinned first, as in the Makefile
    subprocess.run(pip + ["bertalign==2.0.1"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"any of {', '.join(SECTIONS)}")
    parser.add_argument("--rounds", type=int, default=2, help="joined: rounds (best reported)")
    parser.add_argument("--runs", type=int, default=5, help="interview: fresh processes (median reported)")
    parser.add_argument("--backend", help="align's backend (default: its default)")
    parser.add_argument("--no-bertalign", action="store_true")
    parser.add_argument("--install-bertalign", action="store_true", help="make .venv/bertalign-py312 first")
    args = parser.parse_args()
    if args.install_bertalign and not BERTALIGN_PYTHON.exists():
        install_bertalign()
    sections = args.sections.split(",")
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    model = resolve_model()  # builds the converted model now, so no timed process pays for that
    from align.embed import backend_name, load_encoder

    load_encoder(backend=args.backend, cache=False)  # and the export of the backend
    print(f"align's backend: {backend_name(args.backend)}; {load_line('before')}")
    if not BERTALIGN_PYTHON.exists() and not args.no_bertalign and {"joined", "documents"} & set(sections):
        print(f"bertalign: not run: {BERTALIGN_VENV} is missing (bertalign 2.0.1 requires Python >= 3.12; "
              "rerun with --install-bertalign)")
    env = {key: value for key, value in os.environ.items() if key != "ALIGN_BACKEND"}
    env["ALIGN_NO_CACHE"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        for section in SECTIONS:
            if section in sections:
                print(f"\n== {section}")
                globals()[section](Path(tmp), model, env, args)
    print(f"\n{load_line('after')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
