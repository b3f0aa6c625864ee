/// Who the server verified a request came from: a static token's name, or the claims of a GitHub
/// Actions OIDC token. The server records it in each event's metadata under `identity`, beside
/// what the client states (`actor`, `runId`, ...), which it cannot set itself.
public struct VerifiedIdentity: Hashable, Sendable {
    /// `token:NAME` for a static token; the OIDC `sub` claim (`repo:acme/app:environment:production`).
    public let subject: String
    public let scopes: Set<AccessScope>
    /// What the credential says beyond its subject, as recorded: `via` (`token` or `github-oidc`),
    /// and for OIDC `actor`, `repository`, `runId`, `runAttempt`, `workflowRef`, `environment`, `ref`.
    public let claims: [String: String]

    public init(subject: String, scopes: Set<AccessScope>, claims: [String: String]) {
        self.subject = subject
        self.scopes = scopes
        self.claims = claims
    }

    /// The identity of a static token: its name is the whole of what the ledger knows.
    public static func token(named name: String, scopes: Set<AccessScope>) -> VerifiedIdentity {
        VerifiedIdentity(subject: "token:\(name)", scopes: scopes, claims: ["via": "token", "token": name])
    }

    /// Whether any of the identity's scopes allows the action.
    public func may(_ action: LedgerAction) -> Bool { !scopes.isDisjoint(with: action.allowedScopes) }

    /// Why the identity may not take these actions (the first refused one), or nil when it may
    /// take them all: a batch is allowed whole or refused whole, before anything is written.
    public func refusal(for actions: [LedgerAction]) -> String? {
        guard let refused = actions.first(where: { !may($0) }) else { return nil }
        let needed = refused.allowedScopes.sorted().map(\.rawValue)
        let has = scopes.isEmpty ? "no scope" : "scopes " + scopes.sorted().map(\.rawValue).joined(separator: ", ")
        let what = needed.isEmpty ? "no scope allows it" : "it needs " + needed.joined(separator: " or ")
        return "\(EventCatalog.printable(subject)) (\(has)) may not \(refused): \(what)"
    }

    /// The stored form: `{"claims": {...}, "scopes": [...], "subject": "..."}`.
    public var json: JSONValue {
        [
            "subject": .string(subject), "scopes": .array(scopes.sorted().map { .string($0.rawValue) }),
            "claims": .object(JSONObject(claims.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
    }

    /// Reads the stored form back (from an event's metadata).
    public init(json: JSONValue, field: String = "metadata.identity") throws(LedgerError) {
        guard case .object(let object) = json else { throw .invalidInput(field: field, rule: "must be a JSON object") }
        for key in object.keys where !["subject", "scopes", "claims"].contains(key) {
            throw .invalidInput(field: field + JSONPath.member(key), rule: "is not a field of a verified identity")
        }
        guard let subject = object["subject"]?.stringValue else {
            throw .invalidInput(field: field + ".subject", rule: "is required (a string)")
        }
        guard let names = object["scopes"]?.arrayValue else {
            throw .invalidInput(field: field + ".scopes", rule: "is required (an array)")
        }
        var scopes: Set<AccessScope> = []
        for (index, name) in names.enumerated() {
            guard let text = name.stringValue else {
                throw .invalidInput(field: "\(field).scopes[\(index)]", rule: "must be a string")
            }
            scopes.insert(try AccessScope.parse(text, field: "\(field).scopes[\(index)]"))
        }
        guard case .object(let claimObject) = object["claims"] ?? .null else {
            throw .invalidInput(field: field + ".claims", rule: "is required (an object)")
        }
        var claims: [String: String] = [:]
        for (key, value) in claimObject {
            guard let text = value.stringValue else {
                throw .invalidInput(field: field + ".claims" + JSONPath.member(key), rule: "must be a string")
            }
            claims[key] = text
        }
        self.init(subject: subject, scopes: scopes, claims: claims)
    }

    /// Every stored string, with its field, for the append's checks (length, control characters, secrets).
    var storedStrings: [(field: String, value: String)] {
        [("metadata.identity.subject", subject)]
            + claims.sorted { $0.key < $1.key }.flatMap { key, value in
                [
                    ("a key of metadata.identity.claims", key),
                    ("metadata.identity.claims" + JSONPath.member(key), value),
                ]
            }
    }
}

extension ProposedEvent {
    /// The event as the server appends it for a verified client: the identity is recorded in the
    /// metadata, replacing whatever the event carried there (a client's own metadata parser
    /// refuses an `identity` field before it gets here; this makes sure of it).
    public func recording(_ identity: VerifiedIdentity) -> ProposedEvent {
        var event = self
        event.metadata.identity = identity
        return event
    }
}
