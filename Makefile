# Lint and tests. `make` (or `make fast`): lint and the fast tests; `make test`: lint and every test, as CI runs them;
# `make constraints`: write constraints.txt from this venv.
# Markers (README, under the test command): corpus reads ../shared/corpora, browser drives chromium, slow takes > ~10 s.
VENV ?= .venv
BIN := $(VENV)/bin
FAST := not slow and not corpus and not browser

.DEFAULT_GOAL := fast
.PHONY: fast test lint constraints

$(BIN)/pytest:  # the README's install, only when there is no venv yet
	python3 -m venv $(VENV) && $(BIN)/pip install -q -U pip && $(BIN)/pip install -q -e ".[dev]"

lint: | $(BIN)/pytest
	$(BIN)/ruff check .

fast: lint
	$(BIN)/pytest -m "$(FAST)"

test: lint
	$(BIN)/pytest

constraints:  # constraints.txt: the exact versions this venv has of what the core install needs (the Dockerfile's)
	$(BIN)/python tools/constraints.py > constraints.txt
