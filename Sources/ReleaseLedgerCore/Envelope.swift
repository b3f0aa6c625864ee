/// Who recorded an event and from where. Filled from the CI environment or from flags.
///
/// The values sit in one array in the order of `keys`, so the JSON writer, the parser, the
/// validator and the batch override walk them without key paths (which cost a sixth of an append).
public struct EventMetadata: Equatable, Hashable, Sendable {
    /// Each field's JSON key, in canonical (sorted) order: the one place keys meet values.
    public static let keys = [
        "actor", "causationId", "correlationId", "job", "repository", "runAttempt", "runId", "source", "toolVersion", "wallClock",
        "workflow",
    ]

    private var values: [String?] = Array(repeating: nil, count: keys.count)

    public var actor: String? { get { values[0] } set { values[0] = newValue } }
    public var causationId: String? { get { values[1] } set { values[1] = newValue } }
    public var correlationId: String? { get { values[2] } set { values[2] = newValue } }
    public var job: String? { get { values[3] } set { values[3] = newValue } }
    public var repository: String? { get { values[4] } set { values[4] = newValue } }
    public var runAttempt: String? { get { values[5] } set { values[5] = newValue } }
    public var runId: String? { get { values[6] } set { values[6] = newValue } }
    public var source: String? { get { values[7] } set { values[7] = newValue } }
    public var toolVersion: String? { get { values[8] } set { values[8] = newValue } }
    /// The writer's clock when it was behind the previous event's time: the ledger recorded that
    /// time instead, so recorded time never decreases with position.
    public var wallClock: String? { get { values[9] } set { values[9] = newValue } }
    public var workflow: String? { get { values[10] } set { values[10] = newValue } }
    /// Who the server verified the request came from (`VerifiedIdentity`): set by
    /// `ProposedEvent.recording`, never by a client (its metadata JSON is refused with an `identity`).
    public var identity: VerifiedIdentity?

    public init(
        actor: String? = nil, source: String? = nil, runId: String? = nil, runAttempt: String? = nil,
        workflow: String? = nil, job: String? = nil, repository: String? = nil, correlationId: String? = nil,
        causationId: String? = nil, toolVersion: String? = nil
    ) {
        values = [actor, causationId, correlationId, job, repository, runAttempt, runId, source, toolVersion, nil, workflow]
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
                field: "metadata.identity", rule: "is recorded by the ledger server from the verified credential; a client cannot set it")
        }
        try self.init(stored: json)
    }

    /// Reads metadata back from its stored JSON, the verified identity included; unknown keys are refused.
    public init(stored json: JSONValue) throws(LedgerError) {
        guard case .object(let object) = json else { throw .invalidInput(field: "metadata", rule: "must be a JSON object") }
        self.init()
        for (key, value) in object {
            if key == "identity" {
                identity = try VerifiedIdentity(json: value)
                continue
            }
            guard let index = Self.keys.firstIndex(of: key) else {
                throw .invalidInput(field: "metadata" + JSONPath.member(key), rule: "is not a known metadata field")
            }
            guard case .string(let text) = value else { throw .invalidInput(field: "metadata" + JSONPath.member(key), rule: "must be a string") }
            values[index] = text
        }
    }
}

/// What a stream must look like for an append to go ahead (optimistic concurrency).
public enum ExpectedVersion: Equatable, Hashable, Sendable, CustomStringConvertible {
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must have at least one event.
    case exists
    /// The stream's current version must be exactly this (0 means empty).
    case exact(Int64)

    public init?(argument: String) {
        switch argument {
        case "any": self = .any
        case "none": self = .noStream
        case "exists": self = .exists
        default:
            guard let version = Int64(argument), version >= 0 else { return nil }
            self = .exact(version)
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "none"
        case .exists: "exists"
        case .exact(let v): String(v)
        }
    }

    func admits(currentVersion: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: currentVersion == 0
        case .exists: currentVersion > 0
        case .exact(let v): currentVersion == v
        }
    }
}

/// An event a caller wants to append, before the ledger gives it a position.
public struct ProposedEvent: Equatable, Sendable {
    /// Idempotency key; the store generates a UUID when nil.
    public var id: String?
    public var type: String
    public var sha: String
    /// Defaults to `candidate-<sha>`.
    public var stream: String?
    public var data: JSONValue
    public var metadata: EventMetadata
    public var expectedVersion: ExpectedVersion
    /// A key derived from the CI step that sends the event (no `id` given): the ledger makes the
    /// event's id from it and the run the event joins, and treats the step as retried only when
    /// its event is still the newest of the stream (`RetryKey`).
    public var retryKey: String?

    public init(
        id: String? = nil, type: String, sha: String, stream: String? = nil, data: JSONValue,
        metadata: EventMetadata = EventMetadata(), expectedVersion: ExpectedVersion = .any, retryKey: String? = nil
    ) {
        self.retryKey = retryKey
        self.id = id
        self.type = type
        self.sha = sha
        self.stream = stream
        self.data = data
        self.metadata = metadata
        self.expectedVersion = expectedVersion
    }

    public var resolvedStream: String { stream ?? "candidate-\(sha)" }
}

