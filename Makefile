# Civic Desk — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes per leg (pytest-xdist; a file's tests stay in one process). 0 runs them in this process.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: help venv install install-dev system-deps run serve migrate demo test lint types messages-check \
        test-sqlite test-postgres test-fast messages bench bench-deps lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Civic Desk needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(PY) ## Create the virtual environment in .venv

$(VENV)/.installed: requirements.txt pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Install the pinned runtime dependencies and the `civicdesk` command

install-dev: $(VENV)/.installed-dev ## Install the pinned test, lint and type-check tools too

system-deps: ## Install Debian packages the tests need (Chromium, gettext, CJK fonts, pdftotext) when missing
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

migrate: install ## Apply database migrations (SQLite under var/ unless DATABASE_URL is set)
	@mkdir -p var
	$(MANAGE) migrate --no-input

demo: migrate ## Load the organisation and demo data (idempotent)
	$(MANAGE) load_demo

run: demo ## Install everything, migrate, load demo data and serve at http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-dev ## mypy with django-stubs
	$(BIN)/mypy civicdesk config

messages: install-dev ## Refresh the translation catalogues and compile them
	$(PY) scripts/messages.py update

messages-check: install-dev ## Fail when a catalogue is stale, incomplete or not compiled
	$(PY) scripts/messages.py check

test-sqlite: install-dev system-deps ## The test suite on SQLite
	env -u DATABASE_URL DJANGO_ENV=test $(PYTEST)

test-postgres: install-dev system-deps ## The test suite on PostgreSQL (PG_URL, default the local `test` database)
	@$(PY) scripts/wait_for_postgres.py "$(PG_URL)"
	DATABASE_URL="$(PG_URL)" DJANGO_ENV=test $(PYTEST)

test: install-dev system-deps lint types messages-check test-sqlite ## Lint, types, catalogues, tests on SQLite (and PostgreSQL when configured or in CI)
	@if [ "$${CI:-}" = "true" ] || [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  $(MAKE) --no-print-directory test-postgres PG_URL="$${DATABASE_URL:-$(PG_URL)}"; \
	else \
	  echo "PostgreSQL leg not run: set DATABASE_URL=postgres://… or CI=true to run it."; \
	fi

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench-deps: ## Install the Debian load generator wrk used by bench_applications_track.py when missing
	@command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

bench: install-dev $(VENV)/.installed-bench bench-deps ## Run the benchmarks in bench/ and print their figures (installs requirements-bench.txt and wrk)
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) "$$script" || exit 1; done

lock: venv ## Show the versions installed in .venv (to refresh the pins by hand)
	$(BIN)/pip freeze --exclude-editable

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var/*.sqlite3* var/static
