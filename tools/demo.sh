#!/usr/bin/env bash
# The README's main job: build release-ledger, then walk three candidates through the
# production pipeline exactly as CI steps would call it, materialize .artifacts/ and verify.
# Exits non-zero as soon as any step does not behave as described.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "== building release-ledger"
swift build -c release --product release-ledger >/dev/null
bin="$root/.build/release/release-ledger"

# A fresh working folder, so the ledger lands at the default location .release-ledger/ledger.sqlite.
work="$root/.demo"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# What a GitHub Actions step would have in its environment.
export GITHUB_ACTOR=release-bot GITHUB_REPOSITORY=acme/shop GITHUB_SERVER_URL=https://github.com GITHUB_WORKFLOW="Cloud Deployment Pipeline"
unset RELEASE_LEDGER_DB

step() {  # step EXPECTED_EXIT command...: run a pipeline step and insist on its exit code
  local expected=$1; shift
  echo "\$ release-ledger $*"
  set +e
  "$bin" "$@"
  local code=$?
  set -e
  if [ "$code" != "$expected" ]; then
    echo "demo: expected exit $expected from 'release-ledger $*', got $code" >&2
    exit 1
  fi
}

sha_of() { printf '%s' "$1" | sha1sum | cut -c1-40; }
digest_of() { printf 'ghcr.io/acme/%s@sha256:%s' "$1" "$(printf '%s' "$2" | sha256sum | cut -c1-64)"; }
green_at=$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%SZ)

step 0 init

# Candidate 1: a clean runtime promotion with a database migration.
A=$(sha_of candidate-a); A_API=$(digest_of api a); A_WEB=$(digest_of web a)
export GITHUB_RUN_ID=1001 GITHUB_RUN_ATTEMPT=1
echo; echo "== candidate $A: clean runtime promotion"
GITHUB_JOB=freeze step 0 freeze --sha "$A" --api-image "$A_API" --web-image "$A_WEB" --scope runtime --migration-required
GITHUB_JOB=freeze step 0 freeze --sha "$A" --api-image "$A_API" --web-image "$A_WEB" --scope runtime --migration-required  # a retried step records nothing
GITHUB_JOB=acceptance step 0 accept --sha "$A" --verdict YES --evidence acceptance-report=https://ci.example.com/acme/shop/runs/1001
GITHUB_JOB=readiness step 0 readiness --sha "$A" --check entra-canary --status pass --last-green-at "$green_at" --slo-hours 24
GITHUB_JOB=readiness step 0 readiness --sha "$A" --check delegated-probe --status pass --target-api-base-url https://api.shop.example.com
GITHUB_JOB=deploy step 2 deploy --sha "$A" --app api --image "$(digest_of api rebuilt)" --outcome succeeded   # never rebuild: refused
GITHUB_JOB=deploy step 0 migrate --sha "$A" --step image-updated --image "$A_API" --outcome succeeded
GITHUB_JOB=deploy step 0 migrate --sha "$A" --step ran --image "$A_API" --outcome succeeded
GITHUB_JOB=deploy step 0 deploy --sha "$A" --app api --image "$A_API" --outcome succeeded
GITHUB_JOB=deploy step 0 deploy --sha "$A" --app web --image "$A_WEB" --outcome succeeded
GITHUB_JOB=verify step 0 smoke --sha "$A" --suite api --outcome passed
GITHUB_JOB=verify step 0 smoke --sha "$A" --suite browser --outcome passed
GITHUB_JOB=verify step 0 record-deployment --sha "$A" --deployment-id 7001 --environment-url https://shop.example.com
GITHUB_JOB=release-decision step 0 verdict --sha "$A"

