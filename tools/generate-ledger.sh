#!/usr/bin/env bash
# Generates a large realistic ledger through the real append path: thousands of candidates with
# mixed scopes, acceptance NOs, failed smokes, replays and rollbacks.
#   tools/generate-ledger.sh PATH [EVENTS]      (default 1,000,000 events)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: tools/generate-ledger.sh PATH [EVENTS]" >&2; exit 64; }
swift build -c release --product release-ledger-bench >/dev/null
"$(swift build -c release --show-bin-path)/release-ledger-bench" generate --db "$1" --events "${2:-1000000}"
