import Foundation
import ReleaseLedgerCore

/// GitHub Actions OIDC ID tokens and JWKS files, made in a test: what a job with
/// `permissions: id-token: write` gets from `ACTIONS_ID_TOKEN_REQUEST_URL`, signed by keys the
/// test holds. For the authenticator's tests and the server's end-to-end tests.
public enum GitHubOIDC {
    public static let issuer = "https://token.actions.githubusercontent.com"
    public static let audience = "release-ledger"

    /// The claims of a job's token, shaped as GitHub issues them; `overrides` replace or add
    /// claims (a value of `.null` removes one).
    public static func claims(
        repository: String = "acme/app", environment: String? = "production", ref: String = "refs/heads/main",
        actor: String = "alice", runID: String = "4242", runAttempt: String = "1", audience: String = audience,
        issuer: String = issuer, issuedAt: Date = Date(), lifetime: TimeInterval = 300,
        overrides: [String: JSONValue] = [:]
    ) -> JSONValue {
        let owner = String(repository.prefix { $0 != "/" })
        let workflow = "\(repository)/.github/workflows/deploy.yml@\(ref)"
        let subject = environment.map { "repo:\(repository):environment:\($0)" } ?? "repo:\(repository):ref:\(ref)"
        let seconds = Int64(issuedAt.timeIntervalSince1970)
        var claims: [(String, JSONValue)] = [
            ("jti", .string(UUID().uuidString.lowercased())), ("sub", .string(subject)), ("aud", .string(audience)),
            ("ref", .string(ref)), ("sha", .string(String(repeating: "a", count: 40))),
            ("repository", .string(repository)),
            ("repository_owner", .string(owner)), ("repository_id", "123456"), ("repository_owner_id", "7890"),
            ("repository_visibility", "private"), ("run_id", .string(runID)), ("run_number", "17"),
            ("run_attempt", .string(runAttempt)),
            ("runner_environment", "github-hosted"), ("actor", .string(actor)), ("actor_id", "1001"),
            ("workflow", "deploy"),
            ("workflow_ref", .string(workflow)), ("workflow_sha", .string(String(repeating: "a", count: 40))),
            ("job_workflow_ref", .string(workflow)), ("job_workflow_sha", .string(String(repeating: "a", count: 40))),
            ("head_ref", ""), ("base_ref", ""), ("event_name", "push"), ("ref_type", "branch"),
            ("ref_protected", "true"),
            ("iss", .string(issuer)), ("nbf", .number(.integer(seconds - 5))), ("iat", .number(.integer(seconds))),
            ("exp", .number(.integer(seconds + Int64(lifetime)))),
        ]
        if let environment { claims.append(("environment", .string(environment))) }
        var object = JSONObject(claims)
        for (key, value) in overrides { object[key] = value.isNull ? nil : value }
        return .object(object)
    }

    /// A token signed by `key`; `kid` and `algorithm` override what the header says.
    public static func mint(_ claims: JSONValue, key: OIDCTestKey, kid: String? = nil, algorithm: String? = nil) throws
        -> String
    {
        try key.sign(
            header: [
                "alg": .string(algorithm ?? key.algorithm.rawValue), "kid": .string(kid ?? key.kid), "typ": "JWT",
            ], claims: claims)
    }

    /// The provider's JWKS document for `keys` (their public halves).
    public static func jwks(_ keys: [OIDCTestKey]) throws -> String {
        CanonicalJSON.encode(["keys": .array(try keys.map { try $0.publicJWK() })])
    }

    /// Writes the JWKS to `path`, replacing the file whole (a reader never sees half of it).
    public static func writeJWKS(_ keys: [OIDCTestKey], to path: String) throws {
        let temporary = path + ".tmp-" + UUID().uuidString
        try Data(try jwks(keys).utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
