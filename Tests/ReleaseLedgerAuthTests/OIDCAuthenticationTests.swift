import Foundation
import OIDCTestSupport
import ReleaseLedgerAuth
import ReleaseLedgerCore
import Testing

/// GitHub Actions OIDC ID tokens, signed by RSA and EC keys made here, against a JWKS file.
@Suite struct OIDCAuthenticationTests {
    static let rsa = try! OIDCTestKey.rsa(kid: "rsa-1")
    static let ec = OIDCTestKey.ec(kid: "ec-1")
    static let policy = try! AccessPolicy(json: Array(AccessPolicyTests.file.utf8))

    let folder = FileManager.default.temporaryDirectory.path + "/release-ledger-oidc-" + UUID().uuidString
    var jwksPath: String { folder + "/jwks.json" }

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try GitHubOIDC.writeJWKS([Self.rsa, Self.ec], to: jwksPath)
    }

    func authenticator(jwks: JWKSLocation? = nil, refreshSeconds: Int64 = 0) throws -> Authenticator {
        let oidc = OIDCConfiguration(
            issuer: GitHubOIDC.issuer, audience: GitHubOIDC.audience, jwks: jwks ?? .file(jwksPath),
            minimumRefreshSeconds: refreshSeconds)
        return try Authenticator(.init(oidc: oidc, policy: Self.policy))
    }

    func failure(_ token: String, _ authenticator: Authenticator? = nil) async throws -> AuthFailure? {
        let result = await (try authenticator ?? self.authenticator()).authenticate(authorization: "Bearer \(token)")
        guard case .failure(let failure) = result else { return nil }
        #expect(!failure.message.contains(token) && !failure.message.contains(token.prefix(20)))
        return failure
    }

    @Test(arguments: ["rsa-1", "ec-1"])
    func aGitHubTokenIsItsClaimsWithThePolicysScopes(_ kid: String) async throws {
        let key = kid == "rsa-1" ? Self.rsa : Self.ec
        let token = try GitHubOIDC.mint(GitHubOIDC.claims(actor: "alice", runID: "4242", runAttempt: "2"), key: key)
        let identity = try await authenticator().authenticate(authorization: "Bearer \(token)").get()
        #expect(identity.subject == "repo:acme/app:environment:production")
        #expect(identity.scopes == [.production, .audit])
        #expect(
            identity.claims == [
                "via": "github-oidc", "actor": "alice", "repository": "acme/app", "runId": "4242", "runAttempt": "2",
                "environment": "production", "ref": "refs/heads/main",
                "workflowRef": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
            ])
    }

    @Test(arguments: ["rsa-1", "ec-1"])
    func aForgedTokenIs401(_ kid: String) async throws {
        // The forger knows the key id but signs with a key of its own.
        let forger = kid == "rsa-1" ? try OIDCTestKey.rsa(kid: kid) : OIDCTestKey.ec(kid: kid)
        let forged = try GitHubOIDC.mint(GitHubOIDC.claims(), key: forger)
        #expect(try await failure(forged) == .unauthenticated("the ID token's signature does not verify"))
        // A real token whose claims were edited after signing.
        let real = try GitHubOIDC.mint(
            GitHubOIDC.claims(environment: "acceptance"), key: kid == "rsa-1" ? Self.rsa : Self.ec)
        let parts = real.split(separator: ".")
        let edited =
            parts[0] + "." + OIDCTestKey.base64URL(Array(CanonicalJSON.encode(GitHubOIDC.claims()).utf8)) + "."
            + parts[2]
        #expect(try await failure(String(edited)) == .unauthenticated("the ID token's signature does not verify"))
    }

    @Test func expiredNotYetValidWrongAudienceAndWrongIssuerAre401() async throws {
        let now = Date()
        let cases: [(JSONValue, String)] = [
            (GitHubOIDC.claims(issuedAt: now.addingTimeInterval(-600), lifetime: 300), "the ID token expired at "),
            (
                GitHubOIDC.claims(overrides: ["nbf": .number(.integer(Int64(now.timeIntervalSince1970) + 300))]),
                "the ID token is not valid before "
            ),
            (GitHubOIDC.claims(audience: "https://github.com/acme"), "the ID token's audience is not release-ledger"),
            (
                GitHubOIDC.claims(issuer: "https://token.actions.example.com"),
                "the ID token's issuer is not https://token.actions.githubusercontent.com"
            ),
            (GitHubOIDC.claims(overrides: ["exp": .null]), "the ID token has no expiry (exp)"),
            (GitHubOIDC.claims(overrides: ["exp": "tomorrow"]), "the ID token has no expiry (exp)"),
        ]
        for (claims, message) in cases {
            for key in [Self.rsa, Self.ec] {
                let refused = try await failure(try GitHubOIDC.mint(claims, key: key))
                #expect(refused?.httpStatus == 401)
                #expect(refused?.message.hasPrefix(message) == true, "\(String(describing: refused))")
            }
        }
    }

    @Test func clockSkewWithinTheLeewayIsAccepted() async throws {
        let now = Date()
        // Expired 30 s ago, or valid from 30 s from now: inside the 60 s leeway.
        let late = GitHubOIDC.claims(issuedAt: now.addingTimeInterval(-330), lifetime: 300)
        let early = GitHubOIDC.claims(overrides: ["nbf": .number(.integer(Int64(now.timeIntervalSince1970) + 30))])
        for claims in [late, early] {
            #expect(try await failure(try GitHubOIDC.mint(claims, key: Self.rsa)) == nil)
        }
    }

    @Test func anAudienceListContainingOursIsAccepted() async throws {
        let claims = GitHubOIDC.claims(overrides: ["aud": ["https://github.com/acme", .string(GitHubOIDC.audience)]])
        #expect(try await failure(try GitHubOIDC.mint(claims, key: Self.ec)) == nil)
    }

    @Test func algorithmsOtherThanRS256AndES256AreRefused() async throws {
        for algorithm in ["none", "HS256", "RS384", "PS256"] {
            let token = try GitHubOIDC.mint(GitHubOIDC.claims(), key: Self.rsa, algorithm: algorithm)
            #expect(try await failure(token) == .unauthenticated("the ID token's algorithm must be RS256 or ES256"))
        }
    }

    @Test func anUnknownKeyIdIs401UntilTheProviderPublishesTheKey() async throws {
        let rotated = try OIDCTestKey.rsa(kid: "rsa-2")
        let token = try GitHubOIDC.mint(GitHubOIDC.claims(), key: rotated)
        let authenticator = try authenticator()
        #expect(
            try await failure(token, authenticator)
                == .unauthenticated("the ID token's signing key 'rsa-2' is not in the provider's JWKS"))
        try GitHubOIDC.writeJWKS([Self.rsa, Self.ec, rotated], to: jwksPath)
        #expect(try await failure(token, authenticator) == nil, "the keys are loaded again for an unknown kid")
        // A key id never published is still refused, and does not reach jwt-kit's default key.
        let stranger = try GitHubOIDC.mint(GitHubOIDC.claims(), key: Self.rsa, kid: "made-up")
        #expect(
            try await failure(stranger, authenticator)
                == .unauthenticated("the ID token's signing key 'made-up' is not in the provider's JWKS"))
    }

    @Test func unknownKeyIdsDoNotReloadTheKeysMoreThanOncePerInterval() async throws {
        let authenticator = try authenticator(refreshSeconds: 3600)
        // loads once
        #expect(try await failure(try GitHubOIDC.mint(GitHubOIDC.claims(), key: Self.rsa), authenticator) == nil)
        let rotated = OIDCTestKey.ec(kid: "ec-2")
        try GitHubOIDC.writeJWKS([rotated], to: jwksPath)
        let token = try GitHubOIDC.mint(GitHubOIDC.claims(), key: rotated)
        #expect(
            try await failure(token, authenticator)?.httpStatus == 401, "loaded less than an hour ago: not loaded again"
        )
        #expect(
            try await failure(token, try self.authenticator(refreshSeconds: 3600)) == nil, "a fresh server loads it")
    }

    @Test func aTokenNoPolicyRuleMatchesIs403() async throws {
        let claims = GitHubOIDC.claims(repository: "acme/app", environment: "staging")
        let refused = try await failure(try GitHubOIDC.mint(claims, key: Self.rsa))
        #expect(
            refused
                == .forbidden(
                    "no policy rule gives a scope to repo:acme/app:environment:staging (repository acme/app, environment staging, "
                        + "ref refs/heads/main, job_workflow_ref acme/app/.github/workflows/deploy.yml@refs/heads/main)"
                ))
        let otherRepository = try GitHubOIDC.mint(GitHubOIDC.claims(repository: "mallory/app"), key: Self.ec)
        #expect(try await failure(otherRepository)?.httpStatus == 403)
    }

    @Test func malformedTokensAre401() async throws {
        for token in ["eyJ", "a.b.c", "a.b", "....", "eyJhbGciOiJSUzI1NiJ9.e30.", String(repeating: "x", count: 5000)] {
            #expect(try await failure(token)?.httpStatus == 401, "\(token.prefix(20))")
        }
    }

    @Test func aMissingJWKSIs503AndAConfigurationWithoutPolicyIsRefused() async throws {
        let missing = try authenticator(jwks: .file(folder + "/nowhere.json"))
        let refused = try await failure(try GitHubOIDC.mint(GitHubOIDC.claims(), key: Self.rsa), missing)
        #expect(refused?.httpStatus == 503)
        #expect(refused?.message.hasPrefix("cannot load the OIDC signing keys from \(folder)/nowhere.json") == true)
        let oidc = OIDCConfiguration(issuer: GitHubOIDC.issuer, audience: "x", jwks: .file(jwksPath))
        #expect(throws: LedgerError.self) { try Authenticator(.init(oidc: oidc)) }
        #expect(throws: LedgerError.self) {
            try Authenticator(
                .init(
                    oidc: OIDCConfiguration(issuer: "github", audience: "x", jwks: .file(jwksPath)), policy: Self.policy
                ))
        }
    }
}
