# SZJ — the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
DEV_SETTINGS  := config.settings.dev
TEST_SETTINGS := config.settings.test

.PHONY: run test bench lint translations messages clean help

help:
	@echo "make run   - set up and serve the app on http://127.0.0.1:8000 (SQLite, demo data)"
	@echo "make test  - set up and run the whole test suite on PostgreSQL and Redis"
	@echo "make bench - seed ten years at N=1 and N=10 on PostgreSQL and measure against the budgets"

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

translations:
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is needed: apt-get install gettext"; exit 1; }
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py compilemessages --ignore=.venv -v 0

# Refresh the .po files after changing translatable strings (then translate the new entries).
messages: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py makemessages -l pl -l en --no-wrap --no-location --ignore=.venv --ignore=staticfiles --ignore=tests
	# English is the source language: its catalogue repeats each msgid.
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

run: $(VENV)/.installed translations
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -r config qms processes audits nonconformities reviews demo -x '*/migrations/*'
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py makemigrations --check --dry-run -v 0

# The browser tests' tooling (axe-core, the Nu Html Checker): reinstalled when the lock changes.
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; the machine's java is used.
node_modules: package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests: apt-get install npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.installed-dev translations lint node_modules
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(VENV)/bin/pytest $(PYTEST_ARGS)

# The benchmark (bench/README.md): databases szj_bench_* on the PostgreSQL at 127.0.0.1:5432
# (BENCH_DATABASE_URL overrides), seeded once and reused; writes BENCHMARKS.md and bench/results/.
bench: $(VENV)/.installed translations
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .test-media .bench-media db.sqlite3 .pytest_cache node_modules test-artifacts
