/// A byte buffer that canonical JSON is written into. Appending bytes, not Unicode scalars, is
/// what keeps encoding and hashing cheap on the append path.
public struct JSONBytes {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func integer(_ value: Int64) { raw(String(value)) }

    /// Eight bytes, most significant first: a length or an integer in a chain-version-2 envelope.
    public mutating func bigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: quotes, and escapes for `"`, `\` and control characters only; everything
    /// else is copied as UTF-8 in runs.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    /// The same for UTF-8 bytes that are not a String (a row's column, as SQLite returned it).
    package mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        // Identifiers, SHAs and hashes never need escaping: copy them whole.
        if !Self.needsEscaping(utf8) {
            bytes.append(contentsOf: utf8)
            bytes.append(0x22)
            return
        }
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x08: bytes += [0x5C, 0x62]
            case 0x0C: bytes += [0x5C, 0x66]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(0x22)
    }

    /// Whether any byte is a control character, a quote or a backslash; eight bytes at a time.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        var index = 0
        while index + 8 <= utf8.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // A byte below 0x20, or equal to 0x22 or 0x5C (the bit tricks of "Bit Twiddling Hacks").
            if (word &- ones &* 0x20) & ~word & highs != 0 || hasZeroByte(word ^ (ones &* 0x22))
                || hasZeroByte(word ^ (ones &* 0x5C))
            {
                return true
            }
            index += 8
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
            index += 1
        }
        return false
    }

    package mutating func write(_ value: JSONValue, indent: Bool, level: Int) {
        switch value {
        case .null: raw("null")
        case .bool(let b): b ? raw("true") : raw("false")
        case .number(let n): raw(CanonicalJSON.format(n))
        case .string(let s): string(s)
        case .array(let elements):
            if elements.isEmpty {
                raw("[]")
                return
            }
            bytes.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                if indent { newline(level + 1) }
                write(element, indent: indent, level: level + 1)
            }
            if indent { newline(level) }
            bytes.append(0x5D)
        case .object(let object):
            if object.isEmpty {
                raw("{}")
                return
            }
            bytes.append(0x7B)
            for (i, member) in object.members.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                if indent { newline(level + 1) }
                string(member.key)
                bytes.append(0x3A)
                if indent { bytes.append(0x20) }
                write(member.value, indent: indent, level: level + 1)
            }
            if indent { newline(level) }
            bytes.append(0x7D)
        }
    }

    /// A line break and two spaces per level: the indented form of every writer. A byte at a time:
    /// appending a repeated sequence cost more for indents this short (callgrind, W4's artifacts).
    package mutating func newline(_ level: Int) {
        bytes.append(0x0A)
        for _ in 0..<level {
            bytes.append(0x20)
            bytes.append(0x20)
        }
    }
}
