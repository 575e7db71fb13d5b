#!/usr/bin/env bash
# `make cluster-test`: Guichet as a cluster behind HAProxy, through a registration rush and
# five faults (scripts/cluster_test.py says what and how it is judged). Loopback only;
# installs Debian's haproxy, redis-server and postgresql when missing. Takes 10 to 20
# minutes on two shared cores; options go to the script: scripts/cluster-test.sh --families 300
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian's ${missing[*]}…"
  as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
exec timeout 1500 .venv/bin/python scripts/cluster_test.py "$@"
