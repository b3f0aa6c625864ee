/// The static tokens the ledger knows: a pure fold over the `token.granted` and `token.revoked`
/// events, in position order. The server builds one from the ledger and checks bearer tokens
/// against it; `token list` prints it.
public struct TokenTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let scopes: Set<AccessScope>
        /// `sha256:<hex>` of the token.
        public let hash: String
        public let grantedAt: Timestamp
        public let grantedPosition: Int64
        /// Who granted it: the grant's verified identity, else its stated actor.
        public let grantedBy: String?
        public let expiresAt: Timestamp?
        public internal(set) var revokedAt: Timestamp?
        public internal(set) var revokedBy: String?
        public internal(set) var revocationReason: String?

        public func isExpired(at now: Timestamp) -> Bool { expiresAt.map { now >= $0 } ?? false }
    }

    /// Every token ever granted, in the order of their grants.
    public private(set) var entries: [Entry] = []
    /// The position of the last token event folded in (0 for none).
    public private(set) var position: Int64 = 0

    public init() {}

    /// Folds the token events among `events`; other events are skipped.
    public init(events: [RecordedEvent]) throws(LedgerError) {
        for event in events.sorted(by: { $0.position < $1.position }) { try apply(event) }
    }

    /// The queries that read every token event (the `events_by_type` index answers each).
    public static let queries = TokenEvent.types.map { EventQuery(type: $0) }

    /// The table of the tokens in `store`.
    public static func read(from store: any Ledger) throws(LedgerError) -> TokenTable {
        var events: [RecordedEvent] = []
        for query in queries { events += try store.events(query) }
        return try TokenTable(events: events)
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }

    /// Applies one event. The append's checks make a second grant of a name and a revocation of
    /// an unknown or revoked name impossible; a row that says otherwise anyway changes nothing.
    public mutating func apply(_ event: RecordedEvent) throws(LedgerError) {
        guard TokenEvent.isTokenType(event.type), event.position > position else { return }
        position = event.position
        let data = try event.payload()
        guard let name = data["name"]?.stringValue else { return }
        let metadata = try event.metadataValue()
        let by = metadata.identity?.subject ?? metadata.actor
        if event.type == TokenEvent.granted {
            guard self[name] == nil, let hash = data["hash"]?.stringValue else { return }
            // Fail closed: an expiry that cannot be read must not become a token that never expires.
            var expiresAt: Timestamp?
            if let expiry = data["expiresAt"], expiry != .null {
                guard let time = expiry.stringValue.flatMap({ Timestamp(rfc3339: $0) }) else {
                    throw .integrity(
                        "the grant of token '\(EventCatalog.printable(name))' at position \(event.position) has an "
                            + "expiresAt that is not an RFC 3339 time", firstBadPosition: event.position)
                }
                expiresAt = time
            }
            let scopes = Set(
                (data["scopes"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(AccessScope.init(rawValue:)) })
            entries.append(
                Entry(
                    name: name, scopes: scopes, hash: hash, grantedAt: event.recordedAt,
                    grantedPosition: event.position, grantedBy: by,
                    expiresAt: expiresAt))
        } else if let index = entries.firstIndex(where: { $0.name == name }), entries[index].revokedAt == nil {
            entries[index].revokedAt = event.recordedAt
            entries[index].revokedBy = by
            entries[index].revocationReason = data["reason"]?.stringValue
        }
    }

    /// Why a presented bearer token is not accepted. No case carries the token.
    public enum Rejection: Error, Equatable, Sendable, CustomStringConvertible {
        case unknown
        case revoked(name: String, at: Timestamp)
        case expired(name: String, at: Timestamp)

        public var description: String {
            switch self {
            case .unknown: "the bearer token is not one this ledger granted"
            case .revoked(let name, let at): "token '\(name)' was revoked at \(at)"
            case .expired(let name, let at): "token '\(name)' expired at \(at)"
            }
        }
    }

    /// The identity of a presented token at `now`. The presented token's hash is compared with
    /// every stored hash, each in constant time and without stopping at a match, so the time
    /// taken does not depend on which token, or how much of a hash, matched.
    public func identity(forToken token: String, at now: Timestamp) -> Result<VerifiedIdentity, Rejection> {
        guard StaticToken.isWellFormed(token) else { return .failure(.unknown) }
        let presented = StaticToken.hash(token)
        var match: Entry?
        for entry in entries where StaticToken.constantTimeEqual(entry.hash, presented) { match = entry }
        guard let match else { return .failure(.unknown) }
        if let revokedAt = match.revokedAt { return .failure(.revoked(name: match.name, at: revokedAt)) }
        if let expiresAt = match.expiresAt, match.isExpired(at: now) {
            return .failure(.expired(name: match.name, at: expiresAt))
        }
        return .success(.token(named: match.name, scopes: match.scopes))
    }
}
