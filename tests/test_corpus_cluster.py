"""`align corpus` beyond one process, with the real model: the same outputs whatever runs the jobs (this process, a
Dask LocalCluster, a `dask scheduler` with two `dask worker` processes on 127.0.0.1), workers killed mid-run, a
document that keeps killing its workers, and a client killed and resumed. Every run is the `align` command in a
process of its own, as a user starts it; the embedding cache is off, so that every document is really embedded."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from lxml import etree

pytestmark = [pytest.mark.slow, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "tests" / "data" / "inputs"
ENSR_DIR = ROOT / "bench" / "data" / "ensr"
BIN = Path(sys.executable).parent
EPOCH = "1700000000"
LABELS = ["harbour.sr-Latn", "harbour.sr-Cyrl", "library.sr", "mixup.sr-Latn", "news.sr-Latn", "qa.sr-Cyrl",
          "rules.sr-Latn"]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "ALIGN_NO_CACHE": "1", "SOURCE_DATE_EPOCH": EPOCH, **extra}


def blind_document(corpus: Path, name: str, english: str, serbian: str) -> None:
    (corpus / name).mkdir(parents=True)
    shutil.copy(ENSR_DIR / f"{english}.en.txt", corpus / name / "en.txt")
    found = next(ENSR_DIR.glob(f"{serbian}.sr-*.txt"))
    shutil.copy(found, corpus / name / found.name.split(".", 1)[1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Seven jobs: three of the blind documents (about 100 sentences a side), the two small sample documents
    (harbour in both scripts) and a suspect one (news against the rules' Serbian)."""
    corpus = tmp_path_factory.mktemp("cluster") / "corpus"
    shutil.copytree(INPUTS / "corpus", corpus)
    for name in ("news", "qa", "rules"):
        blind_document(corpus, name, name, name)
    blind_document(corpus, "mixup", "news", "rules")
    return corpus


def start(corpus: Path, out: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "align"), "corpus", str(corpus), "-o", str(out), "-q", *args],
                            env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=600)
    return process.returncode, stderr


def run(corpus: Path, out: Path, *args: str) -> tuple[int, str]:
    return finish(start(corpus, out, *args))


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """The corpus aligned in one process (--workers 1): what every other way must give."""
    out = tmp_path_factory.mktemp("reference") / "out"
    returncode, stderr = run(corpus, out)
    assert returncode == 0, stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(d["label"], d["status"]) for d in summary["documents"]] == [
        (label, "suspect" if label.startswith("mixup") else "ok") for label in LABELS]
    return out


def differing_files(reference: Path, out: Path) -> list[str]:
    """The files that differ between two runs' outputs (timings.json aside; the summary names its own folder)."""
    def files(root: Path) -> dict[str, bytes]:
        return {path.relative_to(root).as_posix(): path.read_bytes().replace(str(root).encode(), b"OUT")
                for path in root.rglob("*") if path.is_file() and path.name != "timings.json"}
    left, right = files(reference), files(out)
    assert len(left) > 7 * 8  # per job: TMX, beads, table part, record, four report files; and the corpus files
    return sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))


def records(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.job.json"))


def wait_for(condition, what: str, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"waited {timeout} s for {what}")


def summary_documents(out: Path) -> dict[str, dict]:
    return {d["label"]: d for d in json.loads((out / "summary.json").read_text(encoding="utf-8"))["documents"]}


# ---------------------------------------------------------------------------------------------- a Dask cluster

@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes (one thread each, under a nanny that restarts a killed
    worker) on 127.0.0.1, as on a real cluster: the workers' environment is not the client's (their
    SOURCE_DATE_EPOCH differs), and the scheduler gives a document up after three workers died on it."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    env = environment(SOURCE_DATE_EPOCH="1", DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="2",
                      DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0")
    log = (folder / "dask.log").open("w")  # the processes write to it until the teardown
    loopback = ["--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0"]  # their HTTP servers too
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", *loopback, "--port", "0",
                                   "--scheduler-file", str(scheduler_file)],
                                  cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)]
    try:
        wait_for(scheduler_file.exists, "the scheduler", 60)
        for name in ("one", "two"):
            processes.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), *loopback,
                 "--nthreads", "1", "--name", name, "--local-directory", str(folder)],
                cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT))
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def kill_worker(watcher, address: str) -> None:
    """SIGKILL the worker process at `address` (its nanny starts a new one)."""
    pid = watcher.run(os.getpid, workers=[address])[address]
    os.kill(pid, signal.SIGKILL)


def test_the_same_outputs_in_one_process_on_a_local_cluster_and_on_a_dask_cluster(corpus, reference, dask_cluster,
                                                                                   tmp_path):
    for name, scheduler in (("local", "local:2"), ("cluster", dask_cluster)):
        returncode, stderr = run(corpus, tmp_path / name, "--scheduler", scheduler)
        assert returncode == 0, stderr
        assert differing_files(reference, tmp_path / name) == [], name


