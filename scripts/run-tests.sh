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

$PY -m pytest -m "not sqlite" "$@"

# The embedded default: the same smoke tests on SQLite.
GUICHET_DATABASE_URL="sqlite:///$GUICHET_DATA_DIR/smoke.sqlite3" $PY -m pytest -m sqlite -q "$@"
