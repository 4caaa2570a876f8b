# Two commands set everything up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/ninja_clients
DEMO_EMAIL ?= demo@example.com
DEMO_PASSWORD ?= Demo-Pass1

.PHONY: install run test lint test-sqlite test-postgres bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	@token=$$($(BIN)/python manage.py create_company --company "Demo Company" \
		--email $(DEMO_EMAIL) --password $(DEMO_PASSWORD) | tail -n 1) && \
	echo "" && \
	echo "Demo company ready. Login $(DEMO_EMAIL) / $(DEMO_PASSWORD); API token:" && \
	echo "  $$token" && \
	echo "Try it:" && \
	echo "  curl -H \"X-API-TOKEN: $$token\" http://127.0.0.1:8000/api/v1/ping" && \
	echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null

# pytest exits 5 when it collects no test; that is a failure here too.
test-sqlite: install
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		url="$(PG_TEST_URL)"; fi; \
	if [ -z "$$url" ] || [[ "$$url" != postgres* ]]; then \
		echo "== Skipping the PostgreSQL run: set DATABASE_URL or start PostgreSQL on 127.0.0.1:5432 =="; \
	else \
		echo "== pytest on PostgreSQL ($${url%%@*}@...) =="; \
		DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS); \
	fi

test: lint test-sqlite test-postgres

# A longer schema fuzzing run than the one in `make test` (FUZZ_EXAMPLES per operation).
FUZZ_EXAMPLES ?= 200
fuzz: install
	env -u DATABASE_URL FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/reliability/test_fuzz.py $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