# Candidate 2: the browser smoke fails, so the computed decision is NO.
B=$(sha_of candidate-b); B_API=$(digest_of api b); B_WEB=$(digest_of web b)
export GITHUB_RUN_ID=1002
echo; echo "== candidate $B: browser smoke fails"
GITHUB_JOB=freeze step 0 freeze --sha "$B" --api-image "$B_API" --web-image "$B_WEB" --scope runtime
GITHUB_JOB=acceptance step 0 accept --sha "$B" --verdict YES
GITHUB_JOB=readiness step 0 readiness --sha "$B" --check entra-canary --status pass --last-green-at "$green_at" --slo-hours 24
GITHUB_JOB=readiness step 0 readiness --sha "$B" --check delegated-probe --status pass --target-api-base-url https://api.shop.example.com
GITHUB_JOB=verify step 2 smoke --sha "$B" --suite api --outcome passed   # before the deploys: refused (rule 12)
GITHUB_JOB=deploy step 0 migrate --sha "$B" --step image-updated --image "$B_API" --outcome succeeded
GITHUB_JOB=deploy step 0 deploy --sha "$B" --app api --image "$B_API" --outcome succeeded
GITHUB_JOB=deploy step 0 deploy --sha "$B" --app web --image "$B_WEB" --outcome succeeded
GITHUB_JOB=verify step 0 smoke --sha "$B" --suite api --outcome passed
GITHUB_JOB=verify step 0 smoke --sha "$B" --suite browser --outcome failed --evidence trace=https://ci.example.com/acme/shop/runs/1002/trace
GITHUB_JOB=verify step 0 record-deployment --sha "$B" --deployment-id 7002
GITHUB_JOB=release-decision step 2 verdict --sha "$B" --decision YES   # YES with a failed gate: refused
GITHUB_JOB=release-decision step 0 verdict --sha "$B"                  # computed: NO
GITHUB_JOB=release-decision step 2 verdict --sha "$B" --fail-on-no     # the step retried: already recorded, NO fails it

# Candidate 3: an infra-only change, gated by the control-plane approval.
C=$(sha_of candidate-c); C_API=$(digest_of api c); C_WEB=$(digest_of web c)
export GITHUB_RUN_ID=1003
echo; echo "== candidate $C: infra change gated by approval"
GITHUB_JOB=freeze step 0 freeze --sha "$C" --api-image "$C_API" --web-image "$C_WEB" --scope infra
GITHUB_JOB=acceptance step 0 accept --sha "$C" --verdict YES
GITHUB_JOB=readiness step 0 readiness --sha "$C" --check entra-canary --status pass --last-green-at "$green_at" --slo-hours 24
GITHUB_JOB=readiness step 0 readiness --sha "$C" --check delegated-probe --status pass --target-api-base-url https://api.shop.example.com
GITHUB_JOB=infra step 2 apply --sha "$C" --scope infra --outcome succeeded   # no approval yet: refused
GITHUB_JOB=approve-control-plane step 0 approve --sha "$C" --decision approved --approver alice
GITHUB_JOB=infra step 0 apply --sha "$C" --scope infra --outcome succeeded
GITHUB_JOB=verify step 0 record-deployment --sha "$C" --deployment-id 7003
GITHUB_JOB=release-decision step 0 verdict --sha "$C"

echo; echo "== status: released is C (the last YES); serving is B's images (decided NO, still deployed)"
step 0 status

echo; echo "== artifacts"
step 0 materialize --all --out .artifacts
find .artifacts -type f | sort
echo; echo "== .artifacts/release/$B/decision.json"
cat ".artifacts/release/$B/decision.json"
grep -q '"decision": "NO"' ".artifacts/release/$B/decision.json"
grep -q '"decision": "YES"' ".artifacts/release/$A/decision.json"
grep -q '"decision": "YES"' ".artifacts/release/$C/decision.json"
step 0 materialize --all --out .artifacts --check

echo; echo "== verify"
step 0 verify
count=$("$bin" events | wc -l)
[ "$count" -eq 31 ] || { echo "demo: expected 31 events, found $count" >&2; exit 1; }
echo; echo "demo: all steps behaved as described ($count events in $work/.release-ledger/ledger.sqlite)"