/// An event as the ledger holds it: immutable, positioned, chained.
public struct RecordedEvent: Equatable, Sendable {
    /// Global position: 1...N in commit order, no gaps.
    public let position: Int64
    public let id: String
    public let stream: String
    /// Version within the stream: 1...n.
    public let version: Int64
    public let type: String
    /// Schema version of the event type's payload.
    public let typeVersion: Int
    public let sha: String
    /// Canonical JSON text of the payload.
    public let data: String
    /// Canonical JSON text of the metadata.
    public let metadata: String
    public let recordedAt: Timestamp
    public let previousHash: String
    public let hash: String
    /// How `hash` was computed (`ChainHasher`): 1 for rows written before schema version 3.
    public let chainVersion: Int

    public init(
        position: Int64, id: String, stream: String, version: Int64, type: String, typeVersion: Int, sha: String,
        data: String, metadata: String, recordedAt: Timestamp, previousHash: String, hash: String,
        chainVersion: Int = ChainHasher.currentVersion
    ) {
        self.chainVersion = chainVersion
        self.position = position
        self.id = id
        self.stream = stream
        self.version = version
        self.type = type
        self.typeVersion = typeVersion
        self.sha = sha
        self.data = data
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The payload as a value. Stored payloads were canonical when written; a row that no longer
    /// parses is reported by `verify`, and here reads as an empty object.
    public var dataValue: JSONValue { (try? JSONParser.parse(data, field: "data", limits: .internal)) ?? .object(JSONObject()) }

    public var metadataValue: EventMetadata {
        (try? JSONParser.parse(metadata, field: "metadata", limits: .internal)).flatMap { try? EventMetadata(stored: $0) } ?? EventMetadata()
    }

    /// The whole envelope as JSON, as `events` prints it.
    public var json: JSONValue {
        var json: JSONValue = [
            "position": .number(.integer(position)), "id": .string(id), "stream": .string(stream),
            "version": .number(.integer(version)), "type": .string(type), "typeVersion": .int(typeVersion),
            "sha": .string(sha), "data": dataValue,
            "metadata": (try? JSONParser.parse(metadata, field: "metadata", limits: .internal)) ?? .object(JSONObject()),
            "recordedAt": .string(recordedAt.description), "previousHash": .string(previousHash), "hash": .string(hash),
        ]
        // Absent for version 1, as in exports written before version 2.
        if chainVersion != 1, case .object(var object) = json {
            object["chainVersion"] = .int(chainVersion)
            json = .object(object)
        }
        return json
    }
}

/// What one append did for one event.
public struct AppendReceipt: Equatable, Sendable {
    public enum Status: String, Sendable {
        case recorded
        /// The same event was already in the ledger; nothing was written.
        case alreadyRecorded = "already-recorded"
    }

    public let status: Status
    public let position: Int64
    public let id: String
    public let stream: String
    public let version: Int64
    public let type: String
    public let sha: String
    public let recordedAt: Timestamp
    public let hash: String

    public init(status: Status, event: RecordedEvent) {
        self.status = status
        position = event.position
        id = event.id
        stream = event.stream
        version = event.version
        type = event.type
        sha = event.sha
        recordedAt = event.recordedAt
        hash = event.hash
    }
}

/// The last link of the chain.
public struct ChainHead: Equatable, Sendable {
    public let position: Int64
    public let hash: String
    public static let genesis = ChainHead(position: 0, hash: ChainHasher.genesisHash)

    public init(position: Int64, hash: String) {
        self.position = position
        self.hash = hash
    }
}

/// Filters for reading events back.
public struct EventQuery: Equatable, Sendable {
    public var sha: String?
    public var type: String?
    public var stream: String?
    public var afterPosition: Int64
    public var upToPosition: Int64?
    public var limit: Int?

    public init(
        sha: String? = nil, type: String? = nil, stream: String? = nil, afterPosition: Int64 = 0, upToPosition: Int64? = nil,
        limit: Int? = nil
    ) {
        self.sha = sha
        self.type = type
        self.stream = stream
        self.afterPosition = afterPosition
        self.upToPosition = upToPosition
        self.limit = limit
    }

    public func matches(_ event: RecordedEvent) -> Bool {
        event.position > afterPosition && (upToPosition.map { event.position <= $0 } ?? true)
            && (sha.map { event.sha == $0 } ?? true) && (type.map { event.type == $0 } ?? true)
            && (stream.map { event.stream == $0 } ?? true)
    }
}

extension RecordedEvent {
    /// Reads an envelope back from the JSON that `events` prints (for golden cases and exports).
    public init(json: JSONValue) throws(LedgerError) {
        func text(_ key: String) throws(LedgerError) -> String {
            guard let value = json[key]?.stringValue else { throw .invalidInput(field: key, rule: "is required (a string)") }
            return value
        }
        func integer(_ key: String) throws(LedgerError) -> Int64 {
            guard let value = json[key]?.intValue else { throw .invalidInput(field: key, rule: "is required (an integer)") }
            return value
        }
        guard let recordedAt = Timestamp(rfc3339: try text("recordedAt")) else {
            throw .invalidInput(field: "recordedAt", rule: "must be an RFC 3339 date-time")
        }
        self.init(
            position: try integer("position"), id: try text("id"), stream: try text("stream"), version: try integer("version"),
            type: try text("type"), typeVersion: Int(try integer("typeVersion")), sha: try text("sha"),
            data: CanonicalJSON.encode(json["data"] ?? .null), metadata: CanonicalJSON.encode(json["metadata"] ?? .null),
            recordedAt: recordedAt, previousHash: try text("previousHash"), hash: try text("hash"),
            // Exports written before chain version 2 have no key: their rows are version 1.
            chainVersion: json["chainVersion"] == nil ? 1 : Int(try integer("chainVersion")))
    }
}
