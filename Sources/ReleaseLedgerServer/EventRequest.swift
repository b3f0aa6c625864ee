import ReleaseLedgerCore

/// Reads the events of an append request: one event object, `{"events": [...]}`, or JSON Lines.
///
/// The fields are those of a `release-ledger append --batch` line, plus `retryKey`: the key the
/// command line derives inside GitHub Actions, which the ledger turns into the event's id.
enum EventRequest {
    static let fields: Set<String> = ["type", "sha", "data", "id", "stream", "expect", "metadata", "retryKey"]

    static func events(fromJSON bytes: [UInt8], limits: InputLimits) throws(LedgerError) -> [ProposedEvent] {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes: bytes, field: "body", limits: limits) } catch {
            throw .invalidInput(field: error.path, rule: error.rule)
        }
        guard case .object(let object) = value else {
            throw .invalidInput(field: "body", rule: "must be a JSON object")
        }
        guard let list = object["events"] else { return [try event(from: value, field: "body")] }
        guard object.members.count == 1 else {
            throw .invalidInput(field: "body", rule: "a batch has only the member events")
        }
        guard case .array(let items) = list else {
            throw .invalidInput(field: "body.events", rule: "must be an array of events")
        }
        return try items.enumerated().map { (index, item) throws(LedgerError) in
            try event(from: item, field: "body.events[\(index)]")
        }
    }

    static func events(fromJSONLines bytes: [UInt8], limits: InputLimits) throws(LedgerError) -> [ProposedEvent] {
        var events: [ProposedEvent] = []
        for (number, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let field = "line \(number + 1)"
            let value: JSONValue
            do { value = try JSONParser.parse(bytes: Array(line), field: field, limits: limits) } catch {
                throw .invalidInput(field: error.path, rule: error.rule)
            }
            events.append(try event(from: value, field: field))
        }
        return events
    }

    static func event(from value: JSONValue, field: String) throws(LedgerError) -> ProposedEvent {
        guard case .object(let object) = value else { throw .invalidInput(field: field, rule: "must be a JSON object") }
        for key in object.keys where !fields.contains(key) {
            throw .invalidInput(field: field + JSONPath.member(key), rule: "is not a known field of an event")
        }
        guard let type = object["type"]?.stringValue else {
            throw .invalidInput(field: "\(field).type", rule: "is required (a string)")
        }
        guard let sha = object["sha"]?.stringValue else {
            throw .invalidInput(field: "\(field).sha", rule: "is required (a string)")
        }
        guard let data = object["data"] else { throw .invalidInput(field: "\(field).data", rule: "is required") }
        for key in ["id", "stream", "retryKey"] where object[key] != nil && object[key]?.stringValue == nil {
            throw .invalidInput(field: "\(field).\(key)", rule: "must be a string")
        }
        var metadata = EventMetadata()
        if let given = object["metadata"] {
            do { metadata = try EventMetadata(json: given) } catch {
                if case .invalidInput(let name, let rule) = error {
                    throw .invalidInput(field: "\(field).\(name)", rule: rule)
                }
                throw error
            }
        }
        var expected = ExpectedVersion.any
        if let expect = object["expect"] {
            let text = expect.stringValue ?? expect.intValue.map(String.init) ?? ""
            guard let parsed = ExpectedVersion(argument: text) else {
                throw .invalidInput(field: "\(field).expect", rule: "must be any, none, exists or a version number")
            }
            expected = parsed
        }
        if let key = object["retryKey"]?.stringValue {
            try AppendEngineText.check(key, field: "\(field).retryKey")
        }
        return ProposedEvent(
            id: object["id"]?.stringValue, type: type, sha: sha, stream: object["stream"]?.stringValue, data: data,
            metadata: metadata,
            expectedVersion: expected, retryKey: object["retryKey"]?.stringValue)
    }
}

/// A retry key ends up in an event id: one printable line, like the id itself.
enum AppendEngineText {
    static func check(_ text: String, field: String) throws(LedgerError) {
        if text.isEmpty || text.utf8.count > 160 { throw .invalidInput(field: field, rule: "must be 1 to 160 bytes") }
        if text.unicodeScalars.contains(where: {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value > 0x7E
        }) {
            throw .invalidInput(field: field, rule: "must be printable ASCII")
        }
    }
}

extension EventRequest {
    /// The body of a typed verb (`POST /v1/candidates/{sha}/deploy`): the event's payload and
    /// options, without `type` and `sha`, which the path gives.
    static func verbEvent(fromJSON bytes: [UInt8], type: String, sha: String, limits: InputLimits) throws(LedgerError)
        -> ProposedEvent
    {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes: bytes, field: "body", limits: limits) } catch {
            throw .invalidInput(field: error.path, rule: error.rule)
        }
        guard case .object(var object) = value else {
            throw .invalidInput(field: "body", rule: "must be a JSON object")
        }
        for key in ["type", "sha"] where object[key] != nil {
            throw .invalidInput(field: "body.\(key)", rule: "is given by the path, not the body")
        }
        object["type"] = .string(type)
        object["sha"] = .string(sha)
        return try event(from: .object(object), field: "body")
    }
}
