/// Grants and revocations of static tokens, recorded as events like everything else: who created
/// which token with which scopes, when, and who revoked it, is in the hash chain. The token itself
/// never is, only its hash (`StaticToken.hash`).
///
/// Each token has its own stream, `token-NAME`. A grant must be appended with expected version
/// `none` and a revocation with `1` (the grant alone), so the ledger itself, inside the append's
/// transaction, keeps a name from being granted twice or revoked twice, whoever appends.
public enum TokenEvent {
    public static let granted = "token.granted"
    public static let revoked = "token.revoked"
    public static let types = [granted, revoked]

    /// Token events belong to no commit: they carry git's null object id, forty zeros.
    public static let sha = String(repeating: "0", count: 40)

    public static func isTokenType(_ type: String) -> Bool { type == granted || type == revoked }

    public static func stream(forName name: String) -> String { "token-\(name)" }

    /// A grant: the name, the scopes, the token's hash and when it expires (nil: never).
    public static func grant(
        name: String, scopes: Set<AccessScope>, hash: String, expiresAt: Timestamp?, metadata: EventMetadata
    ) -> ProposedEvent {
        var data: JSONValue = [
            "name": .string(name), "scopes": .array(scopes.sorted().map { .string($0.rawValue) }),
            "hash": .string(hash),
        ]
        if let expiresAt, case .object(var object) = data {
            object["expiresAt"] = .string(expiresAt.description)
            data = .object(object)
        }
        return ProposedEvent(
            type: granted, sha: sha, stream: stream(forName: name), data: data, metadata: metadata,
            expectedVersion: .noStream)
    }

    public static func revocation(name: String, reason: String?, metadata: EventMetadata) -> ProposedEvent {
        var data: JSONValue = ["name": .string(name)]
        if let reason, case .object(var object) = data {
            object["reason"] = .string(reason)
            data = .object(object)
        }
        return ProposedEvent(
            type: revoked, sha: sha, stream: stream(forName: name), data: data, metadata: metadata,
            expectedVersion: .exact(1))
    }

    /// Names are one short word a table and a stream name can carry: 1 to 64 of `a-z 0-9 . _ -`,
    /// starting with a letter or digit.
    public static func nameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return "must be 1 to 64 characters" }
        func isLowerAlphanumeric(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        guard isLowerAlphanumeric(bytes[0]),
            bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D })
        else {
            return "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        }
        return nil
    }

    static let grantShape = PayloadShape.object([
        .required("name", .text),
        .required("scopes", .array(of: .oneOf(AccessScope.allCases.map(\.rawValue)), minItems: 1)),
        .required("hash", .text), .optional("expiresAt", .timestamp),
    ])
    static let revocationShape = PayloadShape.object([.required("name", .text), .optional("reason", .text)])

    /// The payload's problems (`EventCatalog.validate` asks for a token type).
    static func problems(type: String, sha: String, data: JSONValue) -> [PayloadProblem] {
        var problems = (type == granted ? grantShape : revocationShape).problems(in: data, at: "data")
        if sha != Self.sha {
            problems.append(
                PayloadProblem(field: "sha", rule: "must be forty zeros for a token event (it names no commit)"))
        }
        if let name = data["name"]?.stringValue, !name.isEmpty, let problem = nameProblem(name) {
            problems.append(PayloadProblem(field: "data.name", rule: problem))
        }
        if type == granted {
            if let hash = data["hash"]?.stringValue, !isStoredHash(hash) {
                problems.append(
                    PayloadProblem(
                        field: "data.hash",
                        rule: "must be sha256: and 64 lower-case hex digits (the token's hash, never the token)"))
            }
            if let scopes = data["scopes"]?.arrayValue, Set(scopes).count != scopes.count {
                problems.append(PayloadProblem(field: "data.scopes", rule: "must not repeat a scope"))
            }
        }
        return problems
    }

    /// The envelope a token event must have: its name's stream, and the expected version that
    /// makes a second grant or a second revocation a conflict.
    static func checkEnvelope(of event: ProposedEvent) throws(LedgerError) {
        guard isTokenType(event.type), let name = event.data["name"]?.stringValue else { return }
        if event.resolvedStream != stream(forName: name) {
            throw .invalidInput(field: "stream", rule: "must be \(stream(forName: name)) for a \(event.type) event")
        }
        let required: ExpectedVersion = event.type == granted ? .noStream : .exact(1)
        if event.expectedVersion != required {
            throw .invalidInput(
                field: "expect",
                rule: "must be \(required) for a \(event.type) event (a token is granted once and revoked once)")
        }
    }

    static func isStoredHash(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return text.hasPrefix("sha256:") && bytes.count == 71
            && bytes.dropFirst(7).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
