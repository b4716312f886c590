# The whole set-up on a fresh machine is `make run` (the main job) or `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-quick bench clean

setup: $(STAMP)

# torch is installed first and pinned: 2.13.0 is this machine's local CPU wheel; an unpinned torch pulls a
# multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/align corpus corpora -o tmx_out

test: setup
	$(BIN)/python -m pytest -q

test-quick: setup
	$(BIN)/python -m pytest -q -m 'not slow'

# bench_speed.py --install-bertalign builds bertalign's own Python 3.12 venv for the side-by-side run.
bench: setup
	$(BIN)/pip install -q -e '.[test,bench]'
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) tmx_out
