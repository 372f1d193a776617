# Developer entry points. `make demo` for the sandbox site, `make test`, `make lint`, `make docs`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Reinstall only when pyproject.toml changes, so `make test` stays cheap.
STAMP := $(VENV)/.installed
MANAGE := $(PY) sandbox/manage.py
# One pytest-xdist worker per CPU, each taking whole test files (module-scoped fixtures such as
# the ALMA test site are then built once), the longest files first (LONG_FILES in
# tests/conftest.py). Replaced by what you pass: one file in one process is
# `make test PYTEST_ARGS=tests/test_blocks.py`.
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder

# Idempotent: creates user admin/admin only if it doesn't exist yet.
define CREATE_ADMIN
from django.contrib.auth import get_user_model
User = get_user_model()
if not User.objects.filter(username="admin").exists():
    User.objects.create_superuser("admin", "admin@example.com", "admin")
endef
export CREATE_ADMIN

.PHONY: install demo test lint docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e ".[dev]"
	touch $@

install: $(STAMP)

# Sandbox defaults: SQLite in sandbox/db.sqlite3, eager Celery, database search.
# `make demo PORT=8001` serves on another port; every absolute URL follows it: alma_setup
# points the default Site at the address, ALMA_BASE_URL gives it to the settings
# (WAGTAILAPI_BASE_URL, WAGTAILADMIN_BASE_URL; see docs/absolute-urls.md).
PORT ?= 8000
demo: export ALMA_BASE_URL = http://127.0.0.1:$(PORT)
demo: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) alma_load_demo
	$(MANAGE) alma_setup --base-url $(ALMA_BASE_URL)
	$(MANAGE) shell -c "$$CREATE_ADMIN"
	@echo "Log in at $(ALMA_BASE_URL)/admin/ as admin / admin"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Without DATABASE_URL: in-memory SQLite, service-dependent tests skip.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The documentation site in site/, as CI builds it: any warning (a broken link, a page missing
# from the nav) fails. MkDocs 2 would not build it (mkdocs<2 in pyproject.toml): no banner.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

# Build and cache artefacts only; keeps the venvs and the sandbox database.
clean:
	rm -rf build dist site *.egg-info .pytest_cache .ruff_cache .coverage .coverage.* htmlcov
	find . -path ./.git -prune -o -path './.venv*' -prune -o -name __pycache__ -type d -exec rm -rf {} +
