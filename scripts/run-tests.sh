#!/usr/bin/env bash
# Runs the whole suite on PostgreSQL (a throwaway cluster unless
# GUICHET_TEST_DATABASE_URL names one), then the SQLite smoke tests of the demo path.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null
fi

if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "Installing Debian's poppler-utils (PDF tests read and render PDFs)…"
  as_root apt-get update -qq && as_root apt-get install -y -qq poppler-utils >/dev/null
fi

if [ -z "${GUICHET_TEST_DATABASE_URL:-}" ]; then
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ]; then
    echo "Installing Debian's postgresql for a throwaway test cluster…"
    as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  fi
  bindir=$(dirname "$initdb")
  pgdir=$(mktemp -d /tmp/guichet-pg.XXXXXX)
  run_pg() { "$@"; }
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$pgdir"
    run_pg() { runuser -u postgres -- "$@"; }
  fi
  port=$((40000 + RANDOM % 20000))
  run_pg "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  run_pg "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o \
    "-k $pgdir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  cleanup() { run_pg "$bindir/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
  trap cleanup EXIT
  socket=$(printf '%s' "$pgdir" | sed 's|/|%2F|g')
  export GUICHET_TEST_DATABASE_URL="postgresql://postgres@${socket}:${port}/guichet"
  echo "Throwaway PostgreSQL cluster in $pgdir (port $port)"
fi

export GUICHET_DATABASE_URL="$GUICHET_TEST_DATABASE_URL"
export GUICHET_DATA_DIR="${GUICHET_DATA_DIR:-$(mktemp -d /tmp/guichet-test-data.XXXXXX)}"
unset GUICHET_REDIS_URL GUICHET_EMAIL_URL

$PY manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations differ: run manage.py makemigrations." >&2; exit 1; }
.venv/bin/ruff check --quiet .

$PY -m pytest -m "not sqlite" "$@"

# The embedded default: the same smoke tests on SQLite.
GUICHET_DATABASE_URL="sqlite:///$GUICHET_DATA_DIR/smoke.sqlite3" $PY -m pytest -m sqlite -q "$@"
