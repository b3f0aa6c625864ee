import EventStoreConformance
import ReleaseLedgerCore
import Testing

/// The verified identity is recorded beside what the client states, and only the server sets it.
@Suite struct VerifiedIdentityTests {
    static let oidc = VerifiedIdentity(
        subject: "repo:acme/app:environment:production", scopes: [.production, .audit],
        claims: [
            "via": "github-oidc", "actor": "alice", "repository": "acme/app", "runId": "4242", "runAttempt": "2",
            "workflowRef": "acme/app/.github/workflows/deploy.yml@refs/heads/main", "environment": "production",
        ])

    @Test func theServerRecordsTheVerifiedIdentityBesideTheClientsMetadata() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        var note = Fixtures.note(1, "cache warmed")
        note.metadata.actor = "mallory"  // what the client says
        try store.append([
            Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1)).recording(Self.oidc), note.recording(Self.oidc),
        ])
        let recorded = try store.events(EventQuery())
        for event in recorded {
            #expect(try event.metadataValue().identity == Self.oidc)
        }
        #expect(try recorded[1].metadataValue().actor == "mallory")
        #expect(
            recorded[1].metadata
                == #"{"actor":"mallory","identity":{"claims":{"actor":"alice","environment":"production","repository":"acme/app","#
                + #""runAttempt":"2","runId":"4242","via":"github-oidc","workflowRef":"acme/app/.github/workflows/deploy.yml@refs/heads/main"},"#
                + #""scopes":["production","audit"],"subject":"repo:acme/app:environment:production"}}"#)
    }

    @Test func aClientCannotStateAnIdentityInItsMetadata() throws {
        let claimed: JSONValue = ["actor": "mallory", "identity": Self.oidc.json]
        #expect(
            throws: LedgerError.invalidInput(
                field: "metadata.identity",
                rule: "is recorded by the ledger server from the verified credential; a client cannot set it")
        ) { try EventMetadata(json: claimed) }
        // What the ledger stored reads back, identity and all.
        #expect(try EventMetadata(stored: claimed).identity == Self.oidc)
    }

    @Test func recordingReplacesAnIdentityTheEventAlreadyCarried() {
        var event = Fixtures.note(1, "x")
        event.metadata.identity = VerifiedIdentity.token(named: "someone-else", scopes: [.admin])
        let recorded = event.recording(.token(named: "ci", scopes: [.candidate]))
        #expect(recorded.metadata.identity == .token(named: "ci", scopes: [.candidate]))
        #expect(recorded.metadata.actor == event.metadata.actor)
    }

    @Test func anIdentityIsHeldToTheMetadataRules() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let controlCharacter = VerifiedIdentity(
            subject: "repo:acme/app", scopes: [.candidate], claims: ["actor": "al\u{7}ice"])
        #expect(
            throws: LedgerError.invalidInput(
                field: "metadata.identity.claims.actor", rule: "must not contain control characters")
        ) {
            try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1)).recording(controlCharacter)])
        }
        let secret = VerifiedIdentity(
            subject: "repo:acme/app", scopes: [.candidate],
            claims: ["ref": "ghp_" + String(repeating: "a1B2", count: 9)])
        #expect(throws: LedgerError.self) { try store.append([Fixtures.note(1, "x").recording(secret)]) }
        #expect(try store.head().position == 0)
    }

    @Test func theStoredFormRefusesWhatIsNotAnIdentity() {
        #expect(throws: LedgerError.self) {
            try VerifiedIdentity(json: ["subject": "a", "scopes": ["root"], "claims": [:]])
        }
        #expect(throws: LedgerError.self) {
            try VerifiedIdentity(json: ["subject": "a", "scopes": [], "claims": ["n": 1]])
        }
        #expect(throws: LedgerError.self) {
            try VerifiedIdentity(json: ["subject": "a", "scopes": [], "claims": [:], "admin": true])
        }
    }
}
