#!/usr/bin/env bash
# The /v1/ API against its own description: schemathesis generates requests from
# Schema/openapi.json and checks that no answer is a 5xx and that every answer (status, content
# type, headers, body) is one the document describes. Bounded in examples and in time.
#
#   tools/api/schemathesis.sh [SCHEMATHESIS] [EXAMPLES] [SECONDS]
# CI: tools/api/schemathesis.sh .build/ci-venv/bin/schemathesis 25 150
set -euo pipefail
cd "$(dirname "$0")/../.."
schemathesis=${1:-.build/ci-venv/bin/schemathesis}
examples=${2:-25}
seconds=${3:-300}
server=${RELEASE_LEDGER_SERVER_BINARY:-.build/debug/release-ledger-server}
folder=$(mktemp -d)
# The server's log is kept beside the build when the run fails (a crash names its request there).
finish() {
  local code=$?
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  if [ "$code" != 0 ]; then cp "$folder/log" .build/schemathesis-server.log 2>/dev/null || true; fi
  rm -rf "$folder"
}
trap finish EXIT

# A ledger with a whole promotion in it, so reads have something to answer.
"$server" serve --listen 127.0.0.1:0 --db "$folder/ledger.sqlite" --allow-anonymous >"$folder/out" 2>"$folder/log" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$folder/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$folder/out" | head -1)
[ -n "$url" ] || { echo "schemathesis.sh: the server did not start" >&2; cat "$folder/log" >&2; exit 1; }
sha=$(printf 'schemathesis' | sha1sum | cut -c1-40)
digest=$(printf 'x' | sha256sum | cut -c1-64)
post() { curl -sS -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' --data-binary "$2" "$url$1"; }
post "/v1/candidates/$sha/freeze" "{\"data\":{\"images\":{\"api\":\"ghcr.io/a/api@sha256:$digest\",\"web\":\"ghcr.io/a/web@sha256:$digest\"},\"scopes\":{\"runtime\":true,\"infra\":false,\"identity\":false,\"requiresInfraConvergence\":false},\"migrationRequired\":false}}" >/dev/null
post "/v1/candidates/$sha/accept" '{"data":{"verdict":"YES"}}' >/dev/null

timeout "$((seconds + 60))" "$schemathesis" run "$url/v1/openapi.json" --url "$url" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --mode positive --phases coverage,fuzzing --max-examples "$examples" --max-time "$seconds" --request-timeout 20 --seed 1 --no-color
