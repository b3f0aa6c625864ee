import Foundation
import Testing

@testable import ReleaseLedgerCore

// `Schema/events/<type>.json` says in JSON Schema what `EventCatalog` says in Swift: the files are
// generated from the catalog (`EventSchemaFilesTests`), and these tests feed both the same
// examples and expect the same verdict, so the generator cannot say other than the validator.

/// The schema files in the package's `Schema/events/`, found from this file's path.
enum EventSchemas {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schema/events", isDirectory: true)

    static func fileName(of type: EventType) -> String { EventSchema.fileName(of: type) }

    static func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    static func document(named name: String) throws -> JSONValue {
        let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONParser.parse(bytes: Array(bytes), field: name)
    }

    static func validator(for type: EventType) throws -> MiniJSONSchemaValidator {
        try MiniJSONSchemaValidator(document(named: fileName(of: type)))
    }
}

/// What both validators should say about an example.
enum SchemaVerdict: Sendable {
    /// Both accept.
    case valid
    /// Both reject.
    case invalid
    /// The schema accepts and Swift rejects: a cross-field rule JSON Schema cannot express
    /// (the identity preflight contract compares fields with each other).
    case swiftOnlyInvalid
}

struct SchemaExample: Sendable, CustomTestStringConvertible {
    let type: EventType
    let label: String
    let json: String
    let verdict: SchemaVerdict

    var testDescription: String { "\(type.rawValue): \(label)" }
}

// MARK: - Examples

enum SchemaExamples {
    static let sha = "1cf2c211f67f12a6982d6f3dd5471aa3cfb2a64b"
    static let hex64 = "e90ee1a7d0f8a0208d0694edc5c112c84f065191532106d16785a842ecb10c6a"
    static let api = "ghcr.io/acme/api@sha256:\(hex64)"
    static let web = "ghcr.io/acme/web@sha256:\(hex64)"
    /// Repository names at the 255-character limit and one past it.
    static let repo255 = "r" + String(repeating: "/a", count: 127)
    static let repo256 = "rr" + String(repeating: "/a", count: 127)

    static func valid(_ type: EventType, _ label: String, _ json: String) -> SchemaExample {
        SchemaExample(type: type, label: label, json: json, verdict: .valid)
    }
    static func invalid(_ type: EventType, _ label: String, _ json: String) -> SchemaExample {
        SchemaExample(type: type, label: label, json: json, verdict: .invalid)
    }
    static func swiftOnly(_ type: EventType, _ label: String, _ json: String) -> SchemaExample {
        SchemaExample(type: type, label: label, json: json, verdict: .swiftOnlyInvalid)
    }

    // candidate.frozen, with one part replaced at a time.
    static let scopes = #"{"runtime":true,"infra":false,"identity":false,"requiresInfraConvergence":false}"#
    static func frozen(
        api: String = "\"\(api)\"", web: String = "\"\(web)\"", scopes: String = scopes, migration: String = "true",
        extra: String = ""
    )
        -> String
    {
        #"{"images":{"api":\#(api),"web":\#(web)},"scopes":\#(scopes),"migrationRequired":\#(migration)\#(extra)}"#
    }
    static func frozenAPI(_ ref: String) -> String { frozen(api: "\"\(ref)\"") }

