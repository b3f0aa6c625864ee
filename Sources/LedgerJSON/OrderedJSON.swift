/// JSON whose object members keep the order they were written in, for documents people read: a
/// generated JSON Schema lists `$schema` first and a payload's fields in declaration order.
/// `JSONValue` sorts keys because hashing needs one form; a document for readers does not.
public indirect enum OrderedJSON: Sendable {
    case object([(key: String, value: OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null

    /// Two-space indented text with a trailing newline, the layout of the files in `Schema/`.
    public var prettyText: String {
        var out = JSONBytes(capacity: 4096)
        out.write(self, level: 0)
        out.bytes.append(0x0A)
        return out.string
    }
}

extension OrderedJSON: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    public init(dictionaryLiteral members: (String, OrderedJSON)...) {
        self = .object(members.map { (key: $0.0, value: $0.1) })
    }
    public init(arrayLiteral elements: OrderedJSON...) { self = .array(elements) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONBytes {
    fileprivate mutating func write(_ value: OrderedJSON, level: Int) {
        switch value {
        case .null: raw("null")
        case .bool(let b): if b { raw("true") } else { raw("false") }
        case .integer(let i): integer(i)
        case .string(let s): string(s)
        case .array(let elements):
            guard !elements.isEmpty else { return raw("[]") }
            bytes.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            bytes.append(0x5D)
        case .object(let members):
            guard !members.isEmpty else { return raw("{}") }
            bytes.append(0x7B)
            for (i, member) in members.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                newline(level + 1)
                string(member.key)
                raw(": ")
                write(member.value, level: level + 1)
            }
            newline(level)
            bytes.append(0x7D)
        }
    }
}
