/// Reads a payload's fields, whether it is a parsed value (an append) or stored text read in place
/// (a rebuild): one decoder per payload type serves both, specialised for each by the compiler.
/// A field that is missing or of the wrong kind is an error naming it, never a default.
///
/// `Source` is constrained on the methods, not the type: a constrained generic type's metadata,
/// made at run time, checks the conformance by scanning every conformance in the binary, about
/// 0.2 M instructions in each CI step for each payload kind (`StoredJSON`, `JSONValue`).
struct PayloadReader<Source> {
    let data: Source
    // Where `data` sits (`data.images`, `data.gates[3]`), kept in pieces and spelled out only for
    // a problem: spelling it for every gate row the fold reads cost a rebuild about a tenth.
    private let parent: String
    private let member: String?
    private let index: Int?

    init(_ data: Source, path: String = "data") {
        self.data = data
        parent = path
        member = nil
        index = nil
    }

    /// The object at `key` of the object `parent` reads, or at `key[index]` when that is an array.
    init(_ data: Source, at key: String, index: Int? = nil, in parent: PayloadReader) {
        self.data = data
        self.parent = parent.path
        member = key
        self.index = index
    }

    var path: String {
        var path = parent
        if let member { path += "." + member }
        if let index { path += "[\(index)]" }
        return path
    }
}

extension PayloadReader where Source: FoldPayload {
    func problem(_ key: String, _ rule: String) -> PayloadDecodingError {
        PayloadDecodingError(field: "\(path).\(key)", rule: rule)
    }

    func text(_ key: String) throws(PayloadDecodingError) -> String {
        guard let text = data[key]?.stringValue else { throw problem(key, "is required (a string)") }
        return text
    }

    /// Absent and null are both nil; anything else must be a string.
    func optionalText(_ key: String) throws(PayloadDecodingError) -> String? {
        guard let member = data[key], !member.isNull else { return nil }
        guard let text = member.stringValue else { throw problem(key, "must be a string") }
        return text
    }

    func value<Value: DomainValue>(_ key: String) throws(PayloadDecodingError) -> Value {
        guard let value = try optionalValue(key) as Value? else {
            throw problem(key, "is required (one of \(Value.allowedValues.joined(separator: ", ")))")
        }
        return value
    }

    func optionalValue<Value: DomainValue>(_ key: String) throws(PayloadDecodingError) -> Value? {
        guard let text = try optionalText(key) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw problem(key, "must be one of \(Value.allowedValues.joined(separator: ", "))")
        }
        return value
    }

    func bool(_ key: String) throws(PayloadDecodingError) -> Bool {
        guard let flag = data[key]?.boolValue else { throw problem(key, "is required (true or false)") }
        return flag
    }

    func optionalBool(_ key: String) throws(PayloadDecodingError) -> Bool? {
        guard let member = data[key] else { return nil }
        guard let flag = member.boolValue else { throw problem(key, "must be true or false") }
        return flag
    }

    func optionalNumber(_ key: String) throws(PayloadDecodingError) -> Double? {
        guard let member = data[key] else { return nil }
        guard let number = member.doubleValue else { throw problem(key, "must be a number") }
        return number
    }

    func optionalTimestamp(_ key: String) throws(PayloadDecodingError) -> Timestamp? {
        guard let text = try optionalText(key) else { return nil }
        guard let time = Timestamp(rfc3339: text) else { throw problem(key, "must be an RFC 3339 date-time") }
        return time
    }

    /// A string or an integer, kept as text (GitHub deployment ids are numbers).
    func optionalIdentifier(_ key: String) throws(PayloadDecodingError) -> String? {
        guard let member = data[key] else { return nil }
        if let text = member.stringValue { return text }
        guard let number = member.intValue else { throw problem(key, "must be a string or an integer") }
        return String(number)
    }

    func nested(_ key: String) throws(PayloadDecodingError) -> PayloadReader {
        guard let member = data[key], member.isObject else { throw problem(key, "is required (an object)") }
        return PayloadReader(member, at: key, in: self)
    }

    /// `[{"name": ..., "url": ...}]`; absent is empty.
    func evidence(_ key: String) throws(PayloadDecodingError) -> [EvidenceLink] {
        guard let member = data[key] else { return [] }
        guard let elements = member.arrayElements else { throw problem(key, "must be an array") }
        var links: [EvidenceLink] = []
        links.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let item = PayloadReader(element, at: key, index: index, in: self)
            links.append(EvidenceLink(name: try item.text("name"), url: try item.text("url")))
        }
        return links
    }
}