def test_a_dask_worker_killed_mid_run_has_its_document_aligned_again(corpus, reference, dask_cluster, tmp_path):
    from distributed import Client

    out = tmp_path / "out"
    process = start(corpus, out, "--scheduler", dask_cluster)
    with Client(dask_cluster, timeout=60) as watcher:
        def busy_worker() -> tuple[str, list] | None:  # a worker aligning one of the documents, once one is done
            if not records(out):
                return None
            return next(((worker, keys) for worker, keys in watcher.processing().items()
                         if any(str(key).startswith("align-") for key in keys)), None)
        victim, in_flight = wait_for(busy_worker, "a document in flight after the first one done")
        kill_worker(watcher, victim)
    returncode, stderr = finish(process)
    assert returncode == 0, stderr
    assert in_flight and len(records(out)) == len(LABELS)
    assert differing_files(reference, out) == []


def test_a_document_that_keeps_killing_dask_workers_fails_after_three_tries(dask_cluster, tmp_path):
    from distributed import Client

    corpus = tmp_path / "corpus"
    shutil.copytree(INPUTS / "corpus", corpus)
    blind_document(corpus, "poison", "news", "news")
    out = tmp_path / "out"
    process = start(corpus, out, "--scheduler", dask_cluster)
    killed: list[str] = []
    with Client(dask_cluster, timeout=60) as watcher:
        while process.poll() is None:  # whichever worker takes the poison document dies
            for worker, keys in watcher.processing().items():
                if worker not in killed and any(str(key).startswith("align-poison.") for key in keys):
                    kill_worker(watcher, worker)
                    killed.append(worker)
            time.sleep(0.05)
    returncode, stderr = finish(process)
    assert returncode == 1
    assert len(killed) == 3
    documents = summary_documents(out)
    assert {label: d["status"] for label, d in documents.items()} == {
        "harbour.sr-Latn": "ok", "harbour.sr-Cyrl": "ok", "library.sr": "ok", "poison.sr-Latn": "failed"}
    assert documents["poison.sr-Latn"]["error"].startswith("the worker process died while aligning it, 3 times")
    assert stderr.splitlines()[-1].startswith("align: error: poison.sr-Latn: the worker process died")


# ---------------------------------------------------------------------------------------------- the local pool

def pool_workers(process: subprocess.Popen) -> list[psutil.Process]:
    """The pool's worker processes (spawned), not multiprocessing's resource tracker."""
    try:
        children = psutil.Process(process.pid).children()
        return [child for child in children if "spawn_main" in " ".join(child.cmdline())]
    except psutil.NoSuchProcess:
        return []


def test_a_pool_worker_killed_mid_run_has_its_document_aligned_again(corpus, reference, tmp_path):
    out = tmp_path / "out"
    process = start(corpus, out, "--workers", "2")
    victim = wait_for(lambda: records(out) and pool_workers(process)[:1], "a pool worker after the first job")[0]
    victim.kill()
    returncode, stderr = finish(process)
    assert returncode == 0, stderr
    assert differing_files(reference, out) == []


def test_a_document_that_keeps_killing_pool_workers_fails_after_three_tries(tmp_path):
    corpus = tmp_path / "corpus"
    blind_document(corpus, "poison", "news", "news")
    out = tmp_path / "out"
    process = start(corpus, out, "--workers", "2")
    killed: set[int] = set()
    while process.poll() is None:  # every worker process the pool starts for it dies
        for worker in pool_workers(process):
            if worker.pid not in killed:
                worker.kill()
                killed.add(worker.pid)
        time.sleep(0.05)
    returncode, _ = finish(process)
    assert returncode == 1
    assert len(killed) == 3
    assert summary_documents(out)["poison.sr-Latn"]["error"].startswith(
        "the worker process died while aligning it, 3 times")


# ---------------------------------------------------------------------------------------------- resuming

def test_resume_after_the_client_was_killed_aligns_only_what_was_missing(corpus, reference, tmp_path):
    out = tmp_path / "out"
    process = start(corpus, out)
    wait_for(lambda: len(records(out)) >= 2, "two jobs done")
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = {json.loads(path.read_text(encoding="utf-8"))["job"] for path in records(out)}
    assert 2 <= len(done) < len(LABELS)
    # every output on disk is whole: the TMX files parse, the JSON files load (a file being written is a hidden
    # temporary one)
    for path in out.rglob("*"):
        if path.suffix == ".tmx" and not path.name.startswith("."):
            etree.parse(str(path))
        elif path.suffix == ".json" and not path.name.startswith("."):
            json.loads(path.read_text(encoding="utf-8"))

    returncode, stderr = run(corpus, out, "--resume")
    assert returncode == 0, stderr
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert sorted(timings["seconds"]) == sorted(set(LABELS) - done)
    assert timings["resumed"] == len(done)
    assert differing_files(reference, out) == []
