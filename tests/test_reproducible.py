"""`make run` is a function of its inputs: run again, with the embedding cache empty or warm, it writes the
very files that are committed in tmx_out/ (the TMX dates come from the inputs' last commit)."""
from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from align.embed.models import default_model_dir

ROOT = Path(__file__).resolve().parent.parent


def make_run_command() -> list[str]:
    """The command of the Makefile's `run` target, with this interpreter's `align`."""
    recipe = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert "$(BIN)/align corpus corpora -o tmx_out" in recipe
    return [str(Path(sys.executable).parent / "align"), "corpus", "corpora", "-o"]


def source_date_epoch() -> str:
    completed = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "corpora"], cwd=ROOT, capture_output=True,
                               text=True)
    return completed.stdout.strip() or "0"


def differing_files(left: Path, right: Path) -> list[str]:
    found = []
    comparison = filecmp.dircmp(left, right, ignore=["timings.json"])
    stack = [(comparison, "")]
    while stack:
        node, prefix = stack.pop()
        found += [prefix + name for name in node.left_only + node.right_only + node.diff_files]
        found += [prefix + name for name in filecmp.cmpfiles(node.left, node.right, node.same_files, shallow=False)[1]]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(set(found))


@pytest.mark.model
@pytest.mark.slow
def test_make_run_writes_the_committed_files_with_a_cold_and_a_warm_cache(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the TMX dates come from the inputs' last commit")
    cache = tmp_path / "cache"
    (cache / "models").mkdir(parents=True)
    model = default_model_dir()
    model.parent.mkdir(parents=True, exist_ok=True)
    if not model.exists():  # convert once into the user cache; the run below must not depend on earlier embeddings
        subprocess.run([sys.executable, "-c", "from align.embed.models import resolve_model; resolve_model()"],
                       check=True)
    for built in model.parent.glob(f"{model.name}*"):  # the model and its exports for the encoder backends
        (cache / "models" / built.name).symlink_to(built)
    env = dict(os.environ, ALIGN_CACHE=str(cache), SOURCE_DATE_EPOCH=source_date_epoch())
    for attempt in ("cold", "warm"):
        out = tmp_path / attempt
        completed = subprocess.run([*make_run_command(), str(out)], cwd=ROOT, env=env, capture_output=True,
                                   text=True, timeout=900)
        assert completed.returncode == 0, completed.stderr
        # the summary names its output folder; the committed one names tmx_out
        for summary in out.glob("summary.*"):
            summary.write_text(summary.read_text(encoding="utf-8").replace(str(out), "tmx_out"), encoding="utf-8")
        assert differing_files(ROOT / "tmx_out", out) == [], attempt
