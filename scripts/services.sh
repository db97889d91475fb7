#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 and Redis 7 on loopback for the tests (and for trying
# several instances locally). Prints the environment to use them:
#   eval "$(bash scripts/services.sh)"
# Needs: apt-get install -y postgresql redis-server
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql redis-server" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "Redis is not installed: apt-get install -y redis-server" >&2; exit 1; }
STATE=${HEARTH_SERVICES_DIR:-/tmp/hearth-services}
PG_PORT=${HEARTH_PG_PORT:-55432}
REDIS_PORT=${HEARTH_REDIS_PORT:-56379}
mkdir -p "$STATE"

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if [ ! -f "$STATE/pg/PG_VERSION" ]; then
  mkdir -p "$STATE/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres "$STATE/pg"
  as_pg "'$PG_BIN/initdb' -D '$STATE/pg' -U hearth --auth=trust -E UTF8 >/dev/null"
fi
if ! as_pg "'$PG_BIN/pg_isready' -h 127.0.0.1 -p $PG_PORT -q"; then
  as_pg "'$PG_BIN/pg_ctl' -D '$STATE/pg' -l '$STATE/pg/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$STATE/pg' -c fsync=off -c max_connections=300\" start >/dev/null"
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --dir "$STATE" --logfile "$STATE/redis.log" --pidfile "$STATE/redis.pid"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "export HEARTH_TEST_POSTGRES_URL=postgresql://hearth@127.0.0.1:$PG_PORT/postgres"
echo "export HEARTH_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
echo "export HEARTH_REDIS_SERVER_BIN=$(command -v redis-server)"
