# The whole set-up on a fresh machine is `make run` (the main job) or `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-quick bench clean

setup: $(STAMP)

# torch is pinned by constraints.txt to this machine's local CPU wheel (2.13.0); an unpinned torch pulls a
# multi-GB CUDA build. The library's own metadata asks only for a range.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt torch
	$(BIN)/pip install -q -c constraints.txt -e '.[test,onnx]'
	touch $(STAMP)

# The TMX creation dates are those of the inputs' last commit, so that a run again changes no file in tmx_out/.
run: setup
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct -- corpora 2>/dev/null || echo 0) $(BIN)/align corpus corpora -o tmx_out

test: setup
	$(BIN)/python -m pytest -q

# Without the real model (tests run with a deterministic stand-in), a browser or a CAT tool: no model conversion.
test-quick: setup
	$(BIN)/python -m pytest -q -m 'not slow and not model and not browser and not interop'

# bench_speed.py --install-bertalign builds bertalign's own Python 3.12 venv for the side-by-side run.
bench: setup
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench,onnx]'
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) tmx_out
