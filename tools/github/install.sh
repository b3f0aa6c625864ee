#!/usr/bin/env bash
# Makes release-ledger available to later steps; the shell half of tools/github/action.yml, kept
# here so it can be tested outside Actions (tools/github/test-install.sh).
#
#   install.sh cache-key   print the source build's cache key (Package.swift, Package.resolved, Sources/)
#   install.sh install     install into $INSTALL_DIR and put it on $GITHUB_PATH
#
# Environment: INSTALL_FROM (source|release), VERSION, SHA256 (release: the expected SHA-256 of
# the binary), RELEASE_URL (release: where it is; a URL curl can fetch, file:// included, or a
# path; "{version}" is replaced), SOURCE_DIR (source: the package), INSTALL_DIR.
set -euo pipefail

fail() {
  # One line for the log, and the same as an annotation on the run's summary page.
  echo "::error title=release-ledger install::$1" >&2
  exit 1
}

source_dir=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

cache_key() {
  # Every input of the build: a change to any of them is a new binary.
  local hash inputs=()
  # Package.resolved is not committed here; a clean clone has none.
  for input in Package.swift Package.resolved Sources Schema/sqlite Projections/sqlite; do
    if [ -e "$source_dir/$input" ]; then inputs+=("$input"); fi
  done
  hash=$(cd "$source_dir" && find "${inputs[@]}" -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
  echo "release-ledger-$(uname -s)-$(uname -m)-$(swift --version 2>/dev/null | head -1 | sha256sum | cut -c1-8)-$hash"
}

install_release() {
  local version=${VERSION:?VERSION is required with install-from: release}
  local expected=${SHA256:-}
  [[ $expected =~ ^[0-9a-f]{64}$ ]] || fail "sha256 must be the 64 lower-case hex digits of the release binary, not '${expected}'"
  local url=${RELEASE_URL:?RELEASE_URL is required with install-from: release}
  url=${url//\{version\}/$version}
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  if [[ $url == *://* ]]; then
    curl --fail --silent --show-error --location --retry 3 --output "$scratch/release-ledger" "$url" \
      || fail "could not download release-ledger $version from $url"
  else
    cp "$url" "$scratch/release-ledger" || fail "no release-ledger $version at $url"
  fi
  local actual
  actual=$(sha256sum "$scratch/release-ledger" | cut -d' ' -f1)
  # Checked before anything is installed: a wrong file never reaches the PATH.
  if [[ $actual != "$expected" ]]; then
    fail "release-ledger $version from $url has SHA-256 $actual, not the pinned $expected; nothing was installed"
  fi
  mkdir -p "$INSTALL_DIR"
  install -m 0755 "$scratch/release-ledger" "$INSTALL_DIR/release-ledger"
}

install_source() {
  local cached="$INSTALL_DIR/release-ledger"
  if [[ -x $cached ]]; then
    echo "release-ledger: using the cached build in $INSTALL_DIR"
    return
  fi
  (cd "$source_dir" \
    && swift build -c release --static-swift-stdlib -Xlinker --no-export-dynamic --product release-ledger) \
    || fail "swift build of release-ledger failed in $source_dir"
  mkdir -p "$INSTALL_DIR"
  install -m 0755 "$(cd "$source_dir" && swift build -c release --show-bin-path)/release-ledger" "$cached"
}

case "${1:-}" in
  cache-key)
    cache_key
    ;;
  install)
    INSTALL_DIR=${INSTALL_DIR:?INSTALL_DIR is required}
    case "${INSTALL_FROM:-source}" in
      release) install_release ;;
      source) install_source ;;
      *) fail "install-from must be source or release, not '${INSTALL_FROM}'" ;;
    esac
    "$INSTALL_DIR/release-ledger" --version >/dev/null || fail "the installed release-ledger does not run"
    if [[ -n ${GITHUB_PATH:-} ]]; then echo "$INSTALL_DIR" >> "$GITHUB_PATH"; fi
    echo "release-ledger $("$INSTALL_DIR/release-ledger" --version) installed in $INSTALL_DIR"
    ;;
  *)
    fail "usage: install.sh cache-key | install"
    ;;
esac
