# Rapport — the two promises: `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Python >= 3.12: a python3.13/python3.12 on PATH that runs, else a pyenv build.
BASE_PYTHON := $(shell for c in python3.13 python3.12; do $$c -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && command -v $$c && exit; done; ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[32]*/bin/python3.1[32] 2>/dev/null | sort -r | head -n1)

.PHONY: help run test bench lint typecheck ci setup browser clean

help:
	@echo "make run    set up and start Rapport with a demo organization (SQLite) at http://127.0.0.1:8000,"
	@echo "            with its background worker"
	@echo "make test   set up and run the whole test suite"
	@echo "make bench  benchmark key pages on a 10,000-person organization (PostgreSQL)"
	@echo "make lint   ruff, mypy and the migration check"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(BASE_PYTHON)" || { echo "Rapport needs Python >= 3.12 (python3.13 or python3.12)"; exit 1; }
	test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	set -o pipefail; $(BIN)/pip install -q -r requirements-dev.txt 2>&1 | { grep -v 'is ignored' || true; }
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium (apt-get install chromium) for the browser tests"; exit 1; fi; }

# The worker (email, calendar, webhooks, reminders) runs next to the web server and
# stops with it (Ctrl-C).
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_load --if-empty
	$(PY) manage.py rapport_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

test: setup browser
	$(BIN)/pytest -n auto

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	bash bench/run.sh

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
