/// Who recorded an event and from where. Filled from the CI environment or from flags.
///
/// The values sit in one array in the order of `keys`, so the JSON writer, the parser, the
/// validator and the batch override walk them without key paths (which cost a sixth of an append).
public struct EventMetadata: Equatable, Hashable, Sendable {
    /// Each field's JSON key, in canonical (sorted) order: the one place keys meet values.
    public static let keys = [
        "actor", "causationId", "correlationId", "job", "repository", "runAttempt", "runId", "source", "toolVersion",
        "wallClock",
        "workflow",
    ]

    private var values: [String?] = Array(repeating: nil, count: keys.count)

    public var actor: String? {
        get { values[0] }
        set { values[0] = newValue }
    }
    public var causationId: String? {
        get { values[1] }
        set { values[1] = newValue }
    }
    public var correlationId: String? {
        get { values[2] }
        set { values[2] = newValue }
    }
    public var job: String? {
        get { values[3] }
        set { values[3] = newValue }
    }
    public var repository: String? {
        get { values[4] }
        set { values[4] = newValue }
    }
    public var runAttempt: String? {
        get { values[5] }
        set { values[5] = newValue }
    }
    public var runId: String? {
        get { values[6] }
        set { values[6] = newValue }
    }
    public var source: String? {
        get { values[7] }
        set { values[7] = newValue }
    }
    public var toolVersion: String? {
        get { values[8] }
        set { values[8] = newValue }
    }
    /// The writer's clock when it was behind the previous event's time: the ledger recorded that
    /// time instead, so recorded time never decreases with position.
    public var wallClock: String? {
        get { values[9] }
        set { values[9] = newValue }
    }
    public var workflow: String? {
        get { values[10] }
        set { values[10] = newValue }
    }
    /// Who the server verified the request came from (`VerifiedIdentity`): set by
    /// `ProposedEvent.recording`, never by a client (its metadata JSON is refused with an `identity`).
    public var identity: VerifiedIdentity?

    public init(
        actor: String? = nil, source: String? = nil, runId: String? = nil, runAttempt: String? = nil,
        workflow: String? = nil, job: String? = nil, repository: String? = nil, correlationId: String? = nil,
        causationId: String? = nil, toolVersion: String? = nil
    ) {
        values = [
            actor, causationId, correlationId, job, repository, runAttempt, runId, source, toolVersion, nil, workflow,
        ]
    }

    /// A field by its JSON key (nil for a key that is not a metadata field).
    public subscript(key: String) -> String? {
        get { Self.keys.firstIndex(of: key).flatMap { values[$0] } }
        set { if let index = Self.keys.firstIndex(of: key) { values[index] = newValue } }
    }

    /// The fields in their canonical key order; absent ones are left out of the JSON.
    public var fields: Zip2Sequence<[String], [String?]> { zip(Self.keys, values) }

    /// Takes every field `other` sets, except the tool version, which is always this build's.
    public mutating func override(with other: EventMetadata) {
        for (index, key) in Self.keys.enumerated() where key != "toolVersion" && key != "wallClock" {
            if let value = other.values[index] { values[index] = value }
        }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = fields.compactMap { key, value in value.map { (key, .string($0)) } }
        if let identity { members.append(("identity", identity.json)) }
        return .object(JSONObject(members))
    }

    /// Reads metadata a client states (a batch line's, a request's); unknown keys are refused, and
    /// so is `identity`: only the server sets it, from the credential it verified.
    public init(json: JSONValue) throws(LedgerError) {
        if json["identity"] != nil {
            throw .invalidInput(
                field: "metadata.identity",
                rule: "is recorded by the ledger server from the verified credential; a client cannot set it")
        }
        try self.init(stored: json)
    }

    /// Reads metadata back from its stored JSON, the verified identity included; unknown keys are refused.
    public init(stored json: JSONValue) throws(LedgerError) {
        guard case .object(let object) = json else {
            throw .invalidInput(field: "metadata", rule: "must be a JSON object")
        }
        self.init()
        for (key, value) in object {
            if key == "identity" {
                identity = try VerifiedIdentity(json: value)
                continue
            }
            guard let index = Self.keys.firstIndex(of: key) else {
                throw .invalidInput(field: "metadata" + JSONPath.member(key), rule: "is not a known metadata field")
            }
            guard case .string(let text) = value else {
                throw .invalidInput(field: "metadata" + JSONPath.member(key), rule: "must be a string")
            }
            values[index] = text
        }
    }
}
