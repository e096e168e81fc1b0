# Moulin: the two commands are `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
comma := ,
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(CURDIR)/var/tools/bin/uv
endif
PYTHON_VERSION := 3.13
# A Python 3.13 interpreter that really runs: on PATH, or installed by pyenv (whose shim may point elsewhere),
# or the system's. uv is given its path, so it never needs to download one.
PYTHON := $(shell for p in "$$(command -v python$(PYTHON_VERSION) 2>/dev/null)" \
	"$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$(PYTHON_VERSION)*/bin/python$(PYTHON_VERSION) \
	/usr/local/bin/python$(PYTHON_VERSION) /usr/bin/python$(PYTHON_VERSION); do \
	[ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != ($(subst .,$(comma),$(PYTHON_VERSION))))' 2>/dev/null \
	&& { echo "$$p"; break; }; done)
ifeq ($(PYTHON),)
PYTHON := $(PYTHON_VERSION)
endif
RUN := $(UV) run --frozen --python $(PYTHON)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DB := $(CURDIR)/var/moulin.sqlite3
CHROMIUM ?= $(or $(MOULIN_CHROMIUM),/usr/bin/chromium)
DEPLOY_CHECK_ENV := SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-deploy-check-only \
	ALLOWED_HOSTS=moulin.example DJANGO_SETTINGS_MODULE=config.settings.production

.PHONY: help install demo demo-data serve serve-prod loadtest soak test test-dates test-fast lint fmt check deploy-check messages browser vendor bench bench-growth clean openapi

help:
	@echo "make demo   - install, build a fresh demo network and serve it at http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (browser tests included)"
	@echo "make check  - lint, deploy checks, migrations and tests (what CI runs)"
	@echo "make bench  - measure page server times and the demo generator (see docs/performance.md)"
	@echo "make bench-growth - every page on the demo and on it grown tenfold, side by side (SQLite, PostgreSQL)"
	@echo "make serve-prod - gunicorn + task worker + scheduler with the production settings (docs/deployment.md)"
	@echo "make loadtest   - a bounded load test against make serve-prod on $(HOST):$(PORT)"
	@echo "make soak       - serve-prod and a 10-minute load test with the workers' memory sampled"

$(CURDIR)/var/tools/bin/uv:
	@echo "uv not found: installing it into var/tools"
	@mkdir -p var
	python3 -m venv var/tools
	var/tools/bin/pip install --quiet uv

install: $(if $(shell command -v uv 2>/dev/null),,$(CURDIR)/var/tools/bin/uv)
	@$(UV) sync --frozen --python $(PYTHON) --quiet
	@mkdir -p var

# Debian's chromium drives the end-to-end tests (Playwright's own browser download does not work offline),
# and gettext checks that the translation catalogs hold every string of the code.
# Set MOULIN_CHROMIUM=/path/to/chromium to use another build (the tests read the same variable).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing at $(CHROMIUM): run 'sudo apt-get install -y chromium' (or set MOULIN_CHROMIUM)"; \
			exit 1; \
		fi; \
	fi
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && ! ldconfig -p | grep -q libharfbuzz-subset; then \
		echo "Installing HarfBuzz-Subset (WeasyPrint embeds subsets of fonts in PDFs with it)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null; \
	fi
	@if ! command -v xgettext >/dev/null; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing gettext (the translation catalogs are checked against the code)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else \
			echo "gettext is missing: run 'sudo apt-get install -y gettext'"; exit 1; \
		fi; \
	fi

# Without DATABASE_URL the demo SQLite file is rebuilt every time. A DATABASE_URL database is never emptied here:
# point it at an empty database (dropdb/createdb to rebuild). collectstatic runs alongside migrate and load_demo.
demo-data: install
	@if [ -z "$$DATABASE_URL" ]; then rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm; fi
	@$(RUN) python manage.py collectstatic --no-input -v 0 & static=$$!; \
	if ! { $(RUN) python manage.py migrate --no-input -v 0 && $(RUN) python manage.py load_demo; }; then \
		if [ -n "$$DATABASE_URL" ]; then echo "make demo needs an empty database: drop and create it again."; fi; \
		kill $$static 2>/dev/null; exit 1; \
	fi; \
	wait $$static

demo: demo-data
	@echo ""
	@echo "Moulin is served at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@echo "Log in as admin@moulin.demo (or any login above), password moulin-demo"
	@DEBUG=false ALLOWED_HOSTS=$(HOST),localhost $(RUN) python manage.py runserver --noreload --insecure $(HOST):$(PORT)

serve: install
	@$(RUN) python manage.py runserver $(HOST):$(PORT)

# Production layout on one machine (docs/deployment.md): gunicorn, the task worker and the scheduler, with the
# production settings, SQLite in var/ (or DATABASE_URL) and a SECRET_KEY generated once into var/secret_key.
# Plain HTTP on $(HOST): no HTTPS redirect, no secure-only cookies (put a TLS proxy in front for real use).
# The database is migrated, never emptied: `make demo-data serve-prod` serves the demo network.
PROD_ENV := DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY_FILE=$(CURDIR)/var/secret_key \
	ALLOWED_HOSTS=$(HOST),localhost SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend} HOST=$(HOST) PORT=$(PORT)
