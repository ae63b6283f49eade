# agentops-web: `make run` serves the site, `make test` runs the test suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The first Python 3.12+ on the PATH (pyenv's shims honour .python-version).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.DEFAULT_GOAL := help
.PHONY: help install setup run test lint format check demo upgrade lock-check

help:
	@echo "make run    start the site at http://127.0.0.1:$(PORT)/ and its task worker (SQLite unless DATABASE_URL is set)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff and the migrations check"
	@echo "make upgrade  re-lock every dependency to the newest allowed version (uv.lock)"

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (none found on PATH)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

# Every install comes from uv.lock (exact versions and hashes): nothing resolves here.
# uv itself is pinned with hashes in requirements/uv.txt and installed by plain pip.
UV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv
$(VENV)/.installed: pyproject.toml uv.lock requirements/uv.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt
	$(UV) sync --locked --extra dev --inexact --quiet --compile-bytecode
	@touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_framework

run: setup
	@echo ""
	@echo "  The site:            http://127.0.0.1:$(PORT)/"
	@echo "  Make a maintainer:   $(PY) manage.py grant_maintainer you@example.org --create"
	@echo "  Load demo data:      $(PY) manage.py seed_demo"
	@echo "  Emails sent:         http://127.0.0.1:$(PORT)/dev/outbox/ (and printed below)"
	@echo ""
	@# The site and one task worker (it sends the email); Ctrl-C stops both.
	PORT=$(PORT) $(PY) -m agentops_web.devrun --port $(PORT)

# Python packages of this tree (apps added later are included).
APP_DIRS = $(shell for d in */; do [ -f "$${d}__init__.py" ] && echo "$${d%/}"; done)

# Where PYTHONDONTWRITEBYTECODE is set (it is on these machines), every process would compile
# every module it imports: about 1.5 s per Django start, paid by each test worker and each
# subprocess a test starts. The installed packages are compiled once at install
# (--compile-bytecode above), this tree's modules here, and pytest may keep its rewritten
# test modules.
test: install
	@$(PY) -m compileall -q $(APP_DIRS) manage.py >/dev/null
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Re-lock to the newest versions pyproject.toml allows; review the diff, then `make test`.
upgrade: install
	$(UV) lock --upgrade
	$(UV) sync --locked --extra dev --inexact

# Fails when uv.lock does not match pyproject.toml (CI runs it).
lock-check: install
	$(UV) lock --check

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .
