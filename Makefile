# Two commands: `make run` serves the app, `make test` runs lint and all three test tiers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint unit app browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

unit: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit

app: $(VENV)/.dev
	$(BIN)/python -m pytest tests/app

browser: $(VENV)/.dev
	$(BIN)/python -m pytest tests/browser

test: lint $(VENV)/.dev
	$(BIN)/python -m pytest tests --cov=components --cov=pages --cov-report=term:skip-covered

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts

bench: $(VENV)/.dev
	$(BIN)/python bench/bench_pages.py
