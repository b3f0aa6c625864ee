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

    /// The payload as a value. Stored payloads were canonical when written: one that no longer
    /// parses is an integrity failure naming its position (`verify` reports the row too).
    public func payload() throws(LedgerError) -> JSONValue {
        do { return try JSONParser.parse(data, field: "data", limits: .internal) } catch {
            throw .integrity(
                "the payload of the event at position \(position) is not JSON: \(error.description)",
                firstBadPosition: position)
        }
    }

    /// The metadata as stored, parsed.
    public func metadataJSON() throws(LedgerError) -> JSONValue {
        do { return try JSONParser.parse(metadata, field: "metadata", limits: .internal) } catch {
            throw .integrity(
                "the metadata of the event at position \(position) is not JSON: \(error.description)",
                firstBadPosition: position)
        }
    }

    public func metadataValue() throws(LedgerError) -> EventMetadata {
        do { return try EventMetadata(stored: try metadataJSON()) } catch {
            throw .integrity(
                "the metadata of the event at position \(position) does not read: \(error)", firstBadPosition: position)
        }
    }

    /// The whole envelope as JSON, as `events` prints it.
    public var json: JSONValue {
        get throws(LedgerError) { try envelopeJSON() }
    }

    private func envelopeJSON() throws(LedgerError) -> JSONValue {
        var json: JSONValue = [
            "position": .number(.integer(position)), "id": .string(id), "stream": .string(stream),
            "version": .number(.integer(version)), "type": .string(type), "typeVersion": .int(typeVersion),
            "sha": .string(sha), "data": try payload(), "metadata": try metadataJSON(),
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
            guard let value = json[key]?.stringValue else {
                throw .invalidInput(field: key, rule: "is required (a string)")
            }
            return value
        }
        func integer(_ key: String) throws(LedgerError) -> Int64 {
            guard let value = json[key]?.intValue else {
                throw .invalidInput(field: key, rule: "is required (an integer)")
            }
            return value
        }
        guard let recordedAt = Timestamp(rfc3339: try text("recordedAt")) else {
            throw .invalidInput(field: "recordedAt", rule: "must be an RFC 3339 date-time")
        }
        self.init(
            position: try integer("position"), id: try text("id"), stream: try text("stream"),
            version: try integer("version"),
            type: try text("type"), typeVersion: Int(try integer("typeVersion")), sha: try text("sha"),
            data: CanonicalJSON.encode(json["data"] ?? .null),
            metadata: CanonicalJSON.encode(json["metadata"] ?? .null),
            recordedAt: recordedAt, previousHash: try text("previousHash"), hash: try text("hash"),
            // Exports written before chain version 2 have no key: their rows are version 1.
            chainVersion: json["chainVersion"] == nil ? 1 : Int(try integer("chainVersion")))
    }
}

extension RecordedEvent {
    /// The event with its typed payload; nil for a type the rules do not know (x- notes). A
    /// stored payload that does not read as its type is an integrity failure naming the event.
    public func releaseEvent() throws(LedgerError) -> ReleaseEvent? {
        guard let type = EventType(rawValue: self.type) else { return nil }
        let data = try payload()
        do { return try ReleaseEvent(type: type, decoding: data) } catch {
            throw LedgerFold.unreadable(position: position, type: type, error)
        }
    }
}
