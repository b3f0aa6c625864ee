import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns a request's `Authorization` header into a verified identity, or says why not.
///
/// - `Bearer rlt_…`: a static token (`release-ledger token create`), looked up by its SHA-256 in
///   the current `TokenTable` in constant time; refused when revoked or expired.
/// - `Bearer eyJ…`: a GitHub Actions OIDC ID token, verified against the configured issuer,
///   audience and JWKS; its claims get the scopes of the policy rules they match.
///
/// The server then asks the identity whether it may take the request's actions
/// (`VerifiedIdentity.refusal(for:)`, or `authorize` here) and records it with each event.
public struct Authenticator: Sendable {
    public struct Configuration: Sendable {
        /// The current token table (the server folds the ledger's token events); nil: no static tokens.
        public var tokens: (@Sendable () async throws -> TokenTable)?
        public var oidc: OIDCConfiguration?
        /// The claims-to-scopes rules for OIDC tokens; required with `oidc`.
        public var policy: AccessPolicy?
        /// The clock tokens' expiry is judged by.
        public var now: @Sendable () -> Timestamp

        public init(
            tokens: (@Sendable () async throws -> TokenTable)? = nil, oidc: OIDCConfiguration? = nil,
            policy: AccessPolicy? = nil,
            now: @escaping @Sendable () -> Timestamp = Authenticator.systemNow
        ) {
            self.tokens = tokens
            self.oidc = oidc
            self.policy = policy
            self.now = now
        }
    }

    let configuration: Configuration
    let verifier: GitHubOIDCVerifier?

    /// Refuses a configuration that could never let an OIDC token in, or would let any in.
    public init(_ configuration: Configuration) throws(LedgerError) {
        if configuration.oidc != nil, configuration.policy == nil {
            throw .usage(
                "--oidc-issuer needs --policy FILE: the policy says which repositories and environments get which scopes"
            )
        }
        if let oidc = configuration.oidc {
            for (flag, value) in [
                ("--oidc-issuer", oidc.issuer), ("--oidc-audience", oidc.audience),
                ("--oidc-jwks", oidc.jwks.description),
            ]
            where value.isEmpty {
                throw .usage("\(flag) must not be empty")
            }
            guard oidc.issuer.hasPrefix("https://") || oidc.issuer.hasPrefix("http://") else {
                throw .usage("--oidc-issuer must be the issuer's URL, e.g. https://token.actions.githubusercontent.com")
            }
        }
        self.configuration = configuration
        verifier = configuration.oidc.map(GitHubOIDCVerifier.init(configuration:))
    }

    /// The identity behind `Authorization: Bearer …`, or 401 (nothing or nothing valid), 403 (a
    /// valid OIDC token that no policy rule gives a scope), 503 (the keys or tokens cannot be read).
    public func authenticate(authorization: String?) async -> Result<VerifiedIdentity, AuthFailure> {
        guard let authorization, !authorization.isEmpty else {
            return .failure(.unauthenticated("a credential is required: Authorization: Bearer <token>"))
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .failure(.unauthenticated("the Authorization header must be Bearer <token>"))
        }
        let credential = String(
            parts[1].drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        let now = configuration.now()
        if credential.hasPrefix(StaticToken.prefix) {
            guard let tokens = configuration.tokens else {
                return .failure(.unauthenticated("this server accepts no static tokens"))
            }
            let table: TokenTable
            do { table = try await tokens() } catch { return .failure(.unavailable("cannot read the token table")) }
            return table.identity(forToken: credential, at: now).mapError { .unauthenticated($0.description) }
        }
        guard let verifier, let policy = configuration.policy else {
            return .failure(
                .unauthenticated(
                    "the bearer token is not a release-ledger token, and this server accepts no OIDC tokens"))
        }
        let claims: JSONObject
        switch await verifier.verify(credential, now: now) {
        case .success(let verified): claims = verified
        case .failure(let failure): return .failure(failure)
        }
        return Self.identity(claims: claims, policy: policy)
    }

    /// Whether the identity may take every one of `actions` (a batch is judged whole): 403 if not.
    public func authorize(_ identity: VerifiedIdentity, for actions: [LedgerAction]) -> AuthFailure? {
        identity.refusal(for: actions).map { .forbidden($0) }
    }

    /// An OIDC token's identity: its subject, the scopes of the policy rules its claims match,
    /// and the claims the ledger records. A token no rule matches is forbidden.
    static func identity(claims: JSONObject, policy: AccessPolicy) -> Result<VerifiedIdentity, AuthFailure> {
        var strings: [String: String] = [:]
        for (key, value) in claims { if let text = value.stringValue { strings[key] = text } }
        let subject = strings["sub"] ?? ""
        let scopes = policy.scopes(for: strings)
        guard !scopes.isEmpty else {
            let shown = AccessPolicy.claimNames.map {
                "\($0) \(strings[$0].map { EventCatalog.printable($0) } ?? "(none)")"
            }
            return .failure(
                .forbidden(
                    "no policy rule gives a scope to \(EventCatalog.printable(subject)) (\(shown.joined(separator: ", ")))"
                ))
        }
        var recorded = ["via": "github-oidc"]
        let names = [
            ("actor", "actor"), ("repository", "repository"), ("runId", "run_id"), ("runAttempt", "run_attempt"),
            ("environment", "environment"), ("ref", "ref"),
        ]
        for (name, claim) in names { recorded[name] = strings[claim] }
        // The reusable workflow that runs the job when there is one: what a policy pins down.
        recorded["workflowRef"] = strings["job_workflow_ref"] ?? strings["workflow_ref"]
        return .success(VerifiedIdentity(subject: subject, scopes: scopes, claims: recorded))
    }

    public static let systemNow: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
