#!/usr/bin/env bash
# Builds in release mode and prints one markdown table: the ledger beside a C baseline written
# directly against the SQLite C API (tools/bench/baseline.c), same pragmas and payload sizes,
# in the same run. `--tiny` runs a small scale, only to prove the benchmark still works (CI).
#   tools/bench.sh [--tiny] [--only W1,W2] [--events N] [--work DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product release-ledger >/dev/null
# The recommended install links the Swift runtime statically: it starts twice as fast (README, W7).
swift build -c release --static-swift-stdlib --product release-ledger --scratch-path .build-static >/dev/null
# W7's floors, built the same way: one INSERT from a minimal Swift program, and an empty one.
swift build -c release --static-swift-stdlib --product bench-floor-append --scratch-path .build-static >/dev/null
swift build -c release --static-swift-stdlib --product bench-floor-empty --scratch-path .build-static >/dev/null
static_bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)
swift build -c release --product ledger-stress >/dev/null
swift build -c release --product release-ledger-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=${WORK:-/tmp/release-ledger-bench}
mkdir -p "$work"
gcc -O2 -o "$work/baseline" tools/bench/baseline.c -lsqlite3
"$bin/release-ledger-bench" run --baseline "$work/baseline" --cli "$static_bin/release-ledger" --cli-dynamic "$bin/release-ledger" --stress "$bin/ledger-stress" \
  --floor-append "$static_bin/bench-floor-append" --floor-empty "$static_bin/bench-floor-empty" --work "$work" "$@"
