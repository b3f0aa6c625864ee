#!/usr/bin/env bash
# W11: W10's load through two `release-ledger serve --postgres` processes on one PostgreSQL, beside
# a raw baseline in the same run: pgbench (a custom script) inserting the same rows into an
# identical event table, taking the same chain-head row lock, one event per transaction, with as
# many clients. Prints markdown rows. Goal: at least 0.5x the baseline.
#   tools/bench/serve-postgres.sh URL [--tiny]   (URL: a user that may create databases)
#   BENCH_CONFIGURATION=debug ...                measures the debug build (CI: proves it works)
# Two databases are made on that server, rl_w11_ledger and rl_w11_baseline, both by `init`
# (same tables, indexes and triggers), and dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: tools/bench/serve-postgres.sh URL [--tiny]}
seconds=10; clients=64
if [ "${2:-}" = "--tiny" ]; then seconds=1; clients=8; fi
configuration=${BENCH_CONFIGURATION:-release}
for product in release-ledger release-ledger-server release-ledger-postgres; do
  swift build -c "$configuration" --product "$product" >/dev/null
done
bin=$(swift build -c "$configuration" --show-bin-path)
work=$(mktemp -d)
server_pids=()
ledger_url="${url%/*}/rl_w11_ledger"
baseline_url="${url%/*}/rl_w11_baseline"
recreate() { psql -qX "$url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  psql -qX "$url" -c "DROP DATABASE IF EXISTS rl_w11_ledger" -c "DROP DATABASE IF EXISTS rl_w11_baseline" \
    >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
gcc -O2 -o "$work/ledger-load" tools/bench/ledger-load.c -lpthread
for database in rl_w11_ledger rl_w11_baseline; do
  recreate "$database"
  "$bin/release-ledger" init --postgres "${url%/*}/$database" >/dev/null
done

ports=()
for n in 1 2; do
  "$bin/release-ledger-server" serve --listen 127.0.0.1:0 --postgres "$ledger_url" --allow-anonymous \
    >"$work/out$n" 2>"$work/err$n" &
  server_pids+=($!)
  for _ in $(seq 1 100); do grep -q "listening on" "$work/out$n" 2>/dev/null && break; sleep 0.1; done
  served=$(sed -n 's/^listening on //p' "$work/out$n" | head -1)
  [ -n "$served" ] || { cat "$work/err$n" >&2; exit 1; }
  ports+=("${served##*:}")
done

# The ledger: clients alternate between the two servers; each append is durable before its answer.
result=$("$work/ledger-load" 127.0.0.1 "${ports[0]},${ports[1]}" "$clients" "$seconds")
ack=$(sed -n 's/.*ack_per_s=\([0-9]*\).*/\1/p' <<<"$result")
p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$result")
p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$result")

# The baseline's rows are the ledger's own: one of its events' columns, sizes and all, passed to
# pgbench as variables (parameters of its prepared statement, so JSON needs no quoting).
column() { psql -qXAt "$ledger_url" -c "SELECT $1 FROM events WHERE type = 'x-load' ORDER BY position DESC LIMIT 1"; }
# (No colon may follow a letter in the script: pgbench reads it as a variable.)
# The row lock first, as the ledger takes it; the table's trigger then checks and moves the head.
cat >"$work/baseline.sql" <<'SQL'
BEGIN;
INSERT INTO events (position, event_id, stream, version, type, type_version, sha, data, metadata, recorded_at,
                    previous_hash, hash, chain_version)
SELECT position + 1, 'baseline-' || (position + 1), 'baseline-' || (position + 1), 1, 'x-load', 1, :sha::text,
       :data::text, :metadata::text, clock_timestamp()::text,
       hash, encode(sha256(convert_to(hash || :data::text, 'UTF8')), 'hex'), 2
FROM chain_head WHERE id = 1 FOR UPDATE;
COMMIT;
SQL
pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$work/baseline.sql" \
  -D sha="$(column sha)" -D data="$(column data)" -D metadata="$(column metadata)" "$baseline_url" \
  >"$work/pgbench" 2>&1 || { cat "$work/pgbench" >&2; exit 1; }
tps=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$work/pgbench" | tail -1)
latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$work/pgbench")

echo "| W11 two servers on PostgreSQL: $clients clients, single-event durable appends, ${seconds} s | $ack ack/s, p50 $p50 ms, p99 $p99 ms | pgbench, same rows and head lock: $tps tx/s, latency average $latency ms | $(awk "BEGIN{printf \"%.2f\", $ack/$tps}")x (goal >= 0.5x) |"
# Nothing lost or forked: the chain of the ledger the servers wrote verifies.
"$bin/release-ledger" verify --postgres "$ledger_url" >/dev/null
