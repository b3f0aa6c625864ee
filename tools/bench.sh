#!/usr/bin/env bash
# Builds in release mode and prints one markdown table: the ledger beside a C baseline written
# directly against the SQLite C API (tools/bench/baseline.c), same pragmas and payload sizes,
# in the same run. `--tiny` runs a small scale, only to prove the benchmark still works (CI).
#   tools/bench.sh [--tiny] [--only W1,W2] [--events N] [--work DIR] [--postgres URL]
# With --postgres URL (a user that may create databases) the PostgreSQL rows follow: W12 from a
# separate executable built only then (without it, nothing here builds postgres-nio), and W11
# (tools/bench/serve-postgres.sh: two servers and pgbench) unless --tiny.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres_url=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) postgres_url=$2; shift 2 ;;
    --postgres=*) postgres_url=${1#--postgres=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
swift build -c release --product release-ledger >/dev/null
# The recommended install links the Swift runtime statically: it starts twice as fast (README, W7).
static=(-c release --static-swift-stdlib -Xlinker --no-export-dynamic --scratch-path .build-static)
swift build "${static[@]}" --product release-ledger >/dev/null
# W7's floors, built the same way: one INSERT from a minimal Swift program, and an empty one.
swift build "${static[@]}" --product bench-floor-append >/dev/null
swift build "${static[@]}" --product bench-floor-empty >/dev/null
static_bin=$(swift build "${static[@]}" --show-bin-path)
swift build -c release --product ledger-stress >/dev/null
swift build -c release --product release-ledger-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=${WORK:-/tmp/release-ledger-bench}
mkdir -p "$work"
gcc -O2 -o "$work/baseline" tools/bench/baseline.c -lsqlite3
"$bin/release-ledger-bench" run --baseline "$work/baseline" --cli "$static_bin/release-ledger" --cli-dynamic "$bin/release-ledger" --stress "$bin/ledger-stress" \
  --floor-append "$static_bin/bench-floor-append" --floor-empty "$static_bin/bench-floor-empty" --work "$work" "$@"
# W9 and W10 (a release build of the server, then a server on loopback) are rows of the same run;
# --tiny (what CI runs) leaves them out: building Hummingbird in release takes minutes on 2 cores.
all=" $* "
if [[ "$all" != *" --tiny "* ]] && { [[ "$all" != *"--only"* ]] || [[ "$all" == *W9* || "$all" == *W10* ]]; }; then
  tools/bench/serve.sh | grep '^| W'
fi
if [ -n "$postgres_url" ]; then
  # W12 reads the ledgers the run above generated (small-10000 and big-N, or the --tiny sizes).
  swift build -c release --product release-ledger-bench-postgres >/dev/null
  small=$(ls -t "$work"/small-*.sqlite | head -1)
  big=$(ls -t "$work"/big-*.sqlite | grep -v baseline | head -1)
  "$bin/release-ledger-bench-postgres" w12 --postgres "$postgres_url" --small "$small" --big "$big"
  if [[ "$all" != *" --tiny "* ]] && { [[ "$all" != *"--only"* ]] || [[ "$all" == *W11* ]]; }; then
    tools/bench/serve-postgres.sh "$postgres_url" | grep '^| W'
  fi
fi