serve-prod: install
	@mkdir -p var
	@if [ ! -s var/secret_key ]; then umask 077; $(RUN) python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key; \
		echo "Generated var/secret_key"; fi
	@$(PROD_ENV) $(RUN) python manage.py migrate --no-input -v 0
	@$(PROD_ENV) $(RUN) python manage.py collectstatic --no-input -v 0
	@echo "Moulin (production settings) at http://$(HOST):$(PORT)  health: http://$(HOST):$(PORT)/health/  (Ctrl+C stops all three)"
	@export $(PROD_ENV); trap 'kill $$worker $$schedules $$web 2>/dev/null; wait' EXIT INT TERM; \
	if [ "$$TASKS_BACKEND" = rq ]; then $(RUN) python manage.py rqworker --job-class django_tasks_rq.Job default & worker=$$!; \
	else $(RUN) python manage.py db_worker --no-reload -v 0 & worker=$$!; fi; \
	$(RUN) python manage.py run_schedules & schedules=$$!; \
	$(RUN) gunicorn -c deploy/gunicorn.conf.py & web=$$!; \
	wait $$web

# A bounded load test against `make serve-prod` on $(HOST):$(PORT) (bench/loadtest.py; figures in docs/performance.md).
LOADTEST_ARGS ?=
loadtest: install
	@$(RUN) python bench/loadtest.py --base http://$(HOST):$(PORT) $(LOADTEST_ARGS)

# The 10-minute soak: serve-prod on $(HOST):$(PORT) with the workers never recycled (GUNICORN_MAX_REQUESTS=0, so a
# leak would show), the read mix of every role plus form posts, the workers' memory sampled every 10 s. Serves the
# database as it is (`make demo-data` first, or DATABASE_URL). SOAK_SECONDS shortens it.
SOAK_SECONDS ?= 600
soak: install
	@mkdir -p var; rm -f var/gunicorn-soak.pid
	@MOULIN_REQUIRE_2FA=$${MOULIN_REQUIRE_2FA:-false} GUNICORN_MAX_REQUESTS=0 GUNICORN_PIDFILE=$(CURDIR)/var/gunicorn-soak.pid REQUEST_LOG=false \
		setsid $(MAKE) --no-print-directory serve-prod > var/soak-server.log 2>&1 & server=$$!; \
	trap 'kill -TERM -- -$$server 2>/dev/null; wait' EXIT INT TERM; \
	for i in $$(seq 120); do curl -sf -o /dev/null http://$(HOST):$(PORT)/health/ && [ -s var/gunicorn-soak.pid ] && break; sleep 1; done; \
	$(RUN) python bench/loadtest.py --base http://$(HOST):$(PORT) --duration $(SOAK_SECONDS) --requests 100000000 \
		--pidfile var/gunicorn-soak.pid $(LOADTEST_ARGS)

# The suite without the browser in PYTEST_WORKERS processes (pytest-xdist, each with its own test database and
# demo network), then the browser tests in one (they share a live server); PYTEST_WORKERS=0: all in one process.
PYTEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS))
test: install browser
	@$(RUN) python manage.py makemigrations --check --dry-run -v 0 || (echo "Missing migrations: run makemigrations"; exit 1)
	@$(RUN) pytest -m "not browser" $(XDIST) $(PYTEST_ARGS)
	@$(RUN) pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: PYTEST_ARGS chose no browser test

# The non-browser suite on other days: the test clock (MOULIN_TEST_TODAY, see tests/conftest.py) on a 31 December,
# a 1 January and a 29 February, each with its own demo network built for that day.
TEST_DATES ?= 2027-12-31 2028-01-01 2028-02-29
test-dates: install
	@for day in $(TEST_DATES); do echo "== the suite on $$day"; \
		MOULIN_TEST_TODAY=$$day $(RUN) pytest -m "not browser" -q $(XDIST) $(PYTEST_ARGS) || exit 1; done

test-fast: install
	@$(RUN) pytest -m "not browser" $(XDIST) $(PYTEST_ARGS)

lint: install
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@$(RUN) lint-imports

fmt: install
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

check: lint deploy-check test

deploy-check: install
	@$(DEPLOY_CHECK_ENV) $(RUN) python manage.py check --deploy --fail-level WARNING

messages: install
	@$(RUN) python manage.py makemessages -l fr -l de --no-obsolete --no-location -i ".venv/*" -i "var/*"
	@$(RUN) python manage.py makemessages -d djangojs -l fr -l de --no-obsolete --no-location -i ".venv/*" -i "var/*" -i "moulin/static/vendor/*"
	@$(RUN) python manage.py compilemessages -v 0

# The page benchmark on SQLite, then on PostgreSQL when one answers on 127.0.0.1:5432 (a throwaway database,
# dropped after); results in var/bench-*.md. BENCH_ARGS="--growth 10" adds the growth check.
BENCH_ARGS ?=
bench: install
	@mkdir -p var
	@$(RUN) python bench/run.py $(BENCH_ARGS) | tee var/bench-sqlite.md
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(RUN) python bench/run.py --database postgres $(BENCH_ARGS) | tee var/bench-postgres.md; \
	else echo "(no PostgreSQL on 127.0.0.1:5432: SQLite only)"; fi

# Every page on the demo network and on a copy grown GROWTH times, request by request in turn (two throwaway
# databases, dropped after): SQLite, then PostgreSQL when one answers; results in var/growth-*.md.
GROWTH ?= 10
bench-growth: install
	@mkdir -p var
	@$(RUN) python bench/side_by_side.py --grow $(GROWTH) $(BENCH_ARGS) | tee var/growth-sqlite.md
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(RUN) python bench/side_by_side.py --grow $(GROWTH) --database postgres $(BENCH_ARGS) | tee var/growth-postgres.md; \
	else echo "(no PostgreSQL on 127.0.0.1:5432: SQLite only)"; fi

vendor:
	@bash scripts/vendor.sh

clean:
	rm -rf var/moulin.sqlite3* var/static var/test-media var/test-artifacts

openapi: install
	@$(RUN) python -c "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.base'); django.setup(); from config.api import api; open('docs/openapi.json', 'w').write(json.dumps(api.get_openapi_schema(path_prefix='/api/v1'), indent=2, sort_keys=True) + '\n')"
	@echo "docs/openapi.json regenerated"
