# Two commands set everything up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# One stamp per content of the requirement files: editing either re-installs.
RUNTIME_STAMP := $(VENV)/.installed-runtime-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/ninja_clients
DEMO_EMAIL ?= demo@example.com
DEMO_PASSWORD ?= Demo-Pass1
DEMO_COMPANY ?= Demo Company
DEMO_TOKEN_NAME ?= make run demo
PORT ?= 8000
# Many shells export HOST as the machine's name: only the command line sets it here.
ifneq ($(origin HOST),command line)
HOST := 127.0.0.1
endif
# The address the printed curl line uses: a wildcard bind is reachable on loopback.
CURL_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))
MANAGE := $(BIN)/python manage.py

.PHONY: install install-dev run test lint test-sqlite test-postgres bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-runtime-*
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*
	touch $(DEV_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

run: install
	$(MANAGE) migrate --no-input
	@token=$$($(MANAGE) create_company --company "$(DEMO_COMPANY)" \
		--email $(DEMO_EMAIL) --password $(DEMO_PASSWORD) \
		--token-name "$(DEMO_TOKEN_NAME)" --revoke-previous | tail -n 1) && \
	echo "" && \
	echo "Demo company ready. Login $(DEMO_EMAIL) / $(DEMO_PASSWORD); API token:" && \
	echo "  $$token" && \
	echo "Try it:" && \
	echo "  curl -H \"X-API-TOKEN: $$token\" http://$(CURL_HOST):$(PORT)/api/v1/ping" && \
	echo "Each make run revokes the previous demo token. More tokens, and the list of them:" && \
	echo "  $(MANAGE) create_token --email $(DEMO_EMAIL) --company \"$(DEMO_COMPANY)\"" && \
	echo "  $(MANAGE) list_tokens" && \
	echo "API docs: http://$(CURL_HOST):$(PORT)/api/docs" && \
	$(if $(filter-out 127.0.0.1 localhost,$(HOST)),echo "Other machines must call it by a name listed in ALLOWED_HOSTS (README, Configuration)." && )\
	echo "A webhooks worker runs beside the server (README, Running webhook workers)." && \
	echo ""
# The worker starts first and stops with the server, however the server ends.
	@$(MANAGE) webhooks_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null

# pytest exits 5 when it collects no test; that is a failure here too.
# `ENV_FILE=`: the test runs don't read `.env`, so they test what they say.
test-sqlite: install-dev
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL ENV_FILE= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-dev
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		url="$(PG_TEST_URL)"; fi; \
	if [ -z "$$url" ] || [[ "$$url" != postgres* ]]; then \
		echo "== Skipping the PostgreSQL run: set DATABASE_URL or start PostgreSQL on 127.0.0.1:5432 =="; \
	else \
		echo "== pytest on PostgreSQL ($${url%%@*}@...) =="; \
		ENV_FILE= DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS); \
	fi

test: lint test-sqlite test-postgres

# Longer schema fuzzing runs than the ones in `make test`: in-process through the
# WSGI handler (FUZZ_EXAMPLES per operation), and schemathesis' CLI against live
# gunicorn servers with every phase, the coverage phase over every operation and
# FUZZ_LIVE_EXAMPLES per operation (FUZZ_LIVE_TIMEOUT seconds at most per run).
FUZZ_EXAMPLES ?= 200
FUZZ_LIVE_EXAMPLES ?= 100
FUZZ_LIVE_TIMEOUT ?= 3600
fuzz: install-dev
	env -u DATABASE_URL ENV_FILE= FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		FUZZ_LIVE_EXAMPLES=$(FUZZ_LIVE_EXAMPLES) FUZZ_LIVE_FULL_COVERAGE=1 \
		FUZZ_LIVE_TIMEOUT=$(FUZZ_LIVE_TIMEOUT) \
		$(BIN)/pytest tests/reliability/test_fuzz.py tests/reliability/test_fuzz_live.py \
		$(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
