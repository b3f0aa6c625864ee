import EventStoreConformance
import ReleaseLedgerCore
import SecretScanning
import Testing

/// Static tokens: grants and revocations are events, the table is their fold, the token is never stored.
@Suite struct TokenTableTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func token(_ seed: UInt64) -> String {
        var generator = SeededGenerator(state: seed)
        return StaticToken.generate(using: &generator)
    }

    static func table(_ store: InMemoryEventStore) throws -> TokenTable {
        try TokenTable.read(from: store)
    }

    @Test func aTokenIsRecognizableHighEntropyAndOnlyItsHashIsStored() throws {
        let token = Self.token(1)
        #expect(token.hasPrefix("rlt_") && token.utf8.count == 47 && StaticToken.isWellFormed(token))
        #expect(Self.token(1) != Self.token(2))
        #expect(
            SecretScanner.scan(value: "export RELEASE_LEDGER_TOKEN=\(token)", key: nil, field: "x")?.kind
                == .releaseLedgerToken)
        let store = InMemoryEventStore(engine: Fixtures.engine())
        try store.append([
            TokenEvent.grant(
                name: "ci", scopes: [.production], hash: StaticToken.hash(token), expiresAt: nil,
                metadata: EventMetadata())
        ])
        let stored = try #require(try store.events(EventQuery()).first)
        #expect(!stored.data.contains(token) && !stored.metadata.contains(token))
        #expect(
            stored.data.contains(StaticToken.hash(token)) && stored.stream == "token-ci" && stored.sha == TokenEvent.sha
        )
    }

    @Test func theLedgerRefusesAStoredTokenInsteadOfItsHash() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let grant = TokenEvent.grant(
            name: "ci", scopes: [.production], hash: Self.token(3), expiresAt: nil, metadata: EventMetadata())
        #expect(throws: LedgerError.self) { try store.append([grant]) }
        #expect(try store.head().position == 0)
    }

    @Test func grantsAndRevocationsFoldIntoTheTable() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let expiry = Fixtures.start.adding(milliseconds: 86_400_000)
        try store.append([
            TokenEvent.grant(
                name: "deployer", scopes: [.production, .audit], hash: StaticToken.hash(Self.token(1)),
                expiresAt: expiry, metadata: EventMetadata(actor: "alice")),
            TokenEvent.grant(
                name: "acceptance-ci", scopes: [.acceptance], hash: StaticToken.hash(Self.token(2)), expiresAt: nil,
                metadata: EventMetadata()),
        ])
        try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1))])
        try store.append([
            TokenEvent.revocation(name: "acceptance-ci", reason: "rotated", metadata: EventMetadata(actor: "bob"))
        ])
        let table = try Self.table(store)
        #expect(table.entries.map(\.name) == ["deployer", "acceptance-ci"])
        let deployer = try #require(table["deployer"])
        #expect(
            deployer.scopes == [.production, .audit] && deployer.expiresAt == expiry && deployer.grantedBy == "alice"
                && deployer.revokedAt == nil)
        let revoked = try #require(table["acceptance-ci"])
        #expect(revoked.revokedAt != nil && revoked.revokedBy == "bob" && revoked.revocationReason == "rotated")
        #expect(table.position == 4)
    }

    /// Fail closed: a stored grant whose expiry cannot be read is damage, not a token that never expires.
    @Test func aGrantWithAnUnreadableExpiryIsAnIntegrityErrorNotAnEternalToken() throws {
        let grant = RecordedEvent(
            position: 7, id: "t", stream: "tokens", version: 1, type: TokenEvent.granted, typeVersion: 1,
            sha: String(repeating: "0", count: 40),
            data: #"{"expiresAt":"next week","hash":"\#(StaticToken.hash(Self.token(1)))","#
                + #""name":"deployer","scopes":["production"]}"#,
            metadata: "{}", recordedAt: Fixtures.start, previousHash: "", hash: "")
        #expect(
            throws: LedgerError.integrity(
                "the grant of token 'deployer' at position 7 has an expiresAt that is not an RFC 3339 time",
                firstBadPosition: 7)
        ) { try TokenTable(events: [grant]) }
    }

    @Test func aNameIsGrantedOnceAndRevokedOnceWhoeverAppends() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let grant = TokenEvent.grant(
            name: "ci", scopes: [.candidate], hash: StaticToken.hash(Self.token(1)), expiresAt: nil,
            metadata: EventMetadata())
        try store.append([grant])
        let again = TokenEvent.grant(
            name: "ci", scopes: [.admin], hash: StaticToken.hash(Self.token(2)), expiresAt: nil,
            metadata: EventMetadata())
        #expect(throws: LedgerError.conflict("stream token-ci is at version 1, expected none")) {
            try store.append([again])
        }
        var sneaky = again
        sneaky.expectedVersion = .any
        #expect(
            throws: LedgerError.invalidInput(
                field: "expect",
                rule: "must be none for a token.granted event (a token is granted once and revoked once)")
        ) {
            try store.append([sneaky])
        }
        sneaky.stream = "token-other"
        sneaky.expectedVersion = .noStream
        #expect(throws: LedgerError.invalidInput(field: "stream", rule: "must be token-ci for a token.granted event")) {
            try store.append([sneaky])
        }
        try store.append([TokenEvent.revocation(name: "ci", reason: nil, metadata: EventMetadata())])
        #expect(throws: LedgerError.conflict("stream token-ci is at version 2, expected 1")) {
            try store.append([TokenEvent.revocation(name: "ci", reason: nil, metadata: EventMetadata())])
        }
        #expect(throws: LedgerError.conflict("stream token-nobody is at version 0, expected 1")) {
            try store.append([TokenEvent.revocation(name: "nobody", reason: nil, metadata: EventMetadata())])
        }
        #expect(try Self.table(store)["ci"]?.scopes == [.candidate])
    }

    @Test(arguments: [
        ("Deploy", "data.name"), ("-x", "data.name"), (String(repeating: "a", count: 65), "data.name"),
        ("a b", "data.name"),
    ])
    func badNamesAreRefusedNamingTheField(_ name: String, _ field: String) throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        var grant = TokenEvent.grant(
            name: name, scopes: [.audit], hash: StaticToken.hash(Self.token(1)), expiresAt: nil,
            metadata: EventMetadata())
        grant.stream = "token-x"
        do {
            try store.append([grant])
            Issue.record("\(name) was accepted")
        } catch {
            guard case .invalidInput(let reported, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reported == field)
        }
    }

    @Test func aTokenEventMustNameNoCommit() throws {
        var grant = TokenEvent.grant(
            name: "ci", scopes: [.audit], hash: StaticToken.hash(Self.token(1)), expiresAt: nil,
            metadata: EventMetadata())
        grant.sha = Fixtures.sha(1)
        #expect(
            throws: LedgerError.invalidInput(
                field: "sha", rule: "must be forty zeros for a token event (it names no commit)")
        ) {
            try InMemoryEventStore(engine: Fixtures.engine()).append([grant])
        }
    }

    @Test func aPresentedTokenIsAcceptedOnlyWhileActive() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let expiry = Fixtures.start.adding(milliseconds: 3_600_000)
        let (live, expiring, revoked) = (Self.token(1), Self.token(2), Self.token(3))
        try store.append([
            TokenEvent.grant(
                name: "live", scopes: [.production], hash: StaticToken.hash(live), expiresAt: nil,
                metadata: EventMetadata()),
            TokenEvent.grant(
                name: "expiring", scopes: [.audit], hash: StaticToken.hash(expiring), expiresAt: expiry,
                metadata: EventMetadata()),
            TokenEvent.grant(
                name: "revoked", scopes: [.admin], hash: StaticToken.hash(revoked), expiresAt: nil,
                metadata: EventMetadata()),
        ])
        try store.append([TokenEvent.revocation(name: "revoked", reason: nil, metadata: EventMetadata())])
        let table = try Self.table(store)
        let now = Fixtures.start.adding(milliseconds: 60_000)
        #expect(table.identity(forToken: live, at: now) == .success(.token(named: "live", scopes: [.production])))
        #expect(table.identity(forToken: expiring, at: now) == .success(.token(named: "expiring", scopes: [.audit])))
        #expect(table.identity(forToken: expiring, at: expiry) == .failure(.expired(name: "expiring", at: expiry)))
        guard case .failure(.revoked(name: "revoked", _)) = table.identity(forToken: revoked, at: now) else {
            Issue.record("a revoked token was accepted")
            return
        }
        #expect(table.identity(forToken: Self.token(4), at: now) == .failure(.unknown))
        #expect(table.identity(forToken: String(live.dropLast()), at: now) == .failure(.unknown))
        #expect(table.identity(forToken: live + "x", at: now) == .failure(.unknown))
        #expect(table.identity(forToken: "", at: now) == .failure(.unknown))
        for rejection in [
            TokenTable.Rejection.unknown, .revoked(name: "revoked", at: now), .expired(name: "expiring", at: expiry),
        ] {
            #expect(!rejection.description.contains("rlt_"))
        }
    }

    @Test func constantTimeComparisonIsExactEquality() {
        #expect(StaticToken.constantTimeEqual("sha256:ab", "sha256:ab"))
        #expect(!StaticToken.constantTimeEqual("sha256:ab", "sha256:ac"))
        #expect(!StaticToken.constantTimeEqual("sha256:ab", "sha256:abc"))
        #expect(!StaticToken.constantTimeEqual("", "a"))
        #expect(StaticToken.constantTimeEqual("", ""))
    }
}
