# Two commands: `make run` and `make test`. Each does all its own set-up on a fresh machine.
SHELL := /bin/bash
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export DJANGO_SETTINGS_MODULE := safermk.settings

.PHONY: run dev test test-fast lint format bench bench-web load load-publication-day nginx setup system-deps browser-deps frontend venv migrate demo clean

run: setup migrate demo
	@echo ""
	@echo "  Serving http://127.0.0.1:$${PORT:-8000} with a Celery worker (filesystem broker)."
	@echo "  Demo users: analyst, chair, police, fire. Password: $${DEMO_PASSWORD:-safermk-demo}"
	@echo ""
	$(VENV)/bin/honcho -f Procfile.dev start -p $${PORT:-8000}

# `make run` with Django's debug pages (tracebacks, URL lists) instead of the site's own.
dev:
	DJANGO_DEBUG=True $(MAKE) run

# On every core (pytest-xdist); tests of one xdist_group share a process (docs/testing.md).
PARALLEL ?= -n auto --dist loadgroup

test: setup browser-deps lint
	$(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

# The suite without the browser, Celery-worker and slow tests: a minute or two while working.
test-fast: setup lint
	$(PY) -m pytest $(PARALLEL) -m "not browser and not worker and not slow" $(PYTEST_ARGS)

# ruff, and the import layers of the feature packages (docs/architecture.md).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

setup: system-deps venv frontend

# WeasyPrint needs Pango; Liberation fonts give the PDF metric-compatible Arial and Times.
system-deps:
	@if ! fc-list 2>/dev/null | grep -qi "Liberation Sans" || ! ldconfig -p | grep -q libpango-1.0; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	fi

# Playwright cannot download its own browser here: the tests drive Debian's Chromium.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

venv: $(VENV)/.synced

$(VENV)/.synced: requirements.lock
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	touch $@

# The lock file is made from pyproject.toml; run after changing dependencies.
requirements.lock: pyproject.toml
	$(VENV)/bin/uv pip compile -q pyproject.toml --group dev --python-version 3.11 -o $@

frontend: static/dist/.built

static/dist/.built: package-lock.json build-frontend.mjs $(wildcard static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

migrate: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

demo: venv
	$(PY) manage.py load_demo

bench: setup migrate
	$(PY) -m benchmarks

# Requests per second against gunicorn as in Procfile, measured with ApacheBench
# (loadtest/web_bench.py): the public chapter page against a static file and a signed-in page.
bench-web: setup
	@command -v ab >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq apache2-utils >/dev/null)
	$(PY) -m loadtest.web_bench

# 50 users for 2 minutes against nginx (TLS) + gunicorn + PostgreSQL + Redis on 127.0.0.1
# (loadtest/__main__.py). nginx runs as a child process with its own configuration under var/load.
load: setup nginx
	$(PY) -m loadtest

# Publication day: 200 residents read the published report while 20 partners work.
load-publication-day: setup nginx
	LOAD_READERS=200 LOAD_USERS=20 $(PY) -m loadtest

nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null)

clean:
	rm -rf $(VENV) node_modules static/dist var
