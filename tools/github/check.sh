#!/usr/bin/env bash
# Checks tools/github: actionlint on the example pipeline and on the action, the action's YAML
# structure, and install.sh with a fake release served from a local folder (a right and a wrong
# SHA-256). CI runs it from .ci/run with the venv's actionlint and Python (PyYAML).
#
#   tools/github/check.sh [ACTIONLINT] [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/../.."
actionlint=$(command -v "${1:-actionlint}") || { echo "no actionlint at ${1:-actionlint}" >&2; exit 1; }
actionlint=$(realpath "$actionlint")
python=${2:-python3}
here=tools/github
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
check() { echo "ok: $1"; }
broken() { echo "FAIL: $1" >&2; failures=$((failures + 1)); }

# 1. The example pipeline.
"$actionlint" -config-file "$here/actionlint.yaml" "$here/cloud-deployment-pipeline.yml" \
  && check "actionlint: cloud-deployment-pipeline.yml" || broken "actionlint: cloud-deployment-pipeline.yml"

# 2. The action. actionlint lints workflows, not action.yml on its own ("jobs section is
# missing"); it does read a local action's metadata when a workflow of a Git project uses it, and
# checks the inputs given against it. So: a scratch project whose workflow uses every input.
grep -q "actions/cache@v5" "$here/action.yml" || broken "action.yml's actions/cache version differs from the one linted below"
mkdir -p "$scratch/project/.github/workflows" "$scratch/project/tools/github"
cp "$here/action.yml" "$scratch/project/tools/github/"
cat > "$scratch/project/.github/workflows/use-action.yml" <<'EOF'
on: push
jobs:
  use:
    runs-on: ubuntu-latest
    steps:
      - uses: ./tools/github
        with:
          install-from: release
          version: 0.1.0
          sha256: 0000000000000000000000000000000000000000000000000000000000000000
          release-url: https://example.com/release-ledger-{version}
          server-url: https://ledger.example.com
          audience: api://release-ledger
      # The action's own steps use this (keep in step with action.yml): actionlint checks it here.
      - uses: actions/cache@v5
        with: {path: a, key: b}
      - run: release-ledger --version
EOF
git -C "$scratch/project" init -q
(cd "$scratch/project" && "$actionlint") && check "actionlint: action.yml through a workflow that uses it" \
  || broken "actionlint: action.yml through a workflow that uses it"

# The structure actionlint does not check: a composite action whose run steps name a shell and
# whose install step calls install.sh with the inputs it documents.
"$python" - "$here/action.yml" <<'EOF' && check "action.yml structure" || broken "action.yml structure"
import sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
problems = []
for key in ("name", "description", "inputs", "runs"):
    if key not in action: problems.append(f"no top-level {key}")
if action["runs"].get("using") != "composite": problems.append("runs.using is not composite")
inputs = set(action["inputs"])
expected = {"install-from", "version", "sha256", "release-url", "server-url", "audience"}
if inputs != expected: problems.append(f"inputs {sorted(inputs)}, expected {sorted(expected)}")
steps = action["runs"]["steps"]
for index, step in enumerate(steps):
    if "run" in step and "shell" not in step: problems.append(f"step {index} runs without a shell")
    if "run" not in step and "uses" not in step: problems.append(f"step {index} neither runs nor uses")
text = open(sys.argv[1]).read()
for name in expected:
    if "inputs." + name not in text: problems.append(f"input {name} is never used")
if not any("install.sh\" install" in step.get("run", "") for step in steps): problems.append("no step runs install.sh install")
for problem in problems: print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

# 3. install.sh with a fake release: the built binary if there is one, else a stand-in.
mkdir -p "$scratch/releases/v0.1.0"
release="$scratch/releases/v0.1.0/release-ledger-linux-x86_64"
if [ -x .build/debug/release-ledger ]; then
  cp .build/debug/release-ledger "$release"
else
  printf '#!/bin/sh\necho 0.1.0\n' > "$release"
fi
right=$(sha256sum "$release" | cut -d' ' -f1)
wrong=$(printf '%s' "$right" | tr '0-9a-f' '1-9a-f0')

INSTALL_FROM=release VERSION=0.1.0 SHA256=$right RELEASE_URL="file://$scratch/releases/v{version}/release-ledger-linux-x86_64" \
  INSTALL_DIR="$scratch/right" GITHUB_PATH="$scratch/github-path" "$here/install.sh" install > "$scratch/right.log" 2>&1 \
  && "$scratch/right/release-ledger" --version > "$scratch/version" && grep -qx "$scratch/right" "$scratch/github-path" \
  && check "install.sh: the pinned SHA-256 installs from a file:// URL, --version runs ($(cat "$scratch/version")), the folder is on GITHUB_PATH" \
  || broken "install.sh with the right SHA-256: $(cat "$scratch/right.log")"

INSTALL_FROM=release VERSION=0.1.0 SHA256=$right RELEASE_URL="$release" INSTALL_DIR="$scratch/path" \
  "$here/install.sh" install > /dev/null 2>&1 && [ -x "$scratch/path/release-ledger" ] \
  && check "install.sh: a plain path works too" || broken "install.sh from a plain path"

if INSTALL_FROM=release VERSION=0.1.0 SHA256=$wrong RELEASE_URL="file://$release" INSTALL_DIR="$scratch/wrong" \
  "$here/install.sh" install > "$scratch/wrong.log" 2>&1; then
  broken "install.sh accepted a wrong SHA-256"
elif ! grep -q "has SHA-256 $right, not the pinned $wrong; nothing was installed" "$scratch/wrong.log"; then
  broken "install.sh with a wrong SHA-256 did not say why: $(cat "$scratch/wrong.log")"
elif [ -e "$scratch/wrong" ]; then
  broken "install.sh with a wrong SHA-256 left $scratch/wrong behind"
else
  check "install.sh: a wrong SHA-256 fails naming both digests and installs nothing"
fi

if INSTALL_FROM=release VERSION=0.1.0 SHA256=not-a-digest RELEASE_URL="$release" INSTALL_DIR="$scratch/bad" \
  "$here/install.sh" install > "$scratch/bad.log" 2>&1 || [ -e "$scratch/bad" ]; then
  broken "install.sh accepted a malformed sha256 input"
else
  grep -q "sha256 must be the 64 lower-case hex digits" "$scratch/bad.log" \
    && check "install.sh: a malformed sha256 input is refused" || broken "install.sh: malformed sha256 message: $(cat "$scratch/bad.log")"
fi

# The source build's cache key: found in a clean clone (no Package.resolved), and changed by a source edit.
mkdir -p "$scratch/src/Sources/x"
echo '// swift-tools-version:6.0' > "$scratch/src/Package.swift"
echo 'let a = 1' > "$scratch/src/Sources/x/a.swift"
key1=$(SOURCE_DIR="$scratch/src" "$here/install.sh" cache-key) || key1=""
echo 'let a = 2' > "$scratch/src/Sources/x/a.swift"
key2=$(SOURCE_DIR="$scratch/src" "$here/install.sh" cache-key) || key2=""
if [[ $key1 == release-ledger-* && $key2 == release-ledger-* && $key1 != "$key2" ]]; then
  check "install.sh cache-key: works without Package.resolved and changes with the sources"
else
  broken "install.sh cache-key: '$key1' then '$key2'"
fi

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
