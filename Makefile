# Developer entry points. Works from a fresh clone with only Python 3.11, pip and make.
#   make run [PORT=8123]          migrate, seed the demo, serve the example project
#   make test [PYTEST_ARGS=...]   run the suite (SQLite unless VERSIONING_APP_TEST_DB/CACHE are set)
#   make test-fast                the suite without browser, live-server and slow tests
#   make messages                 extract the marked strings into every locale, then compile them
#   make test VENV=.venv-dj42 DJANGO_SPEC="Django>=4.2,<5.0 djangorestframework<3.18"
#                                 same suite, another Django, in its own venv

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# Extra pip specs (space-separated) installed *after* requirements.txt to swap the pinned Django,
# e.g. DJANGO_SPEC="Django>=4.2,<5.0 djangorestframework<3.18"; `pip check` then rejects conflicts.
DJANGO_SPEC ?=
PYTEST_ARGS ?=

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint format bench messages clean distclean FORCE

help:
	@echo "targets: run test test-fast lint format bench messages clean distclean"
	@echo "vars:    PYTHON=$(PYTHON) VENV=$(VENV) PORT=$(PORT) DJANGO_SPEC=$(DJANGO_SPEC) PYTEST_ARGS=$(PYTEST_ARGS)"

# The stamp records DJANGO_SPEC, so reusing a venv with a different spec reinstalls instead of
# silently testing the wrong Django.
ifneq ($(strip $(DJANGO_SPEC)),$(strip $(shell cat $(STAMP) 2>/dev/null)))
$(STAMP): FORCE
endif

# Debian ships `venv` without ensurepip unless python3-venv is installed: then fall back to a
# pip-less venv filled by the system pip (`pip --python`, pip>=22.3).
$(STAMP): requirements.txt setup.cfg
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv $(VENV) || { \
	  $(PYTHON) -m venv --clear --without-pip $(VENV) && \
	  $(PYTHON) -m pip --python $(BIN)/python install --quiet pip; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(if $(strip $(DJANGO_SPEC)),$(BIN)/python -m pip install --quiet $(foreach s,$(DJANGO_SPEC),'$(s)'))
	$(BIN)/python -m pip check
	@echo '$(DJANGO_SPEC)' > $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# pytest's exit status passes straight through, so "no tests collected" (5) fails the target.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# While iterating: everything but the browser, live-server and slow tests. CI runs `make test`.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not live and not slow" $(PYTEST_ARGS)

# mypy reads its targets and settings from pyproject.toml ([tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Every locale under versioning_app/locale/ gets the strings marked today (new ones with an empty
# msgstr, changed ones fuzzy; tests/test_i18n.py fails until they are translated), then all are
# compiled. Needs GNU gettext (apt-get install gettext).
messages: $(STAMP)
	cd versioning_app && $(abspath $(BIN))/django-admin makemessages --all --no-obsolete
	cd versioning_app && $(abspath $(BIN))/django-admin compilemessages

FORCE:

# Build artefacts and caches; keeps venvs and the demo database.
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache test-results benchmarks/results
	find . -path ./.venv\* -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Everything generated, including every venv and the demo database (make run reseeds it).
distclean: clean
	rm -rf .venv .venv-* db.sqlite3
