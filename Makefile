# Two commands: `make run` serves the app, `make test` runs lint and all three test tiers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# pytest-xdist workers for `make test` and `make browser`: each starts its own app server and
# chromium, so browser waits overlap (TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist worksteal

.PHONY: run test lint unit app browser manifest bench bench-quick replicas image-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# serve.py: `streamlit run app.py` with the first page made ready while the server starts.
# MALLOC_ARENA_MAX=2: as in deploy/Dockerfile (less memory kept by glibc; deploy/README.md).
run: $(VENV)/.runtime
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} $(BIN)/python serve.py --server.port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

unit: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit

app: $(VENV)/.dev
	$(BIN)/python -m pytest tests/app

browser: $(VENV)/.dev
	$(BIN)/python -m pytest tests/browser $(XDIST)

test: lint $(VENV)/.dev
	$(BIN)/python -m pytest tests $(XDIST) --durations=15 --cov=components --cov=pages --cov-report=term:skip-covered

# data/validated.json: the shipped files, validated fully, by SHA-256 (data/README.md).
manifest: $(VENV)/.runtime
	$(BIN)/python -c "from components.data import write_manifest; print(write_manifest())"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts

# Benchmarks (not tests; never part of `make test`): bench/README.md. 10-25 minutes on 2 cores,
# depending on load; writes bench/RESULTS.md. BENCH_ARGS=--set-baseline stores the "before" column.
bench: $(VENV)/.dev
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

bench-quick: $(VENV)/.dev
	$(BIN)/python bench/run_all.py --quick $(BENCH_ARGS)

# Two replicas behind Debian's HAProxy on 127.0.0.1 (deploy/README.md); Ctrl-C stops them.
replicas: $(VENV)/.runtime
	$(BIN)/python deploy/run_local.py

# deploy/Dockerfile's promises checked without Docker (root; installs requirements in /tmp).
image-check: $(VENV)/.runtime
	$(BIN)/python deploy/emulate_image.py
