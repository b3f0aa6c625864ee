/// Canonical JSON bytes: sorted keys, no insignificant white space, one form per number and
/// string (RFC 8785 is the model). Equal values always give equal bytes, so hashes are stable.
public enum CanonicalJSON {
    /// Compact canonical text, as hashed and stored.
    public static func encode(_ value: JSONValue) -> String {
        var out = JSONBytes()
        out.write(value, indent: false, level: 0)
        return out.string
    }

    /// Indented canonical text with a trailing newline, for files people read (artifacts).
    /// Still deterministic: same value, same bytes.
    public static func encodePretty(_ value: JSONValue) -> String {
        String(decoding: encodePrettyUTF8(value), as: UTF8.self)
    }

    public static func encodePrettyUTF8(_ value: JSONValue) -> [UInt8] {
        var out = JSONBytes(capacity: 4096)
        out.write(value, indent: true, level: 0)
        out.bytes.append(0x0A)
        return out.bytes
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
