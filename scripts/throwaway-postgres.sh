# Sourced by scripts/run-tests.sh and scripts/run-bench.sh (not run on its own): a
# throwaway PostgreSQL cluster in /tmp for a newcomer's machine, where no server is given.
#
#   start_throwaway_postgres          initdb + start (installs Debian's postgresql if
#                                     needed); stopped and removed when the script exits
#   throwaway_postgres_url NAME       the URL of database NAME on it (a Unix socket)
#   create_throwaway_database NAME    creates database NAME on it
#
# The cluster listens on a socket only, trusts its local users, and trades durability for
# speed (fsync off): it holds nothing worth keeping.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

start_throwaway_postgres() {
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ]; then
    echo "Installing Debian's postgresql for a throwaway cluster…"
    as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  fi
  THROWAWAY_PG_BIN=$(dirname "$initdb")
  THROWAWAY_PG_DIR=$(mktemp -d /tmp/guichet-pg.XXXXXX)
  THROWAWAY_PG_PORT=$((40000 + RANDOM % 20000))
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
    chown postgres: "$THROWAWAY_PG_DIR"
    run_pg() { runuser -u postgres -- "$@"; }
  else
    run_pg() { "$@"; }
  fi
  run_pg "$THROWAWAY_PG_BIN/initdb" -D "$THROWAWAY_PG_DIR/data" -U postgres -A trust -E UTF8 \
    --no-sync >/dev/null
  run_pg "$THROWAWAY_PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -l "$THROWAWAY_PG_DIR/log" -w -o \
    "-k $THROWAWAY_PG_DIR -p $THROWAWAY_PG_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  trap stop_throwaway_postgres EXIT
  echo "Throwaway PostgreSQL cluster in $THROWAWAY_PG_DIR (port $THROWAWAY_PG_PORT)"
}

stop_throwaway_postgres() {
  run_pg "$THROWAWAY_PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -m immediate stop >/dev/null 2>&1 \
    || true
  rm -rf "$THROWAWAY_PG_DIR"
}

throwaway_postgres_url() {
  local socket
  socket=$(printf '%s' "$THROWAWAY_PG_DIR" | sed 's|/|%2F|g')
  printf 'postgresql://postgres@%s:%s/%s' "$socket" "$THROWAWAY_PG_PORT" "$1"
}

create_throwaway_database() {
  run_pg "$THROWAWAY_PG_BIN/createdb" -h "$THROWAWAY_PG_DIR" -p "$THROWAWAY_PG_PORT" \
    -U postgres "$1"
}
