/// A strict RFC 8259 parser with the I-JSON rules of RFC 7493: UTF-8 only, no duplicate keys,
/// no lone surrogates, no numbers a double cannot hold exactly enough, and the ledger's own
/// limits on size, depth and string length.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private let limits: InputLimits
    private var path: [String]

    /// Parses one complete document; `field` names it in errors (`data`, `metadata`, ...).
    public static func parse(_ text: String, field: String = "$", limits: InputLimits = .standard)
        throws(JSONParseError) -> JSONValue
    {
        try parse(bytes: Array(text.utf8), field: field, limits: limits)
    }

    public static func parse(bytes: [UInt8], field: String = "$", limits: InputLimits = .standard)
        throws(JSONParseError) -> JSONValue
    {
        var parser = JSONParser(bytes: bytes, limits: limits, root: field)
        if bytes.count > limits.maxDocumentBytes {
            throw parser.error("is \(bytes.count) bytes, over the limit of \(limits.maxDocumentBytes)")
        }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], limits: InputLimits, root: String) {
        self.bytes = bytes
        self.limits = limits
        self.path = [root]
    }

    private func error(_ rule: String) -> JSONParseError {
        // Keys are kept raw while parsing and made printable only when an error names them.
        let rendered = path.enumerated().map {
            $0 > 0 && $1.hasPrefix(".") ? JSONPath.member(String($1.dropFirst())) : $1
        }
        return JSONParseError(path: rendered.joined(), rule: rule, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("is not valid JSON: unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        for expected in literal.utf8 {
            guard index < bytes.count, bytes[index] == expected else {
                throw error("is not valid JSON: unexpected character")
            }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error("nests deeper than the limit of \(limits.maxDepth)") }
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("is not valid JSON: expected a quoted key")
            }
            let key = try parseString()
            path.append(".\(key)")
            // Canonical input arrives sorted: then the key only needs comparing with the last one.
            let appendsInOrder = object.members.last.map { JSONObject.compare($0.key, key) < 0 } ?? true
            if !appendsInOrder, object[key] != nil { throw error("has a duplicate key (I-JSON, RFC 7493)") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("is not valid JSON: expected ':'")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if appendsInOrder { object.appendInOrder(key, value) } else { object[key] = value }
            path.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw error("is not valid JSON: unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            }
            throw error("is not valid JSON: expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error("nests deeper than the limit of \(limits.maxDepth)") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            path.append("[\(elements.count)]")
            elements.append(try parseValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw error("is not valid JSON: unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw error("is not valid JSON: expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        // Fast path: plain ASCII up to the closing quote (most keys and values) becomes a String in one copy.
        var end = index
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] < 0x80, bytes[end] != UInt8(ascii: "\""),
            bytes[end] != UInt8(ascii: "\\")
        {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - index <= limits.maxStringBytes {
            // Every byte was checked to be printable ASCII, so the copy needs no UTF-8 validation.
            let start = index
            let text = String(unsafeUninitializedCapacity: end - start) { buffer in
                _ = buffer.initialize(fromContentsOf: bytes[start..<end])
                return end - start
            }
            index = end + 1
            return text
        }
        // Slow path: escapes or non-ASCII. Scalars are validated one by one and collected as UTF-8.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(64)
        while true {
            guard index < bytes.count else { throw error("is not valid JSON: unterminated string") }
            let byte = bytes[index]
            let scalar: Unicode.Scalar
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            } else if byte == UInt8(ascii: "\\") {
                scalar = try parseEscape()
            } else if byte < 0x20 {
                throw error("contains a raw control character; escape it")
            } else if byte < 0x80 {
                scalar = Unicode.Scalar(byte)
                index += 1
            } else {
                scalar = try decodeUTF8()
            }
            // NUL and C0 controls other than tab, newline and carriage return are refused even when escaped:
            // they hide text from people reading an audit trail.
            if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" {
                throw error("contains control character U+\(hex4(scalar.value)), which is not allowed")
            }
            if scalar.isASCII {
                utf8.append(UInt8(scalar.value))
            } else {
                UTF8.encode(scalar) { utf8.append($0) }
            }
            if utf8.count > limits.maxStringBytes {
                throw error("has a string longer than the limit of \(limits.maxStringBytes) bytes")
            }
        }
        // Every scalar was validated above, so these bytes are well-formed UTF-8.
        return String(decoding: utf8, as: UTF8.self)
    }

    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else { throw error("is not valid JSON: unterminated escape") }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            if (0xD800...0xDBFF).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error("contains a lone surrogate (I-JSON, RFC 7493)")
                }
                index += 2
                let second = try parseHex4()
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw error("contains a lone surrogate (I-JSON, RFC 7493)")
                }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                return Unicode.Scalar(value)!
            }
            guard let scalar = Unicode.Scalar(first) else {
                throw error("contains a lone surrogate (I-JSON, RFC 7493)")
            }
            return scalar
        default:
            throw error("is not valid JSON: unknown escape")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("is not valid JSON: truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("is not valid JSON: bad \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// Decodes one multi-byte UTF-8 sequence, refusing overlong forms, surrogates and truncation.
    private mutating func decodeUTF8() throws(JSONParseError) -> Unicode.Scalar {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            value = UInt32(lead & 0x0F)
        case 0xF0...0xF4:
            length = 4
            value = UInt32(lead & 0x07)
        default: throw error("is not valid UTF-8")
        }
        guard index + length <= bytes.count else { throw error("is not valid UTF-8") }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { throw error("is not valid UTF-8") }
            value = (value << 6) | UInt32(continuation & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else {
            throw error("is not valid UTF-8")
        }
        index += length
        return scalar
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("is not valid JSON: bad number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("is not valid JSON: leading zero in number") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("is not valid JSON: bad fraction") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("is not valid JSON: bad exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            // I-JSON: integers beyond 2^53 lose precision in most JSON readers.
            guard integer.magnitude <= 9_007_199_254_740_991 else {
                throw error("is an integer outside the exact range of I-JSON (±2^53-1)")
            }
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else { throw error("is a number out of range") }
        if isInteger { throw error("is an integer outside the exact range of I-JSON (±2^53-1)") }
        // 1e-400 parses as 0: a nonzero literal must not be stored as zero without a word.
        if double == 0, text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { $0 >= "1" && $0 <= "9" }) {
            throw error("is a number too small to represent (it would be stored as 0)")
        }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
