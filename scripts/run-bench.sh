#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints its figures (see docs/benchmarks.md), or one
# benchmark with its options: scripts/run-bench.sh bench/bench_http_rush.py --families 200
#
# The benchmarks that matter most (the registration rush, in process and over HTTP) need
# PostgreSQL. When GUICHET_DATABASE_URL names no PostgreSQL server, a throwaway cluster is
# started in /tmp, as for `make test`, and each benchmark gets a database of its own there;
# it is stopped and removed at the end. With a PostgreSQL URL, every benchmark uses it.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/throwaway-postgres.sh  # start_throwaway_postgres, throwaway_postgres_url…

if [ $# -gt 0 ]; then
  benches=("$1")
  shift
else
  benches=(bench/bench_*.py)
fi

export GUICHET_DATA_DIR="${GUICHET_DATA_DIR:-$(mktemp -d /tmp/guichet-bench.XXXXXX)}"
throwaway=""
case "${GUICHET_DATABASE_URL:-}" in
  postgres://* | postgresql://* | pgsql://* | postgis://*) ;;
  *) start_throwaway_postgres; throwaway=1 ;;
esac

# Sizes that keep `make bench` to a few minutes; the issues' full sizes are one option or
# variable away (docs/benchmarks.md): --contacts 5000, BENCH_API_ROWS=100000.
export BENCH_API_ROWS="${BENCH_API_ROWS:-20000}"
# The back office's reports (bench_backoffice_reports.py): BENCH_FULL=1 for the issue's
# 100,000 dossiers, 1,000,000 registrations and 100,000 invoices exported.
if [ -n "${BENCH_FULL:-}" ]; then
  export BENCH_BO_DOSSIERS="${BENCH_BO_DOSSIERS:-100000}" BENCH_BO_REGISTRATIONS="${BENCH_BO_REGISTRATIONS:-1000000}" BENCH_BO_EXPORT_ROWS="${BENCH_BO_EXPORT_ROWS:-100000}"
else
  export BENCH_BO_DOSSIERS="${BENCH_BO_DOSSIERS:-10000}" BENCH_BO_REGISTRATIONS="${BENCH_BO_REGISTRATIONS:-100000}" BENCH_BO_EXPORT_ROWS="${BENCH_BO_EXPORT_ROWS:-20000}"
fi

# Every benchmark's output is kept so the whole-flow bench's targets (MET / NOT MET beside
# each figure) are printed again at the end, where they are read.
output="$GUICHET_DATA_DIR/bench-output.txt"
: >"$output"
export PYTHONUNBUFFERED=1  # through tee, lines as they come

for bench in "${benches[@]}"; do
  echo "== $bench"
  args=("$@")
  if [ ${#args[@]} -eq 0 ] && [ "$(basename "$bench")" = bench_organizations.py ]; then
    args=(--contacts "${BENCH_ORG_CONTACTS:-500}")
  fi
  if [ -n "$throwaway" ]; then
    name=$(basename "$bench" .py)
    create_throwaway_database "$name"
    GUICHET_DATABASE_URL=$(throwaway_postgres_url "$name") .venv/bin/python "$bench" "${args[@]}" \
      | tee -a "$output"
  else
    .venv/bin/python "$bench" "${args[@]}" | tee -a "$output"
  fi
done

if grep -q "^  target " "$output"; then
  echo "== targets of registration day (bench_http_flow.py; docs/benchmarks.md)"
  grep "^  target " "$output"
fi
