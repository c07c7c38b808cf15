# trainer: `make run` serves the app on SQLite; `make test` runs the suite on SQLite and PostgreSQL.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export FLASK_APP := trainer
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PG_TEST_DB ?= trainer_test
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/$(PG_TEST_DB)
CATALOGS := $(patsubst %.po,%.mo,$(wildcard trainer/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test test-sqlite test-postgres check-migrations bench lint postgres chromium translations clean

$(BIN)/.installed-run: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed-run requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

trainer/translations/%/LC_MESSAGES/messages.mo: trainer/translations/%/LC_MESSAGES/messages.po $(BIN)/.installed-run
	$(BIN)/pybabel compile --use-fuzzy -d trainer/translations -l $* >/dev/null

translations: $(CATALOGS)

run: $(BIN)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask users demo-admin
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(BIN)/.installed-dev translations chromium postgres
	$(BIN)/ruff check trainer tests config.py scripts
	$(MAKE) --no-print-directory check-migrations
	@# Both databases at once (one pytest process each, on a 2-core machine about 40% sooner); each suite's
	@# output is printed whole when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: $(BIN)/.installed-dev translations
	@echo "== tests on SQLite =="
	TEST_DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(BIN)/.installed-dev translations postgres
	@echo "== tests on PostgreSQL ($(PG_TEST_URL)) =="
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# A clean database per run, for `flask db check` after upgrading from nothing, on both engines.
check-migrations: $(BIN)/.installed-run
	rm -f /tmp/trainer-check.db
	TRAINER_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/trainer-check.db $(BIN)/flask db upgrade >/dev/null
	TRAINER_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/trainer-check.db $(BIN)/flask db check

postgres:
	@scripts/ensure_postgres.sh "$(PG_ADMIN_URL)" "$(PG_TEST_DB)"

chromium:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade chromium >/dev/null; }

bench: $(BIN)/.installed-dev postgres
	@command -v wrk >/dev/null || { echo "Installing wrk (the check-in load generator)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade wrk >/dev/null; }
	scripts/bench/all.sh

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check trainer tests config.py scripts

clean:
	rm -rf $(VENV) .pytest_cache
