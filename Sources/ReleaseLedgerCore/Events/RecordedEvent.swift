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
