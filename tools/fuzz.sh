#!/usr/bin/env bash
# Builds the fuzz target (tools/fuzz/FuzzTarget.swift, libFuzzer + AddressSanitizer) and runs it
# for SECONDS (default 60) over argument vectors and the JSON parser. Exits non-zero on a crash,
# leaving the input that caused it in .build/fuzz/crash-*.
#
#   tools/fuzz.sh            # 60 seconds
#   tools/fuzz.sh 600        # longer
#   .build/fuzz/release-ledger-fuzz .build/fuzz/crash-<hash>   # replay one finding
#   (set RELEASE_LEDGER_FUZZ_ONLY=json or =arguments as the pass that found it did)
#
# Our six modules are compiled again with coverage instrumentation; ArgumentParser and
# swift-crypto are linked from the normal debug build, uninstrumented, so the fuzz build adds
# about a minute rather than rebuilding every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

swift build --product release-ledger >/dev/null
bin=$(swift build --show-bin-path)
out=.build/fuzz
mkdir -p "$out/corpus"

clang_modules=(-Xcc -fmodule-map-file="$PWD/Sources/CSQLite/module.modulemap")
# CLibcurl (the client's dlopen shim) is a C target: its module map is generated beside its object.
clang_modules+=(-Xcc -fmodule-map-file="$bin/CLibcurl.build/module.modulemap" -Xcc -I -Xcc "$PWD/Sources/CLibcurl/include")
for include in .build/checkouts/swift-crypto/Sources/*/include; do
  if [ -f "$include/module.modulemap" ]; then
    clang_modules+=(-Xcc -fmodule-map-file="$PWD/$include/module.modulemap" -Xcc -I -Xcc "$PWD/$include")
  fi
done
flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name releaseledger -O -g -I "$out" -I "$bin/Modules" "${clang_modules[@]}")

module() {  # module NAME SOURCES...
  local name=$1
  shift
  swiftc "${flags[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" -c "$@" -o "$out/$name.o"
}
module SecretScanning Sources/SecretScanning/*.swift
module LedgerJSON Sources/LedgerJSON/*.swift
module Transparency Sources/Transparency/*.swift
module ReleaseLedgerCore $(find Sources/ReleaseLedgerCore -name '*.swift')
module ReleaseLedgerSQLite Sources/ReleaseLedgerSQLite/*.swift "$bin/ReleaseLedgerSQLite.build/DerivedSources/"*.swift
module ReleaseLedgerCLI $(find Sources/ReleaseLedgerCLI -name '*.swift') "$bin/ReleaseLedgerCLI.build/DerivedSources/"*.swift
module ReleaseLedgerFuzz tools/fuzz/FuzzTarget.swift

# Every object of the release-ledger executable except our own modules and its main.
grep -v -e '/SecretScanning.build/' -e '/LedgerJSON.build/' -e '/Transparency.build/' -e '/ReleaseLedgerCore.build/' -e '/ReleaseLedgerSQLite.build/' -e '/ReleaseLedgerCLI.build/' -e '/release_ledger.build/' \
  "$bin/release-ledger.product/Objects.LinkFileList" >"$out/dependencies.txt"
swiftc -sanitize=fuzzer,address "$out"/{SecretScanning,LedgerJSON,Transparency,ReleaseLedger*}.o @"$out/dependencies.txt" -lsqlite3 -lstdc++ -o "$out/release-ledger-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

# Seeds: one per mode, so the first minute starts from inputs that reach the commands.
python3 - "$out/corpus" <<'PY'
import os, sys
sha = "a" * 40
seeds = {
    "json": b"\x00" + b'{"verdict":"YES","reason":"r","evidence":[{"name":"n","url":"https://x.example"}],"n":1.5e3,"z":-0,"u":"\\u00e9"}',
    "append": b"\x01" + b"\x00".join([b"append", b"--type", b"x-note", b"--sha", sha.encode(), b"--data", b'{"t":1}', b"--id", b"k"]),
    "readiness": b"\x01" + b"\x00".join([b"readiness", b"--sha", sha.encode(), b"--check", b"entra-canary", b"--status", b"pass",
                                        b"--last-green-at", b"2026-11-25T00:00:00Z", b"--slo-hours", b"24"]),
    "verdict": b"\x01" + b"\x00".join([b"verdict", b"--sha", sha.encode(), b"--decision", b"NO", b"--reason", b"-x"]),
    "busy": b"\x03" + b"\x00".join([b"20000000000000", b"events", b"--limit", b"3", b"--after", b"1"]),
    "at": b"\x01" + b"\x00".join([b"at", b"--position", b"2", b"--json"]),
    "materialize": b"\x01" + b"\x00".join([b"materialize", b"--sha", sha.encode(), b"--run", b"1", b"--check"]),
}
for name, data in seeds.items():
    with open(os.path.join(sys.argv[1], "seed-" + name), "wb") as f:
        f.write(data)
PY

echo "fuzzing for ${seconds}s (artifacts in $out)" >&2
cd "$out"
rm -f crash-* leak-* timeout-* oom-*
# The Swift runtime's caches live for the whole process: LeakSanitizer would report them at exit.
export ASAN_OPTIONS=detect_leaks=0
run() {  # run KIND SECONDS: one pass over one kind of input, with its own corpus
  mkdir -p "corpus-$1"
  cp -n corpus/seed-* "corpus-$1/" 2>/dev/null || true
  RELEASE_LEDGER_FUZZ_ONLY=$1 ./release-ledger-fuzz -max_total_time="$2" -timeout=20 -rss_limit_mb=4096 \
    -dict=../../tools/fuzz/arguments.dict -detect_leaks=0 -print_final_stats=1 "corpus-$1"
}
# A third of the time for the JSON parser, the rest for command lines.
run json $((seconds / 3 > 0 ? seconds / 3 : 1))
run arguments $((seconds - seconds / 3 > 0 ? seconds - seconds / 3 : 1))
