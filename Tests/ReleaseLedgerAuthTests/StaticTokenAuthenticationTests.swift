import EventStoreConformance
import ReleaseLedgerAuth
import ReleaseLedgerCore
import Testing

/// Bearer static tokens against the ledger's token events: hash, revocation, expiry.
@Suite struct StaticTokenAuthenticationTests {
    let store = InMemoryEventStore(engine: Fixtures.engine())
    let now = Fixtures.start.adding(milliseconds: 3_600_000)

    func grant(_ name: String, _ scopes: Set<AccessScope>, expiresAt: Timestamp? = nil) throws -> String {
        var random = SystemRandomNumberGenerator()
        let token = StaticToken.generate(using: &random)
        try store.append([
            TokenEvent.grant(
                name: name, scopes: scopes, hash: StaticToken.hash(token), expiresAt: expiresAt,
                metadata: EventMetadata())
        ])
        return token
    }

    func authenticator() throws -> Authenticator {
        let store = store
        let now = now
        return try Authenticator(.init(tokens: { try TokenTable.read(from: store) }, now: { now }))
    }

    @Test func anActiveTokenIsItsNameWithItsScopes() async throws {
        let token = try grant("deployer", [.production, .audit])
        let authenticator = try authenticator()
        let result = await authenticator.authenticate(authorization: "Bearer \(token)")
        #expect(result == .success(.token(named: "deployer", scopes: [.production, .audit])))
        #expect(
            await authenticator.authenticate(authorization: "bearer  \(token) ") == result,
            "scheme and spacing as RFC 9110 allows")
    }

    @Test func revokedExpiredUnknownAndMissingCredentialsAre401WithoutTheToken() async throws {
        let revoked = try grant("old", [.admin])
        try store.append([TokenEvent.revocation(name: "old", reason: nil, metadata: EventMetadata())])
        let expired = try grant("short", [.audit], expiresAt: now)
        var random = SystemRandomNumberGenerator()
        let unknown = StaticToken.generate(using: &random)
        let authenticator = try authenticator()
        let cases: [(String?, String)] = [
            ("Bearer \(revoked)", "token 'old' was revoked at "),
            ("Bearer \(expired)", "token 'short' expired at \(now)"),
            ("Bearer \(unknown)", "the bearer token is not one this ledger granted"),
            (nil, "a credential is required: Authorization: Bearer <token>"), ("", "a credential is required"),
            ("Basic \(unknown)", "the Authorization header must be Bearer <token>"),
            ("Bearer", "the Authorization header must be Bearer <token>"),
            ("Bearer \(revoked)x", "the bearer token is not one this ledger granted"),
        ]
        for (header, message) in cases {
            guard case .failure(.unauthenticated(let said)) = await authenticator.authenticate(authorization: header)
            else {
                Issue.record("\(header ?? "nil") was not refused with 401")
                continue
            }
            #expect(said.hasPrefix(message), "\(said)")
            #expect(!said.contains("rlt_"))
        }
    }

    @Test func aGrantSeenAfterTheServerStartedCountsAtOnce() async throws {
        let authenticator = try authenticator()
        var random = SystemRandomNumberGenerator()
        let token = StaticToken.generate(using: &random)
        #expect(
            await authenticator.authenticate(authorization: "Bearer \(token)")
                == .failure(.unauthenticated("the bearer token is not one this ledger granted")))
        try store.append([
            TokenEvent.grant(
                name: "late", scopes: [.candidate], hash: StaticToken.hash(token), expiresAt: nil,
                metadata: EventMetadata())
        ])
        #expect(
            await authenticator.authenticate(authorization: "Bearer \(token)")
                == .success(.token(named: "late", scopes: [.candidate])))
        try store.append([TokenEvent.revocation(name: "late", reason: nil, metadata: EventMetadata())])
        guard case .failure(.unauthenticated) = await authenticator.authenticate(authorization: "Bearer \(token)")
        else {
            Issue.record("a revoked token was still accepted")
            return
        }
    }

    @Test func aTokenTableThatCannotBeReadIs503() async throws {
        struct Unreadable: Error {}
        let authenticator = try Authenticator(.init(tokens: { throw Unreadable() }))
        var random = SystemRandomNumberGenerator()
        #expect(
            await authenticator.authenticate(authorization: "Bearer " + StaticToken.generate(using: &random))
                == .failure(.unavailable("cannot read the token table")))
    }

    @Test func scopesDecideWhatAnIdentityMayDo() throws {
        let authenticator = try authenticator()
        let identity = VerifiedIdentity.token(named: "acceptance-ci", scopes: [.acceptance])
        #expect(
            authenticator.authorize(
                identity, for: [.append(type: "acceptance.recorded"), .append(type: "readiness.recorded")]) == nil)
        #expect(
            authenticator.authorize(
                identity, for: [.append(type: "acceptance.recorded"), .append(type: "deploy.recorded")])
                == .forbidden(
                    "token:acceptance-ci (scopes acceptance) may not append deploy.recorded: it needs production"))
        #expect(authenticator.authorize(identity, for: [.read])?.httpStatus == 403)
    }
}
