/// The read model's stored form of the fold state: plain JSON written and read by hand, because
/// it is saved on every append and Codable's dynamic dispatch cost a third of the append path.
public struct StateDecodingError: Error, Equatable, Sendable {
    public let field: String
}

struct JSONReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, _ path: String) {
        self.value = value
        self.path = path
    }

    func child(_ key: String) throws(StateDecodingError) -> JSONReader {
        guard let member = value[key] else { throw StateDecodingError(field: "\(path).\(key)") }
        return JSONReader(member, "\(path).\(key)")
    }

    func optionalChild(_ key: String) -> JSONReader? {
        guard let member = value[key], member != .null else { return nil }
        return JSONReader(member, "\(path).\(key)")
    }

    func string(_ key: String) throws(StateDecodingError) -> String {
        guard let text = value[key]?.stringValue else { throw StateDecodingError(field: "\(path).\(key)") }
        return text
    }

    /// Absent or null is nil; any other value that is not a string is an error naming the field.
    func optionalString(_ key: String) throws(StateDecodingError) -> String? {
        guard let member = value[key], member != .null else { return nil }
        guard let text = member.stringValue else { throw StateDecodingError(field: "\(path).\(key)") }
        return text
    }

    /// One of a domain value's cases; a stored string that is none of them is an error, not a default.
    func domainValue<Value: DomainValue>(_ key: String) throws(StateDecodingError) -> Value {
        guard let found = Value(rawValue: try string(key)) else { throw StateDecodingError(field: "\(path).\(key)") }
        return found
    }

    func optionalDomainValue<Value: DomainValue>(_ key: String) throws(StateDecodingError) -> Value? {
        guard try optionalString(key) != nil else { return nil }
        return try domainValue(key) as Value
    }

    func optionalTimestamp(_ key: String) throws(StateDecodingError) -> Timestamp? {
        guard try optionalString(key) != nil else { return nil }
        return try timestamp(key)
    }

    func bool(_ key: String) throws(StateDecodingError) -> Bool {
        guard let flag = value[key]?.boolValue else { throw StateDecodingError(field: "\(path).\(key)") }
        return flag
    }

    func int(_ key: String) throws(StateDecodingError) -> Int64 {
        guard let number = value[key]?.intValue else { throw StateDecodingError(field: "\(path).\(key)") }
        return number
    }

    func timestamp(_ key: String) throws(StateDecodingError) -> Timestamp {
        guard let time = Timestamp(rfc3339: try string(key)) else { throw StateDecodingError(field: "\(path).\(key)") }
        return time
    }

    func array(_ key: String) throws(StateDecodingError) -> [JSONReader] {
        guard let items = value[key]?.arrayValue else { throw StateDecodingError(field: "\(path).\(key)") }
        return items.enumerated().map { JSONReader($1, "\(path).\(key)[\($0)]") }
    }
}

extension JSONValue {
    static func optional<T>(_ value: T?, _ transform: (T) -> JSONValue) -> JSONValue { value.map(transform) ?? .null }
}
