#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints its figures (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export GUICHET_DATA_DIR="${GUICHET_DATA_DIR:-$(mktemp -d /tmp/guichet-bench.XXXXXX)}"
for bench in bench/bench_*.py; do
  echo "== $bench"
  .venv/bin/python "$bench"
done
