/// Canonical JSON bytes: sorted keys, no insignificant white space, one form per number and
/// string (RFC 8785 is the model). Equal values always give equal bytes, so hashes are stable.
public enum CanonicalJSON {
    /// Compact canonical text, as hashed and stored.
    public static func encode(_ value: JSONValue) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(value, into: &out, indent: nil, level: 0)
        return out
    }

    /// Indented canonical text with a trailing newline, for files people read (artifacts).
    /// Still deterministic: same value, same bytes.
    public static func encodePretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", level: 0)
        out.append("\n")
        return out
    }

    static func write(_ value: JSONValue, into out: inout String, indent: String?, level: Int) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let n): out.append(format(n))
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { out.append("[]"); return }
            out.append("[")
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent: indent, level: level + 1)
                write(element, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent: indent, level: level)
            out.append("]")
        case .object(let object):
            if object.isEmpty { out.append("{}"); return }
            out.append("{")
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent: indent, level: level + 1)
                writeString(member.key, into: &out)
                out.append(indent == nil ? ":" : ": ")
                write(member.value, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent: indent, level: level)
            out.append("}")
        }
    }

    private static func newline(_ out: inout String, indent: String?, level: Int) {
        guard let indent else { return }
        out.append("\n")
        for _ in 0..<level { out.append(indent) }
    }

    static func writeString(_ s: String, into out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    out.append("\\u")
                    out.append(hex4(scalar.value).lowercased())
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// Integers print as integers; a double with an integral value in the exact range prints as an
    /// integer too, so `1.0` and `1` are one number. Other doubles use the shortest round-trip form.
    public static func format(_ number: JSONNumber) -> String {
        switch number {
        case .integer(let i): return String(i)
        case .double(let d):
            if d == 0 { return "0" }
            if d.rounded() == d, abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
            var text = d.description
            // Swift writes "1e-07"; ECMAScript (and RFC 8785) write "1e-7".
            if let e = text.firstIndex(of: "e") {
                let mantissa = text[..<e]
                var exponent = text[text.index(after: e)...]
                var sign = ""
                if let first = exponent.first, first == "-" || first == "+" {
                    sign = String(first)
                    exponent = exponent.dropFirst()
                }
                let digits = exponent.drop { $0 == "0" }
                text = "\(mantissa)e\(sign == "-" ? "-" : "+")\(digits.isEmpty ? "0" : String(digits))"
            }
            return text
        }
    }
}
