#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's `postgresql` package.
#
#   eval "$(tools/postgres/cluster.sh start)"   # prints export lines: the URL, the data folder
#   tools/postgres/cluster.sh restart           # pg_ctl restart -m fast (the fault tests run this)
#   tools/postgres/cluster.sh stop              # stops it and removes its folder
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 only (a free port) and on a socket in
# that folder, and runs as an unprivileged user: PostgreSQL refuses to run as root, and CI runs as
# root, so as root it runs as the `postgres` user Debian's package creates. Authentication is
# `trust` for loopback: nothing but this machine can reach it, and it is deleted on stop.
# start also accepts a folder (`start DIR`); restart and stop read RELEASE_LEDGER_TEST_PGDATA.
set -euo pipefail

bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] || { echo "cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 69; }
  echo "$found"
}

# Runs a command as the cluster's user: itself when not root, `postgres` when root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin root port
  bin=$(bin_dir)
  root=${1:-$(mktemp -d /tmp/release-ledger-pg.XXXXXX)}
  mkdir -p "$root"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "cluster.sh: no 'postgres' user to run the cluster as" >&2; exit 69; }
    chown postgres: "$root"
  fi
  chmod 700 "$root"
  as_owner "$bin/initdb" -D "$root/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 ||
    { cat "$root/initdb.log" >&2; exit 1; }
  port=$(free_port)
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$root'"
    # Tests make a database each and run in parallel; the several-servers tests add pools.
    echo "max_connections = 300"
    echo "fsync = on"
    echo "synchronous_commit = on"
  } >>"$root/data/postgresql.conf"
  as_owner "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start >/dev/null ||
    { cat "$root/server.log" >&2; exit 1; }
  echo "export RELEASE_LEDGER_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/postgres'"
  echo "export RELEASE_LEDGER_TEST_PGDATA='$root/data'"
}

restart() {
  local data=${RELEASE_LEDGER_TEST_PGDATA:?set by cluster.sh start}
  as_owner "$(bin_dir)/pg_ctl" -D "$data" -l "$(dirname "$data")/server.log" -w -t 60 -m fast restart >/dev/null
}

stop() {
  local data=${RELEASE_LEDGER_TEST_PGDATA:-}
  [ -n "$data" ] && [ -d "$data" ] || return 0
  as_owner "$(bin_dir)/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
  rm -rf "$(dirname "$data")"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  restart) restart ;;
  stop) stop ;;
  *) echo "usage: $0 start [DIR] | restart | stop" >&2; exit 64 ;;
esac
