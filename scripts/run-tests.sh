#!/usr/bin/env bash
# Runs the whole suite on PostgreSQL (a throwaway cluster unless
# GUICHET_TEST_DATABASE_URL names one), then the SQLite smoke tests of the demo path.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

source scripts/throwaway-postgres.sh  # as_root, start_throwaway_postgres

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null
fi

if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "Installing Debian's poppler-utils (PDF tests read and render PDFs)…"
  as_root apt-get update -qq && as_root apt-get install -y -qq poppler-utils >/dev/null
fi

if [ -z "${GUICHET_TEST_DATABASE_URL:-}" ]; then
  start_throwaway_postgres
  create_throwaway_database guichet  # makemigrations --check reads its migration history
  GUICHET_TEST_DATABASE_URL=$(throwaway_postgres_url guichet)
  export GUICHET_TEST_DATABASE_URL
fi

export GUICHET_DATABASE_URL="$GUICHET_TEST_DATABASE_URL"
export GUICHET_DATA_DIR="${GUICHET_DATA_DIR:-$(mktemp -d /tmp/guichet-test-data.XXXXXX)}"
unset GUICHET_REDIS_URL GUICHET_EMAIL_URL

$PY manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations differ: run manage.py makemigrations." >&2; exit 1; }
.venv/bin/ruff check --quiet .
# The layers and « no app imports another app's views », as pyproject.toml's
# [tool.importlinter] draws them (docs/architecture.md, « Layers »).
.venv/bin/lint-imports --no-cache --no-logo
# Types: mypy with django-stubs, strict on services, the permissions API and core
# (pyproject.toml's [tool.mypy]; docs/architecture.md, « Types »).
.venv/bin/mypy

# pytest exits 5 when the arguments select no test of a run (`make test` with one folder).
none_is_fine() { "$@" || [ $? -eq 5 ]; }

# Everything but the browser in parallel, one worker per core (at most 4; or
# GUICHET_TEST_WORKERS): pytest-xdist, each worker on its own test database
# (test_guichet_gw0, …) made by pytest-django.
WORKERS=${GUICHET_TEST_WORKERS:-$(nproc)}
[ "$WORKERS" -le 4 ] || WORKERS=4
none_is_fine $PY -m pytest -m "not sqlite and not e2e" -n "$WORKERS" "$@"

# Then the browser tests (marked e2e; tests/conftest.py marks every test that uses the
# browser) in one process with one Chromium.
none_is_fine $PY -m pytest -m "e2e and not sqlite" "$@"

# The embedded default: the same smoke tests on SQLite.
GUICHET_DATABASE_URL="sqlite:///$GUICHET_DATA_DIR/smoke.sqlite3" \
  none_is_fine $PY -m pytest -m sqlite -q "$@"
