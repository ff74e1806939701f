# LossLab: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run classroom test test-fast lint format lock bench loadtest clean

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

# data/ holds class mode's SQLite file (classroom/; LOSSLAB_DATA_DIR or LOSSLAB_DATABASE_URL move it).
run: $(VENV)/.run-deps
	mkdir -p $${LOSSLAB_DATA_DIR:-data}
	$(BIN)/python -m ui.serve run server.py --server.port $(PORT)

# REPLICAS app servers on 127.0.0.1:PORT+1.. behind Debian's nginx on PORT, in the foreground (Ctrl-C
# stops all), from deploy/nginx.conf.template; they share one cookie secret and the class-mode store.
REPLICAS ?= 2
classroom: $(VENV)/.run-deps
	$(BIN)/python -m deploy.classroom --replicas $(REPLICAS) --port $(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

# The tests that need no server and no browser (core, ui, the pages through AppTest): a few minutes.
test-fast: lint
	$(BIN)/python -m pytest --ignore=tests/browser -m "not server"

# requirements*.txt are compiled from the short requirements*.in by uv; run after editing a .in file.
LOCK := $(BIN)/uv pip compile --quiet --python-version 3.11 --no-header --annotation-style line
lock: $(VENV)/.dev-deps
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in -o requirements-dev.txt

bench: $(VENV)/.dev-deps
	$(BIN)/python -m bench

# 30, 100 and 300 students through nginx against 1 and 2 replicas, with 5 real browsers (< 10 min).
loadtest: $(VENV)/.dev-deps
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
