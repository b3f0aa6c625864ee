#!/usr/bin/env bash
# W9 and W10: `release-ledger serve` (release build) on loopback, in one run. Prints markdown rows.
#   W9  remote CI step: a whole `release-ledger append` process appending one event through the
#       server, against `curl` posting the same event to the same server (goal: at most 2x curl).
#       The client as the README installs it (static Swift runtime), and the plain dynamic build.
#   W10 server throughput: 64 clients (tools/bench/ledger-load.c, one thread and one keep-alive
#       connection each) appending single events, every one durable before its answer
#       (goal: 10,000 acknowledged events/s, p99 under 100 ms, on 2 cores).
#   tools/bench/serve.sh [--tiny]        (BENCH_CONFIGURATION=debug measures the debug build)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=200; seconds=10; clients=64
if [ "${1:-}" = "--tiny" ]; then runs=5; seconds=1; clients=8; fi
configuration=${BENCH_CONFIGURATION:-release}
swift build -c "$configuration" --product release-ledger-server >/dev/null
swift build -c "$configuration" --product release-ledger >/dev/null
bin=$(swift build -c "$configuration" --show-bin-path)
static_arguments=(-c "$configuration" --static-swift-stdlib -Xlinker --no-export-dynamic --scratch-path .build-static)
swift build "${static_arguments[@]}" --product release-ledger >/dev/null
static_bin=$(swift build "${static_arguments[@]}" --show-bin-path)
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
gcc -O2 -o "$work/ledger-load" tools/bench/ledger-load.c -lpthread

token_arguments=(--allow-anonymous)
"$bin/release-ledger-server" serve --listen 127.0.0.1:0 --db "$work/ledger.sqlite" "${token_arguments[@]}" >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/out" | head -1)
port=${url##*:}
sha=$(printf 'w9' | sha1sum | cut -c1-40)

now_ns() { date +%s%N; }
milliseconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
# W9: the same event (a note, its own id each time) through the client and through curl.
client_microseconds() {
  local start i
  start=$(now_ns)
  for i in $(seq 1 "$runs"); do
    RELEASE_LEDGER_URL=$url "$1" append --type x-w9 --sha "$sha" --data '{"n":1}' --id "$2-$i" >/dev/null
  done
  echo $(( ($(now_ns) - start) / runs / 1000 ))
}
static_us=$(client_microseconds "$static_bin/release-ledger" static)
dynamic_us=$(client_microseconds "$bin/release-ledger" dynamic)
start=$(now_ns)
for i in $(seq 1 "$runs"); do
  curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"type\":\"x-w9\",\"sha\":\"$sha\",\"id\":\"curl-$i\",\"data\":{\"n\":1}}" "$url/v1/events"
done
curl_us=$(( ($(now_ns) - start) / runs / 1000 ))
ratio() { awk "BEGIN{printf \"%.2f\", $1/$curl_us}"; }
echo "| W9 remote CI step: one append through the server, whole process (static; dynamic) | $(milliseconds "$static_us") ms; $(milliseconds "$dynamic_us") ms | curl: $(milliseconds "$curl_us") ms | $(ratio "$static_us")x; $(ratio "$dynamic_us")x curl (goal <= 2x) |"

# W10: many clients at once; group commit shares one fsync among the appends that arrive together.
result=$("$work/ledger-load" 127.0.0.1 "$port" "$clients" "$seconds")
ack=$(sed -n 's/.*ack_per_s=\([0-9]*\).*/\1/p' <<<"$result")
p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$result")
p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$result")
echo "| W10 server throughput: $clients clients, single-event durable appends, ${seconds} s | $ack ack/s | p50 $p50 ms, p99 $p99 ms | goal >= 10,000 ack/s, p99 < 100 ms |"
# The events are all there, and the chain verifies.
"$bin/release-ledger" verify --db "$work/ledger.sqlite" >/dev/null
