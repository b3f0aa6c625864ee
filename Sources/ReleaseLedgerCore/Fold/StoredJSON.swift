/// Reads fields straight out of stored JSON text without building a tree: what a rebuild uses
/// to fold a million events, where parsing every payload into `JSONValue` was most of the cost.
///
/// Stored payloads are canonical (no white space, one form per value), but the reader does not
/// rely on it: white space is skipped, escaped strings are decoded, and malformed text gives nil,
/// never a crash. It points into bytes it does not own: use it only while they are alive.
package struct StoredJSON {
    /// The value's bytes, from its first byte to its last.
    package let bytes: UnsafeBufferPointer<UInt8>

    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = bytes.count
        while start < end, Self.isSpace(bytes[start]) { start += 1 }
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        self.bytes = UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    private func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// The index just past the string whose opening quote is at `i`, and whether it has escapes.
    private func endOfString(_ i: Int) -> (end: Int, escaped: Bool)? {
        var j = i + 1
        var escaped = false
        while j < bytes.count {
            switch bytes[j] {
            case 0x22: return (j + 1, escaped)
            case 0x5C:
                escaped = true
                j += 2
            default: j += 1
            }
        }
        return nil
    }

    /// The index just past the value that starts at `i`.
    private func endOfValue(_ i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case 0x22: return endOfString(i)?.end
        case 0x7B, 0x5B:
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case 0x22:
                    guard let end = endOfString(j)?.end else { return nil }
                    j = end
                    continue
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return nil
        default:
            var j = i
            while j < bytes.count, !Self.isSpace(bytes[j]), bytes[j] != 0x2C, bytes[j] != 0x7D, bytes[j] != 0x5D {
                j += 1
            }
            return j
        }
    }

    private func slice(_ range: Range<Int>) -> StoredJSON { StoredJSON(UnsafeBufferPointer(rebasing: bytes[range])) }

    /// An object's member, found by scanning its keys.
    package subscript(key: String) -> StoredJSON? {
        guard bytes.first == 0x7B else { return nil }
        var key = key
        return key.withUTF8 { wanted -> StoredJSON? in
            var i = skipSpace(1)
            while i < bytes.count, bytes[i] == 0x22 {
                guard let (keyEnd, escaped) = endOfString(i) else { return nil }
                let matches =
                    escaped
                    ? slice(i..<keyEnd).stringValue.map { $0.utf8.elementsEqual(wanted) } ?? false
                    : (keyEnd - i - 2 == wanted.count
                        && UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(keyEnd - 1)]).elementsEqual(wanted))
                i = skipSpace(keyEnd)
                guard i < bytes.count, bytes[i] == 0x3A else { return nil }
                let valueStart = skipSpace(i + 1)
                guard let valueEnd = endOfValue(valueStart) else { return nil }
                if matches { return slice(valueStart..<valueEnd) }
                i = skipSpace(valueEnd)
                guard i < bytes.count, bytes[i] == 0x2C else { return nil }
                i = skipSpace(i + 1)
            }
            return nil
        }
    }

    /// An array's elements.
    package var arrayElements: [StoredJSON]? {
        guard bytes.first == 0x5B else { return nil }
        var elements: [StoredJSON] = []
        var i = skipSpace(1)
        if i < bytes.count, bytes[i] == 0x5D { return elements }
        while i < bytes.count {
            guard let end = endOfValue(i) else { return nil }
            elements.append(slice(i..<end))
            i = skipSpace(end)
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x5D { return elements }
            guard bytes[i] == 0x2C else { return nil }
            i = skipSpace(i + 1)
        }
        return nil
    }

    package var stringValue: String? {
        guard bytes.count >= 2, bytes.first == 0x22, let (end, escaped) = endOfString(0), end == bytes.count else {
            return nil
        }
        if !escaped {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[1..<(bytes.count - 1)]), as: UTF8.self)
        }
        return parsed?.stringValue
    }

    package var boolValue: Bool? {
        if bytes.elementsEqual("true".utf8) { return true }
        if bytes.elementsEqual("false".utf8) { return false }
        return nil
    }

    /// Numbers are few in payloads: they go through the full parser for its exact rules.
    package var doubleValue: Double? { parsed?.doubleValue }
    package var intValue: Int64? { parsed?.intValue }

    private var parsed: JSONValue? {
        try? JSONParser.parse(String(decoding: bytes, as: UTF8.self), field: "stored", limits: .internal)
    }

    /// SHA-256 of the text as stored, which is the canonical form the ledger wrote.
    package var contentHash: String { ChainHasher.hash(bytes: bytes) }
}