    static let candidateFrozen: [SchemaExample] = [
        valid(.candidateFrozen, "runtime change with a migration", frozen()),
        valid(
            .candidateFrozen, "every scope, no migration",
            frozen(
                scopes: #"{"runtime":true,"infra":true,"identity":true,"requiresInfraConvergence":true}"#,
                migration: "false")),
        valid(.candidateFrozen, "registry with a port", frozenAPI("localhost:5000/acme/api@sha256:\(hex64)")),
        valid(.candidateFrozen, "tag kept next to the digest", frozenAPI("ghcr.io/acme/api:1.2.3@sha256:\(hex64)")),
        valid(.candidateFrozen, "one-character repository", frozenAPI("a@sha256:\(hex64)")),
        valid(
            .candidateFrozen, "separators . _ - / :", frozenAPI("registry.example.com/team_a/my-api@sha256:\(hex64)")),
        valid(.candidateFrozen, "255-character repository", frozenAPI("\(repo255)@sha256:\(hex64)")),
        invalid(.candidateFrozen, "images missing", #"{"scopes":\#(scopes),"migrationRequired":true}"#),
        invalid(
            .candidateFrozen, "migrationRequired missing",
            #"{"images":{"api":"\#(api)","web":"\#(web)"},"scopes":\#(scopes)}"#),
        invalid(
            .candidateFrozen, "web image missing",
            #"{"images":{"api":"\#(api)"},"scopes":\#(scopes),"migrationRequired":true}"#),
        invalid(.candidateFrozen, "scope missing", frozen(scopes: #"{"runtime":true,"infra":false,"identity":false}"#)),
        invalid(.candidateFrozen, "short digest (63 hex)", frozenAPI("ghcr.io/acme/api@sha256:\(hex64.dropLast())")),
        invalid(.candidateFrozen, "long digest (65 hex)", frozenAPI("ghcr.io/acme/api@sha256:\(hex64)0")),
        invalid(.candidateFrozen, "uppercase hex", frozenAPI("ghcr.io/acme/api@sha256:\(hex64.uppercased())")),
        invalid(.candidateFrozen, "sha1 digest", frozenAPI("ghcr.io/acme/api@sha1:\(sha)")),
        invalid(.candidateFrozen, "tag instead of a digest", frozenAPI("ghcr.io/acme/api:1.2.3")),
        invalid(.candidateFrozen, "bare digest, no repository", frozenAPI("sha256:\(hex64)")),
        invalid(.candidateFrozen, "empty repository", frozenAPI("@sha256:\(hex64)")),
        invalid(.candidateFrozen, "uppercase repository", frozenAPI("GHCR.io/acme/api@sha256:\(hex64)")),
        invalid(.candidateFrozen, "double separator", frozenAPI("ghcr.io//acme/api@sha256:\(hex64)")),
        invalid(.candidateFrozen, "trailing separator", frozenAPI("ghcr.io/acme/api-@sha256:\(hex64)")),
        invalid(.candidateFrozen, "256-character repository", frozenAPI("\(repo256)@sha256:\(hex64)")),
        invalid(.candidateFrozen, "digest with a trailing newline", frozenAPI("\(api)\\n")),
        invalid(.candidateFrozen, "image null", frozen(api: "null")),
        invalid(.candidateFrozen, "migrationRequired as a string", frozen(migration: #""true""#)),
        invalid(
            .candidateFrozen, "scope as a number",
            frozen(scopes: #"{"runtime":1,"infra":false,"identity":false,"requiresInfraConvergence":false}"#)),
        invalid(.candidateFrozen, "unknown top-level field", frozen(extra: #","notes":"hotfix""#)),
        invalid(.candidateFrozen, "unknown image", frozen(web: #""\#(web)","worker":"\#(api)""#)),
        invalid(
            .candidateFrozen, "unknown scope",
            frozen(
                scopes: #"{"runtime":true,"infra":false,"identity":false,"requiresInfraConvergence":false,"data":true}"#
            )),
        invalid(
            .candidateFrozen, "images as an array",
            #"{"images":["\#(api)","\#(web)"],"scopes":\#(scopes),"migrationRequired":true}"#),
        invalid(.candidateFrozen, "payload is an array", "[]"),
        invalid(.candidateFrozen, "payload is null", "null"),
    ]

    static let acceptanceRecorded: [SchemaExample] = [
        valid(.acceptanceRecorded, "YES", #"{"verdict":"YES"}"#),
        valid(.acceptanceRecorded, "NO with a reason", #"{"verdict":"NO","reason":"login flow regressed"}"#),
        valid(
            .acceptanceRecorded, "YES with evidence",
            #"{"verdict":"YES","evidence":[{"name":"report","url":"https://ci.example/runs/1"},{"name":"trace","url":"http://10.0.0.7:8080/t?id=1#x"}]}"#
        ),
        valid(.acceptanceRecorded, "empty evidence list", #"{"verdict":"YES","evidence":[]}"#),
        valid(
            .acceptanceRecorded, "non-ASCII reason", #"{"verdict":"NO","reason":"Pr\u00fcfung \u2705 fehlgeschlagen"}"#),
        valid(
            .acceptanceRecorded, "URL host starting with a combining mark",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https://\u0301ci.example"}]}"#),
        invalid(.acceptanceRecorded, "verdict missing", #"{"reason":"ok"}"#),
        invalid(.acceptanceRecorded, "lowercase verdict", #"{"verdict":"yes"}"#),
        invalid(.acceptanceRecorded, "verdict as a boolean", #"{"verdict":true}"#),
        invalid(.acceptanceRecorded, "empty reason", #"{"verdict":"NO","reason":""}"#),
        invalid(
            .acceptanceRecorded, "evidence as an object",
            #"{"verdict":"YES","evidence":{"name":"r","url":"https://ci.example"}}"#),
        invalid(.acceptanceRecorded, "evidence without url", #"{"verdict":"YES","evidence":[{"name":"report"}]}"#),
        invalid(
            .acceptanceRecorded, "evidence with an empty name",
            #"{"verdict":"YES","evidence":[{"name":"","url":"https://ci.example"}]}"#),
        invalid(
            .acceptanceRecorded, "evidence with an unknown field",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https://ci.example","size":3}]}"#),
        invalid(
            .acceptanceRecorded, "evidence item is a string", #"{"verdict":"YES","evidence":["https://ci.example"]}"#),
        invalid(
            .acceptanceRecorded, "ftp URL", #"{"verdict":"YES","evidence":[{"name":"r","url":"ftp://ci.example/r"}]}"#),
        invalid(
            .acceptanceRecorded, "URL without a host", #"{"verdict":"YES","evidence":[{"name":"r","url":"https://"}]}"#),
        invalid(
            .acceptanceRecorded, "URL with an empty host",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https:///runs/1"}]}"#),
        invalid(
            .acceptanceRecorded, "URL with a slash and a combining mark for a host",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https:///\u0301x"}]}"#),
        invalid(
            .acceptanceRecorded, "URL with a space",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https://ci.example/run 1"}]}"#),
        invalid(
            .acceptanceRecorded, "URL with a tab",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"https://ci.example/\trun"}]}"#),
        invalid(
            .acceptanceRecorded, "uppercase scheme",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"HTTPS://ci.example"}]}"#),
        invalid(
            .acceptanceRecorded, "scheme-relative URL",
            #"{"verdict":"YES","evidence":[{"name":"r","url":"//ci.example/r"}]}"#),
        invalid(.acceptanceRecorded, "unknown field", #"{"verdict":"YES","approver":"alice"}"#),
    ]

    static func canary(_ lastGreenAt: String, slo: String = "24") -> String {
        #"{"check":"entra-canary","status":"pass","lastGreenAt":"\#(lastGreenAt)","sloHours":\#(slo)}"#
    }

    static let readinessRecorded: [SchemaExample] = [
        valid(.readinessRecorded, "canary pass", canary("2026-11-29T02:00:00Z")),
        valid(
            .readinessRecorded, "canary fail, offset and fraction",
            #"{"check":"entra-canary","status":"fail","lastGreenAt":"2026-11-28T23:30:00.5+02:00","sloHours":0.5}"#),
        valid(
            .readinessRecorded, "probe pass",
            #"{"check":"delegated-probe","status":"pass","targetApiBaseUrl":"https://api.example.com"}"#),
        valid(
            .readinessRecorded, "probe fail over http",
            #"{"check":"delegated-probe","status":"fail","targetApiBaseUrl":"http://localhost:8080/api"}"#),
        valid(
            .readinessRecorded, "canary that also names the target",
            #"{"check":"entra-canary","status":"pass","lastGreenAt":"2026-11-29T02:00:00Z","sloHours":24,"targetApiBaseUrl":"https://api.example.com"}"#
        ),
        valid(.readinessRecorded, "leap day", canary("2028-02-29T00:00:00Z")),
        valid(.readinessRecorded, "leap day of a 400th year", canary("2000-02-29T12:00:00Z")),
        valid(.readinessRecorded, "milliseconds and a negative offset", canary("2026-12-31T23:59:59.999-00:00")),
        valid(.readinessRecorded, "tiny SLO", canary("2026-11-29T02:00:00Z", slo: "1e-3")),
        invalid(
            .readinessRecorded, "canary without lastGreenAt", #"{"check":"entra-canary","status":"pass","sloHours":24}"#
        ),
        invalid(
            .readinessRecorded, "canary without sloHours",
            #"{"check":"entra-canary","status":"pass","lastGreenAt":"2026-11-29T02:00:00Z"}"#),
        invalid(.readinessRecorded, "probe without targetApiBaseUrl", #"{"check":"delegated-probe","status":"pass"}"#),
        invalid(
            .readinessRecorded, "check missing", #"{"status":"pass","targetApiBaseUrl":"https://api.example.com"}"#),
        invalid(.readinessRecorded, "unknown check", #"{"check":"nightly","status":"pass"}"#),
        invalid(
            .readinessRecorded, "unknown status",
            #"{"check":"delegated-probe","status":"ok","targetApiBaseUrl":"https://api.example.com"}"#),
        invalid(.readinessRecorded, "SLO zero", canary("2026-11-29T02:00:00Z", slo: "0")),
        invalid(.readinessRecorded, "SLO negative", canary("2026-11-29T02:00:00Z", slo: "-1")),
        invalid(.readinessRecorded, "SLO as a string", canary("2026-11-29T02:00:00Z", slo: #""24""#)),
        invalid(.readinessRecorded, "date only", canary("2026-11-29")),
        invalid(.readinessRecorded, "no time zone", canary("2026-11-29T02:00:00")),
        invalid(.readinessRecorded, "space instead of T", canary("2026-11-29 02:00:00Z")),
        invalid(.readinessRecorded, "lowercase t and z", canary("2026-11-29t02:00:00z")),
        invalid(.readinessRecorded, "February 29 of a common year", canary("2026-02-29T02:00:00Z")),
        invalid(.readinessRecorded, "February 29 of 2100", canary("2100-02-29T02:00:00Z")),
        invalid(.readinessRecorded, "April 31", canary("2026-04-31T02:00:00Z")),
        invalid(.readinessRecorded, "month 13", canary("2026-13-01T02:00:00Z")),
        invalid(.readinessRecorded, "day 00", canary("2026-11-00T02:00:00Z")),
        invalid(.readinessRecorded, "hour 24", canary("2026-11-29T24:00:00Z")),
        invalid(.readinessRecorded, "leap second", canary("2026-12-31T23:59:60Z")),
        invalid(.readinessRecorded, "offset hour 24", canary("2026-11-29T02:00:00+24:00")),
        invalid(.readinessRecorded, "offset without a colon", canary("2026-11-29T02:00:00+0200")),
        invalid(.readinessRecorded, "empty fraction", canary("2026-11-29T02:00:00.Z")),
        invalid(
            .readinessRecorded, "Unix time",
            #"{"check":"entra-canary","status":"pass","lastGreenAt":1795917600,"sloHours":24}"#),
        invalid(
            .readinessRecorded, "lastGreenAt null",
            #"{"check":"entra-canary","status":"pass","lastGreenAt":null,"sloHours":24}"#),
        invalid(
            .readinessRecorded, "target is not a URL",
            #"{"check":"delegated-probe","status":"pass","targetApiBaseUrl":"api.example.com"}"#),
        invalid(
            .readinessRecorded, "unknown field",
            #"{"check":"delegated-probe","status":"pass","targetApiBaseUrl":"https://a.example","tenant":"x"}"#),
    ]

    static func preflight(
        uri: String?, audience: String?, resolved: String?, status: String, reason: String = "checked"
    )
        -> String
    {
        func json(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        return
            #"{"apiIdentifierUri":\#(json(uri)),"entraAudience":\#(json(audience)),"resolved":\#(json(resolved)),"status":"\#(status)","reason":"\#(reason)"}"#
    }

    static let identityPreflightRecorded: [SchemaExample] = [
        valid(
            .identityPreflightRecorded, "from API_IDENTIFIER_URI",
            preflight(uri: "api://compass-api", audience: nil, resolved: "api://compass-api", status: "pass")),
        valid(
            .identityPreflightRecorded, "fallback to ENTRA_AUDIENCE, uri absent",
            #"{"entraAudience":"api://compass-api","resolved":"api://compass-api","status":"pass","reason":"fallback"}"#
        ),
        valid(
            .identityPreflightRecorded, "both set and equal",
            preflight(uri: "api://compass", audience: "api://compass", resolved: "api://compass", status: "pass")),
        valid(
            .identityPreflightRecorded, "neither set (null)",
            preflight(uri: nil, audience: nil, resolved: nil, status: "fail")),
        valid(
            .identityPreflightRecorded, "neither set (absent)",
            #"{"resolved":null,"status":"fail","reason":"neither is set"}"#),
        valid(
            .identityPreflightRecorded, "not api://",
            preflight(uri: "https://compass", audience: nil, resolved: "https://compass", status: "fail")),
        valid(
            .identityPreflightRecorded, "bare api://",
            preflight(uri: "api://", audience: nil, resolved: "api://", status: "fail")),
        valid(
            .identityPreflightRecorded, "both set and differ",
            preflight(uri: "api://a", audience: "api://b", resolved: "api://a", status: "fail")),
        valid(
            .identityPreflightRecorded, "api:// followed by a combining mark",
            preflight(uri: #"api://\u0301x"#, audience: nil, resolved: #"api://\u0301x"#, status: "pass")),
        invalid(.identityPreflightRecorded, "resolved missing", #"{"status":"fail","reason":"x"}"#),
        invalid(.identityPreflightRecorded, "status missing", #"{"resolved":null,"reason":"x"}"#),
        invalid(.identityPreflightRecorded, "reason missing", #"{"resolved":null,"status":"fail"}"#),
        invalid(
            .identityPreflightRecorded, "unknown status",
            preflight(uri: nil, audience: nil, resolved: nil, status: "skipped")),
        invalid(
            .identityPreflightRecorded, "empty resolved instead of null",
            preflight(uri: nil, audience: nil, resolved: "", status: "fail")),
        invalid(
            .identityPreflightRecorded, "empty apiIdentifierUri",
            preflight(uri: "", audience: nil, resolved: nil, status: "fail")),
        invalid(
            .identityPreflightRecorded, "entraAudience as a number",
            #"{"entraAudience":42,"resolved":null,"status":"fail","reason":"x"}"#),
        invalid(.identityPreflightRecorded, "reason null", #"{"resolved":null,"status":"fail","reason":null}"#),
        invalid(
            .identityPreflightRecorded, "unknown field",
            #"{"resolved":null,"status":"fail","reason":"x","tenantId":"t"}"#),
        invalid(
            .identityPreflightRecorded, "pass with nothing resolved",
            preflight(uri: nil, audience: nil, resolved: nil, status: "pass")),
        invalid(
            .identityPreflightRecorded, "resolved from nothing",
            preflight(uri: nil, audience: nil, resolved: "api://x", status: "fail")),
        invalid(
            .identityPreflightRecorded, "set but not resolved",
            preflight(uri: "api://x", audience: nil, resolved: nil, status: "fail")),
        invalid(
            .identityPreflightRecorded, "pass with a non-api:// value",
            preflight(uri: "https://x", audience: nil, resolved: "https://x", status: "pass")),
        invalid(
            .identityPreflightRecorded, "pass with a bare api://",
            preflight(uri: "api://", audience: nil, resolved: "api://", status: "pass")),
        swiftOnly(
            .identityPreflightRecorded, "both set and differ, recorded as pass",
            preflight(uri: "api://a", audience: "api://b", resolved: "api://a", status: "pass")),
        swiftOnly(
            .identityPreflightRecorded, "resolved is not the uri",
            preflight(uri: "api://a", audience: nil, resolved: "api://b", status: "pass")),
        swiftOnly(
            .identityPreflightRecorded, "resolved is not the audience",
            preflight(uri: nil, audience: "api://a", resolved: "api://b", status: "pass")),
        swiftOnly(
            .identityPreflightRecorded, "resolved audience although the uri is set",
            preflight(uri: "api://a", audience: "api://b", resolved: "api://b", status: "fail")),
        swiftOnly(
            .identityPreflightRecorded, "recorded as fail though it passes",
            preflight(uri: "api://a", audience: nil, resolved: "api://a", status: "fail")),
        swiftOnly(
            .identityPreflightRecorded, "pass with another value than the non-api:// uri",
            preflight(uri: "https://x", audience: nil, resolved: "api://x", status: "pass")),
    ]

    static let approvalRecorded: [SchemaExample] = [
        valid(.approvalRecorded, "approved", #"{"gate":"control-plane","decision":"approved","approver":"alice"}"#),
        valid(.approvalRecorded, "rejected", #"{"gate":"control-plane","decision":"rejected","approver":"bob"}"#),
        valid(
            .approvalRecorded, "non-ASCII approver",
            #"{"gate":"control-plane","decision":"approved","approver":"Zo\u00eb"}"#),
        valid(
            .approvalRecorded, "approver as an address",
            #"{"gate":"control-plane","decision":"approved","approver":"carol@example.com"}"#),
        invalid(.approvalRecorded, "unknown gate", #"{"gate":"staging","decision":"approved","approver":"alice"}"#),
        invalid(
            .approvalRecorded, "unknown decision", #"{"gate":"control-plane","decision":"approve","approver":"alice"}"#),
        invalid(.approvalRecorded, "empty approver", #"{"gate":"control-plane","decision":"approved","approver":""}"#),
        invalid(.approvalRecorded, "approver missing", #"{"gate":"control-plane","decision":"approved"}"#),
        invalid(.approvalRecorded, "gate missing", #"{"decision":"approved","approver":"alice"}"#),
        invalid(.approvalRecorded, "decision null", #"{"gate":"control-plane","decision":null,"approver":"alice"}"#),
        invalid(
            .approvalRecorded, "approver as a number", #"{"gate":"control-plane","decision":"approved","approver":7}"#),
        invalid(
            .approvalRecorded, "unknown field",
            #"{"gate":"control-plane","decision":"approved","approver":"alice","comment":"ok"}"#),
        invalid(.approvalRecorded, "payload is a string", #""approved""#),
    ]

    static let applyRecorded: [SchemaExample] = [
        valid(.applyRecorded, "identity succeeded", #"{"scope":"identity","outcome":"succeeded"}"#),
        valid(.applyRecorded, "infra failed", #"{"scope":"infra","outcome":"failed"}"#),
        valid(.applyRecorded, "identity failed", #"{"scope":"identity","outcome":"failed"}"#),
        valid(.applyRecorded, "infra succeeded", #"{"outcome":"succeeded","scope":"infra"}"#),
        invalid(.applyRecorded, "unknown scope", #"{"scope":"runtime","outcome":"succeeded"}"#),
        invalid(.applyRecorded, "smoke vocabulary", #"{"scope":"infra","outcome":"passed"}"#),
        invalid(.applyRecorded, "uppercase outcome", #"{"scope":"infra","outcome":"SUCCEEDED"}"#),
        invalid(.applyRecorded, "outcome missing", #"{"scope":"infra"}"#),
        invalid(.applyRecorded, "scope missing", #"{"outcome":"succeeded"}"#),
        invalid(.applyRecorded, "outcome as a boolean", #"{"scope":"infra","outcome":true}"#),
        invalid(.applyRecorded, "unknown field", #"{"scope":"infra","outcome":"succeeded","image":"\#(api)"}"#),
        invalid(.applyRecorded, "empty object", "{}"),
    ]

    static let migrationRecorded: [SchemaExample] = [
        valid(
            .migrationRecorded, "image updated", #"{"step":"image-updated","image":"\#(api)","outcome":"succeeded"}"#),
        valid(.migrationRecorded, "ran and failed", #"{"step":"ran","image":"\#(api)","outcome":"failed"}"#),
        valid(.migrationRecorded, "ran", #"{"step":"ran","image":"\#(api)","outcome":"succeeded"}"#),
        valid(
            .migrationRecorded, "registry with a port",
            #"{"step":"ran","image":"localhost:5000/api@sha256:\#(hex64)","outcome":"succeeded"}"#),
        invalid(.migrationRecorded, "unknown step", #"{"step":"applied","image":"\#(api)","outcome":"succeeded"}"#),
        invalid(
            .migrationRecorded, "tag instead of a digest",
            #"{"step":"ran","image":"ghcr.io/acme/api:latest","outcome":"succeeded"}"#),
        invalid(
            .migrationRecorded, "short digest",
            #"{"step":"ran","image":"ghcr.io/acme/api@sha256:abc123","outcome":"succeeded"}"#),
        invalid(
            .migrationRecorded, "uppercase hex",
            #"{"step":"ran","image":"ghcr.io/acme/api@sha256:\#(hex64.uppercased())","outcome":"succeeded"}"#),
        invalid(
            .migrationRecorded, "sha1 digest",
            #"{"step":"ran","image":"ghcr.io/acme/api@sha1:\#(sha)","outcome":"succeeded"}"#),
        invalid(.migrationRecorded, "image missing", #"{"step":"ran","outcome":"succeeded"}"#),
        invalid(.migrationRecorded, "image null", #"{"step":"ran","image":null,"outcome":"succeeded"}"#),
        invalid(.migrationRecorded, "smoke vocabulary", #"{"step":"ran","image":"\#(api)","outcome":"passed"}"#),
        invalid(
            .migrationRecorded, "unknown field",
            #"{"step":"ran","image":"\#(api)","outcome":"succeeded","durationSeconds":3}"#),
    ]

    static let deployRecorded: [SchemaExample] = [
        valid(.deployRecorded, "api", #"{"app":"api","image":"\#(api)","outcome":"succeeded"}"#),
        valid(.deployRecorded, "web", #"{"app":"web","image":"\#(web)","outcome":"succeeded"}"#),
        valid(.deployRecorded, "failed", #"{"app":"web","image":"\#(web)","outcome":"failed"}"#),
        valid(
            .deployRecorded, "tag kept next to the digest",
            #"{"app":"api","image":"ghcr.io/acme/api:2.0@sha256:\#(hex64)","outcome":"succeeded"}"#),
        invalid(.deployRecorded, "unknown app", #"{"app":"worker","image":"\#(api)","outcome":"succeeded"}"#),
        invalid(
            .deployRecorded, "tag instead of a digest",
            #"{"app":"web","image":"ghcr.io/acme/web:latest","outcome":"succeeded"}"#),
        invalid(.deployRecorded, "bare digest", #"{"app":"web","image":"sha256:\#(hex64)","outcome":"succeeded"}"#),
        invalid(
            .deployRecorded, "uppercase hex",
            #"{"app":"web","image":"ghcr.io/acme/web@sha256:\#(hex64.uppercased())","outcome":"succeeded"}"#),
        invalid(
            .deployRecorded, "sha1 digest",
            #"{"app":"web","image":"ghcr.io/acme/web@sha1:\#(sha)","outcome":"succeeded"}"#),
        invalid(
            .deployRecorded, "digest with a trailing space", #"{"app":"web","image":"\#(web) ","outcome":"succeeded"}"#),
        invalid(
            .deployRecorded, "image as an object", #"{"app":"web","image":{"ref":"\#(web)"},"outcome":"succeeded"}"#),
        invalid(.deployRecorded, "outcome missing", #"{"app":"web","image":"\#(web)"}"#),
        invalid(
            .deployRecorded, "unknown field", #"{"app":"web","image":"\#(web)","outcome":"succeeded","replicas":3}"#),
    ]

    static let smokeRecorded: [SchemaExample] = [
        valid(.smokeRecorded, "api passed", #"{"suite":"api","outcome":"passed"}"#),
        valid(
            .smokeRecorded, "browser failed with a trace",
            #"{"suite":"browser","outcome":"failed","evidence":[{"name":"trace","url":"https://ci.example/trace"}]}"#),
        valid(.smokeRecorded, "empty evidence", #"{"suite":"browser","outcome":"passed","evidence":[]}"#),
        valid(
            .smokeRecorded, "two pieces of evidence",
            #"{"suite":"browser","outcome":"passed","evidence":[{"name":"trace","url":"https://ci.example/t"},{"name":"video","url":"https://ci.example/v.webm"}]}"#
        ),
        invalid(.smokeRecorded, "unknown suite", #"{"suite":"e2e","outcome":"passed"}"#),
        invalid(.smokeRecorded, "deploy vocabulary", #"{"suite":"api","outcome":"succeeded"}"#),
        invalid(.smokeRecorded, "outcome missing", #"{"suite":"api"}"#),
        invalid(
            .smokeRecorded, "ftp evidence",
            #"{"suite":"api","outcome":"passed","evidence":[{"name":"log","url":"ftp://ci.example/log"}]}"#),
        invalid(
            .smokeRecorded, "evidence without name",
            #"{"suite":"api","outcome":"passed","evidence":[{"url":"https://ci.example/log"}]}"#),
        invalid(
            .smokeRecorded, "evidence as a string",
            #"{"suite":"api","outcome":"passed","evidence":"https://ci.example/log"}"#),
        invalid(.smokeRecorded, "unknown field", #"{"suite":"api","outcome":"passed","durationSeconds":12}"#),
        invalid(.smokeRecorded, "outcome null", #"{"suite":"api","outcome":null}"#),
    ]

    static let deploymentRecorded: [SchemaExample] = [
        valid(.deploymentRecorded, "nothing known", "{}"),
        valid(.deploymentRecorded, "GitHub id", #"{"deploymentId":4242}"#),
        valid(.deploymentRecorded, "string id", #"{"deploymentId":"dep-01HF3Z"}"#),
        valid(.deploymentRecorded, "id written 4242.0", #"{"deploymentId":4242.0}"#),
        valid(.deploymentRecorded, "id written 4.242e3", #"{"deploymentId":4.242e3}"#),
        valid(.deploymentRecorded, "largest exact integer", #"{"deploymentId":9007199254740991}"#),
        valid(.deploymentRecorded, "id 0", #"{"deploymentId":0}"#),
        valid(
            .deploymentRecorded, "everything",
            #"{"deploymentId":123456,"environment":"production","environmentUrl":"https://app.example.com"}"#),
        invalid(.deploymentRecorded, "empty string id", #"{"deploymentId":""}"#),
        invalid(.deploymentRecorded, "fractional id", #"{"deploymentId":4242.5}"#),
        invalid(.deploymentRecorded, "id beyond the exact range", #"{"deploymentId":9007199254740992.0}"#),
        invalid(.deploymentRecorded, "huge id", #"{"deploymentId":1e300}"#),
        invalid(.deploymentRecorded, "id as a boolean", #"{"deploymentId":true}"#),
        invalid(.deploymentRecorded, "id null", #"{"deploymentId":null}"#),
        invalid(.deploymentRecorded, "id as an array", #"{"deploymentId":[1]}"#),
        invalid(.deploymentRecorded, "URL without a scheme", #"{"environmentUrl":"app.example.com"}"#),
        invalid(.deploymentRecorded, "URL without a host", #"{"environmentUrl":"https://"}"#),
        invalid(.deploymentRecorded, "empty environment", #"{"environment":""}"#),
        invalid(.deploymentRecorded, "unknown field", #"{"deploymentId":1,"sha":"\#(sha)"}"#),
    ]

    static let verdictRecorded: [SchemaExample] = [
        valid(.verdictRecorded, "YES", #"{"decision":"YES"}"#),
        valid(.verdictRecorded, "NO with a reason", #"{"decision":"NO","reason":"smoke failed"}"#),
        valid(
            .verdictRecorded, "YES with the gate table",
            #"{"decision":"YES","gates":[{"name":"acceptance","required":true,"status":"passed"},{"name":"infra-apply","required":false,"status":"not-required"}]}"#
        ),
        valid(.verdictRecorded, "gates of any shape", #"{"decision":"NO","gates":"whatever"}"#),
        valid(.verdictRecorded, "gates null", #"{"decision":"NO","gates":null}"#),
        invalid(.verdictRecorded, "lowercase decision", #"{"decision":"yes"}"#),
        valid(.verdictRecorded, "decision left to the ledger", #"{"reason":"x"}"#),
        invalid(.verdictRecorded, "decision null", #"{"decision":null}"#),
        invalid(.verdictRecorded, "empty reason", #"{"decision":"NO","reason":""}"#),
        invalid(.verdictRecorded, "reason as a number", #"{"decision":"NO","reason":3}"#),
        invalid(.verdictRecorded, "unknown field", #"{"decision":"YES","approver":"alice"}"#),
        invalid(.verdictRecorded, "payload is an array", #"["YES"]"#),
    ]

    static let replayRequested: [SchemaExample] = [
        valid(.replayRequested, "rollback", #"{"mode":"rollback","reason":"error rate doubled"}"#),
        valid(
            .replayRequested, "replay with everything",
            #"{"mode":"replay","reason":"flaky smoke","replaces":"\#(sha)","requestedBy":"alice"}"#),
        valid(
            .replayRequested, "rollback replacing a release",
            #"{"mode":"rollback","reason":"bad deploy","replaces":"0000000000000000000000000000000000000000"}"#),
        valid(
            .replayRequested, "replay by someone", #"{"mode":"replay","reason":"infra drift","requestedBy":"ops-bot"}"#),
        valid(.replayRequested, "forced rollback", #"{"mode":"rollback","reason":"x","forced":true}"#),
        invalid(.replayRequested, "forced as text", #"{"mode":"rollback","reason":"x","forced":"yes"}"#),
        invalid(.replayRequested, "unknown mode", #"{"mode":"redeploy","reason":"x"}"#),
        invalid(.replayRequested, "mode missing", #"{"reason":"x"}"#),
        invalid(.replayRequested, "reason missing", #"{"mode":"rollback"}"#),
        invalid(.replayRequested, "empty reason", #"{"mode":"rollback","reason":""}"#),
        invalid(.replayRequested, "short SHA", #"{"mode":"rollback","reason":"x","replaces":"\#(sha.dropLast())"}"#),
        invalid(.replayRequested, "abbreviated SHA", #"{"mode":"rollback","reason":"x","replaces":"1cf2c21"}"#),
        invalid(
            .replayRequested, "uppercase SHA", #"{"mode":"rollback","reason":"x","replaces":"\#(sha.uppercased())"}"#),
        invalid(
            .replayRequested, "sha256 instead of a commit", #"{"mode":"rollback","reason":"x","replaces":"\#(hex64)"}"#),
        invalid(.replayRequested, "prefixed SHA", #"{"mode":"rollback","reason":"x","replaces":"sha1:\#(sha)"}"#),
        invalid(.replayRequested, "replaces null", #"{"mode":"rollback","reason":"x","replaces":null}"#),
        invalid(.replayRequested, "empty requestedBy", #"{"mode":"replay","reason":"x","requestedBy":""}"#),
        invalid(.replayRequested, "unknown field", #"{"mode":"replay","reason":"x","sha":"\#(sha)"}"#),
    ]

    static let all: [SchemaExample] =
        candidateFrozen + acceptanceRecorded + readinessRecorded + identityPreflightRecorded + approvalRecorded
        + applyRecorded
        + migrationRecorded + deployRecorded + smokeRecorded + deploymentRecorded + verdictRecorded + replayRequested
}

// MARK: - Tests

@Suite("Event schemas agree with EventCatalog")
struct EventSchemaAgreementTests {
    @Test("every event type has a schema file and every schema file has a type")
    func schemaFilesMatchEventTypes() throws {
        let files = Set(try EventSchemas.fileNames())
        let expected = Set(EventType.allCases.map(EventSchemas.fileName(of:)))
        #expect(files.subtracting(expected).isEmpty, "schema files without an event type")
        #expect(expected.subtracting(files).isEmpty, "event types without a schema file")
    }

    @Test("each schema is a draft 2020-12 object schema naming its type", arguments: EventType.allCases)
    func schemaHeader(_ type: EventType) throws {
        let schema = try EventSchemas.document(named: EventSchemas.fileName(of: type))
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(
            schema["$id"]?.stringValue
                == "https://release-ledger.dev/schema/events/\(type.rawValue)/v\(type.schemaVersion).json")
        #expect(schema["title"]?.stringValue?.isEmpty == false)
        #expect(schema["description"]?.stringValue?.isEmpty == false)
        #expect(schema["type"] == "object")
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"]?.arrayValue != nil)
        _ = try EventSchemas.validator(for: type)  // only supported keywords, patterns compile
        for (location, pattern) in patterns(in: schema, at: "#") {
            #expect(pattern.hasPrefix("^"), "\(location): a pattern is searched for, so it must anchor itself")
        }
    }

    /// The schema's fields, required fields and enums are the Swift shape's, all the way down.
    @Test("each schema has the fields and enums of the Swift shape", arguments: EventType.allCases)
    func schemaMirrorsShape(_ type: EventType) throws {
        let schema = try EventSchemas.document(named: EventSchemas.fileName(of: type))
        compare(EventCatalog.shape(of: type), with: schema, at: type.rawValue)
    }

    @Test("Swift and the schema agree", arguments: SchemaExamples.all)
    func agree(_ example: SchemaExample) throws {
        let data = try JSONParser.parse(example.json, field: "data")
        var swiftError: LedgerError?
        do { try EventCatalog.validate(type: example.type.rawValue, sha: SchemaExamples.sha, data: data) } catch {
            swiftError = error
        }
        let schemaErrors = try EventSchemas.validator(for: example.type).errors(in: data)

        switch example.verdict {
        case .valid:
            #expect(swiftError == nil, "Swift rejects: \(swiftError.map(String.init(describing:)) ?? "")")
            #expect(schemaErrors.isEmpty, "schema rejects: \(schemaErrors.joined(separator: "; "))")
        case .invalid:
            #expect(swiftError != nil, "Swift accepts")
            #expect(!schemaErrors.isEmpty, "schema accepts")
        case .swiftOnlyInvalid:
            #expect(schemaErrors.isEmpty, "schema rejects: \(schemaErrors.joined(separator: "; "))")
            guard case .invalidInput(let field, let rule) = swiftError else {
                Issue.record(
                    "Swift accepts (or fails differently): \(swiftError.map(String.init(describing:)) ?? "accepted")")
                return
            }
            #expect(
                field == "data.status" && rule.contains("contract"),
                "Swift rejects for another reason: \(field): \(rule)")
        }
    }

    @Test("enough examples of each kind for every type", arguments: EventType.allCases)
    func coverage(_ type: EventType) {
        let examples = SchemaExamples.all.filter { $0.type == type }
        #expect(examples.filter { $0.verdict == .valid }.count >= 4)
        #expect(examples.filter { $0.verdict == .invalid }.count >= 6)
    }

    /// RFC 3339 allows any number of fractional digits; the schema accepts them.
    @Test("the schema accepts a date-time with more than three fractional digits")
    func longFractionSchemaSide() throws {
        let validator = try EventSchemas.validator(for: .readinessRecorded)
        for time in ["2026-11-29T02:00:00.1234Z", "2026-11-29T02:00:00.123456789+01:00"] {
            #expect(validator.isValid(try JSONParser.parse(SchemaExamples.canary(time))), "\(time)")
        }
    }

    @Test("Swift accepts a date-time with microseconds, truncated to milliseconds")
    func timestampWithMicroseconds() throws {
        let data: JSONValue = [
            "check": "entra-canary", "status": "pass", "lastGreenAt": "2026-11-29T02:00:00.123456Z", "sloHours": 24,
        ]
        try EventCatalog.validate(
            type: "readiness.recorded", sha: "1cf2c211f67f12a6982d6f3dd5471aa3cfb2a64b", data: data)
        #expect(Timestamp(rfc3339: "2026-11-29T02:00:00.123456Z")?.description == "2026-11-29T02:00:00.123Z")
        #expect(Timestamp(rfc3339: "2026-11-29T02:00:00.1Z")?.description == "2026-11-29T02:00:00.100Z")
    }

    /// Beyond the hand-picked examples: thousands of generated values for each format, from grids
    /// around the edges and seeded random edits of valid values, through both sides.
    @Test("format checks agree on generated values", arguments: FormatProbe.allCases)
    func formatsAgree(_ probe: FormatProbe) throws {
        let validator = try EventSchemas.validator(for: probe.type)
        var disagreements: [String] = []
        let values = probe.values()
        for value in values {
            let data = probe.payload(value)
            let swift =
                (try? EventCatalog.validate(type: probe.type.rawValue, sha: SchemaExamples.sha, data: data)) != nil
            let schema = validator.isValid(data)
            if swift != schema {
                disagreements.append(
                    "\(FormatProbe.describe(value)): Swift \(swift ? "accepts" : "rejects"), schema \(schema ? "accepts" : "rejects")"
                )
            }
        }
        let count = disagreements.count
        #expect(values.count >= 100)
        #expect(
            count == 0,
            "\(count) of \(values.count) disagree, e.g.\n\(disagreements.prefix(12).joined(separator: "\n"))")
    }

    // MARK: Helpers

    private func patterns(in schema: JSONValue, at location: String) -> [(String, String)] {
        switch schema {
        case .object(let object):
            return object.flatMap { member -> [(String, String)] in
                if member.key == "pattern", let p = member.value.stringValue { return [(location, p)] }
                return patterns(in: member.value, at: "\(location)/\(member.key)")
            }
        case .array(let list):
            return list.enumerated().flatMap { patterns(in: $1, at: "\(location)/\($0)") }
        default:
            return []
        }
    }

    private func compare(_ shape: PayloadShape, with schema: JSONValue, at path: String) {
        switch shape {
        case .object(let fields):
            #expect(schema["type"] == "object", "\(path): schema type")
            #expect(schema["additionalProperties"] == false, "\(path): additionalProperties")
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            #expect(Set(properties.keys) == Set(fields.map(\.name)), "\(path): fields")
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(required == Set(fields.filter(\.required).map(\.name)), "\(path): required fields")
            for field in fields {
                if let property = properties[field.name] {
                    compare(field.shape, with: property, at: "\(path).\(field.name)")
                }
            }
        case .array(let element, let minItems):
            #expect(schema["type"] == "array", "\(path): schema type")
            #expect((schema["minItems"]?.intValue ?? 0) == Int64(minItems), "\(path): minItems")
            compare(element, with: schema["items"] ?? true, at: "\(path)[]")
        case .oneOf(let allowed):
            let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(values == allowed, "\(path): enum")
        default:
            break
        }
    }
}

/// The validator itself, on the points where a naive one goes wrong.
@Suite("MiniJSONSchemaValidator")
struct MiniJSONSchemaValidatorTests {
    func validator(_ schema: String) throws -> MiniJSONSchemaValidator {
        try MiniJSONSchemaValidator(JSONParser.parse(schema))
    }

    @Test func refusesUnsupportedKeywords() throws {
        #expect(throws: MiniJSONSchemaValidator.UnsupportedSchema.self) {
            try validator(#"{"type":"string","maxContains":1}"#)
        }
        #expect(throws: MiniJSONSchemaValidator.UnsupportedSchema.self) {
            try validator(##"{"properties":{"a":{"$ref":"#/x"}}}"##)
        }
        #expect(throws: MiniJSONSchemaValidator.UnsupportedSchema.self) { try validator(#"{"pattern":"(unclosed"}"#) }
    }

    @Test func integerIncludesIntegralDoubles() throws {
        let v = try validator(#"{"type":"integer"}"#)
        #expect(v.isValid(try JSONParser.parse("1.0")))
        #expect(v.isValid(try JSONParser.parse("1e3")))
        #expect(!v.isValid(try JSONParser.parse("1.5")))
        #expect(!v.isValid(try JSONParser.parse(#""1""#)))
    }

    @Test func typeArrays() throws {
        let v = try validator(#"{"type":["string","null"],"minLength":1}"#)
        #expect(v.isValid(.null))
        #expect(v.isValid("x"))
        #expect(!v.isValid(""))
        #expect(!v.isValid(1))
    }

    @Test func patternsAreSearchedPerScalar() throws {
        #expect(try validator(#"{"pattern":"b"}"#).isValid("abc"))
        let anchored = try validator(#"{"pattern":"^[a-z]$"}"#)
        #expect(anchored.isValid("a"))
        #expect(!anchored.isValid("a\n"))
        #expect(!anchored.isValid("a\u{301}"))  // two code points, though one Character
        let digit = try validator(#"{"pattern":"^\\d$"}"#)
        #expect(!digit.isValid("\u{663}"))  // ECMA-262 \d is ASCII
    }

    @Test func lengthsCountCodePoints() throws {
        let v = try validator(#"{"maxLength":1}"#)
        #expect(v.isValid("\u{1F600}"))
        #expect(!v.isValid("e\u{301}"))
    }

    @Test func enumComparesCodePoints() throws {
        let v = try validator(#"{"enum":["\u00e9",1]}"#)
        #expect(v.isValid("\u{e9}"))
        #expect(!v.isValid("e\u{301}"))  // equal as Swift Strings, not as JSON strings
        #expect(v.isValid(1.0))
    }

    @Test func conditionalsAndCombinators() throws {
        let v = try validator(
            #"{"if":{"properties":{"k":{"const":"a"}},"required":["k"]},"then":{"required":["x"]},"else":{"required":["y"]}}"#
        )
        #expect(v.isValid(["k": "a", "x": 1]))
        #expect(!v.isValid(["k": "a", "y": 1]))
        #expect(v.isValid(["k": "b", "y": 1]))
        #expect(!v.isValid([:]))
        let one = try validator(#"{"oneOf":[{"type":"number"},{"type":"integer"}]}"#)
        #expect(one.isValid(1.5))
        #expect(!one.isValid(1))  // matches both
        let any = try validator(#"{"anyOf":[{"type":"number"},{"type":"integer"}]}"#)
        #expect(any.isValid(1))
    }

    @Test func additionalPropertiesAndItems() throws {
        let v = try validator(
            #"{"type":"object","properties":{"a":{"type":"array","minItems":1,"items":{"type":"string"}}},"additionalProperties":false}"#
        )
        #expect(v.isValid(["a": ["x"]]))
        #expect(!v.isValid(["a": []]))
        #expect(!v.isValid(["a": [1]]))
        #expect(!v.isValid(["a": ["x"], "b": 1]))
    }
}

// MARK: - Generated values

/// A format of `PayloadShape`, probed through a field of an event that uses it.
enum FormatProbe: String, CaseIterable, Sendable {
    case timestamp, digestRef, httpURL, commitSHA, identifier, positiveNumber

    var type: EventType {
        switch self {
        case .timestamp, .positiveNumber: .readinessRecorded
        case .digestRef: .deployRecorded
        case .httpURL, .identifier: .deploymentRecorded
        case .commitSHA: .replayRequested
        }
    }

    func payload(_ value: JSONValue) -> JSONValue {
        switch self {
        case .timestamp: ["check": "entra-canary", "status": "pass", "lastGreenAt": value, "sloHours": 24]
        case .positiveNumber:
            ["check": "entra-canary", "status": "pass", "lastGreenAt": "2026-11-29T02:00:00Z", "sloHours": value]
        case .digestRef: ["app": "api", "image": value, "outcome": "succeeded"]
        case .httpURL: ["environmentUrl": value]
        case .identifier: ["deploymentId": value]
        case .commitSHA: ["mode": "rollback", "reason": "x", "replaces": value]
        }
    }

    func values() -> [JSONValue] {
        var random = SplitMix64(seed: UInt64(rawValue.utf8.count) &* 0x9E37_79B9)
        switch self {
        case .timestamp:
            var strings: [String] = []
            for year in ["0000", "1900", "1996", "2000", "2023", "2024", "2100", "2400", "9999"] {
                for month in 0...13 {
                    for day in 0...32 { strings.append("\(year)-\(Self.two(month))-\(Self.two(day))T12:00:00Z") }
                }
            }
            for hour in ["00", "09", "23", "24", "25", "1", "99"] {
                for minute in ["00", "59", "60"] {
                    for second in ["00", "59", "60"] {
                        for fraction in ["", ".", ".5", ".12", ".123", ".1a"] {
                            for zone in ["Z", "z", "+00:00", "-23:59", "+24:00", "+12:60", "+0100", "", "+1:00", " Z"] {
                                strings.append("2026-11-29T\(hour):\(minute):\(second)\(fraction)\(zone)")
                            }
                        }
                    }
                }
            }
            strings += ["2026-11-29", "2026-11-29T", "2026-11-29t12:00:00Z", "2026-11-29 12:00:00Z", "", "Z"]
            strings += random.edits(
                of: "2026-02-28T19:08:57.123+02:00", alphabet: Array("0123456789-:T.Z+z t\u{301}\u{e9}"), count: 3000)
            return strings.map { .string($0) }
        case .digestRef:
            let hex = SchemaExamples.hex64
            var strings: [String] = []
            let pieces = ["a", "z", "0", "9", ".", "_", "-", "/", ":", "A", "@", " ", "\u{e9}", "\u{301}", "__", "ab"]
            for _ in 0..<2000 {
                let repository = (0..<random.next(upTo: 7)).map { _ in pieces[random.next(upTo: pieces.count)] }
                    .joined()
                strings.append("\(repository)@sha256:\(hex)")
            }
            strings += random.edits(
                of: "ghcr.io/acme-corp/api_v2:5000@sha256:\(hex)", alphabet: Array("a0.:/_-@A Fg\u{301}"), count: 2000)
            for length in [1, 2, 254, 255, 256, 300] {
                strings.append(String(repeating: "a", count: length) + "@sha256:" + hex)
                strings.append(String(repeating: "a.", count: length / 2) + "b@sha256:" + hex)
            }
            strings += ["sha256:\(hex)", "a@sha256:", "a@sha256:\(hex)\n", "a@SHA256:\(hex)", "a@sha512:\(hex)\(hex)"]
            return strings.map { .string($0) }
        case .httpURL:
            let schemes = [
                "http://", "https://", "HTTP://", "Https://", "http:/", "http:", "ftp://", "", "https:///",
                "http://\u{301}", "https:// ", "https://\u{301}/",
            ]
            let alphabet: [Character] = Array("a/.:?#@-\t\n\r\u{0}\u{1f} \u{7f}\u{a0}\u{e9}\u{301}\u{2028}%")
            var strings: [String] = []
            for scheme in schemes {
                for _ in 0..<200 {
                    strings.append(
                        scheme
                            + String(
                                (0..<random.next(upTo: 5)).map { _ in alphabet[random.next(upTo: alphabet.count)] }))
                }
            }
            strings += random.edits(of: "https://app.example.com/x?y=1", alphabet: alphabet, count: 1000)
            return strings.map { .string($0) }
        case .commitSHA:
            let sha = SchemaExamples.sha
            var strings = random.edits(of: sha, alphabet: Array("0123456789abcdefABFg \n\u{301}"), count: 2000)
            strings += [
                sha, String(sha.dropLast()), sha + "0", sha.uppercased(), "", String(repeating: "f", count: 40),
            ]
            return strings.map { .string($0) }
        case .identifier:
            var values: [JSONValue] = [
                .null, true, false, "", "x", "0", [], [:], .number(.integer(0)), .number(.integer(-1)),
                .number(.integer(9_007_199_254_740_991)), .number(.integer(-9_007_199_254_740_991)),
                .number(.double(0)), .number(.double(-0.0)), .number(.double(1)), .number(.double(1.5)),
                .number(.double(-2)),
                .number(.double(9_007_199_254_740_991)), .number(.double(9_007_199_254_740_992)),
                .number(.double(-9_007_199_254_740_992)), .number(.double(1e300)), .number(.double(-1e300)),
                .number(.double(5e-324)), .number(.double(0.1)),
            ]
            for _ in 0..<500 { values.append(.number(.integer(Int64(random.next(upTo: 1 << 40)) - (1 << 39)))) }
            for _ in 0..<500 {
                values.append(.number(.double(Double(Int64(random.next(upTo: 1 << 20)) - (1 << 19)) / 4)))
            }
            return values
        case .positiveNumber:
            var values: [JSONValue] = [
                .null, "1", true, [], .number(.integer(0)), .number(.integer(1)), .number(.integer(-1)),
                .number(.double(0)),
                .number(.double(-0.0)), .number(.double(5e-324)), .number(.double(-5e-324)), .number(.double(1e300)),
                .number(.double(0.5)),
            ]
            for _ in 0..<500 {
                values.append(.number(.double(Double(Int64(random.next(upTo: 1 << 20)) - (1 << 19)) / 1024)))
            }
            return values
        }
    }

    /// A value as a person reads it in a failure: strings with escapes, numbers with their kind.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): String(reflecting: s)
        case .number(.integer(let i)): "integer \(i)"
        case .number(.double(let d)): "double \(d)"
        default: CanonicalJSON.encode(value)
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

/// A small seeded generator (SplitMix64), so generated values are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `count` copies of `value`, each with one to three random edits (replace, insert or delete a scalar).
    mutating func edits(of value: String, alphabet: [Character], count: Int) -> [String] {
        (0..<count).map { _ in
            var scalars = Array(value.unicodeScalars)
            for _ in 0...next(upTo: 3) {
                let position = next(upTo: scalars.count + 1)
                let replacement = alphabet[next(upTo: alphabet.count)].unicodeScalars
                switch next(upTo: 3) {
                case 0 where position < scalars.count: scalars.replaceSubrange(position...position, with: replacement)
                case 1: scalars.insert(contentsOf: replacement, at: position)
                default: if position < scalars.count { scalars.remove(at: position) }
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            return String(text)
        }
    }
}
