# LossLab: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps record which requirement files the venv was built from; edit one and it reinstalls.
$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/python -m ui.serve run app.py --server.port $(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.dev-deps
	$(BIN)/python -m bench

loadtest: $(VENV)/.dev-deps
	$(BIN)/python -m bench.loadtest --sessions 30 --seconds 60

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
