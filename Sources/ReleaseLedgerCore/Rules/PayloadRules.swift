/// The strict parser's rules, applied to a payload however it was built: from `--data`, from a
/// batch line, or by a command out of its flags (`--reason`, `--deployment-id`). A value that
/// the parser would refuse in a file is refused here too, so no path stores what another refuses.
public enum PayloadRules {
    /// The first value of `value` that breaks a rule, with its path (`data.reason`).
    public static func check(_ value: JSONValue, field: String, limits: InputLimits = .standard) throws(LedgerError) {
        try check(value, path: field, depth: 0, limits: limits)
    }

    private static func check(_ value: JSONValue, path: @autoclosure () -> String, depth: Int, limits: InputLimits)
        throws(LedgerError)
    {
        switch value {
        case .null, .bool: return
        case .string(let text): try checkString(text, path: path(), limits: limits)
        case .number(.integer(let integer)):
            // I-JSON: integers beyond 2^53 lose precision in most JSON readers (and read back as null here).
            if integer.magnitude > 9_007_199_254_740_991 {
                throw .invalidInput(field: path(), rule: "is an integer outside the exact range of I-JSON (±2^53-1)")
            }
        case .number(.double(let double)):
            if !double.isFinite { throw .invalidInput(field: path(), rule: "is a number out of range") }
        case .array(let elements):
            if depth + 1 > limits.maxDepth {
                throw .invalidInput(field: path(), rule: "nests deeper than the limit of \(limits.maxDepth)")
            }
            for (index, element) in elements.enumerated() {
                try check(element, path: "\(path())[\(index)]", depth: depth + 1, limits: limits)
            }
        case .object(let object):
            if depth + 1 > limits.maxDepth {
                throw .invalidInput(field: path(), rule: "nests deeper than the limit of \(limits.maxDepth)")
            }
            for (key, member) in object {
                try checkString(key, path: "a key of \(path())", limits: limits)
                try check(member, path: path() + JSONPath.member(key), depth: depth + 1, limits: limits)
            }
        }
    }

    /// The parser's string rules: at most `maxStringBytes` of UTF-8, and no NUL or other C0
    /// control character except tab, newline and carriage return.
    static func checkString(_ text: String, path: @autoclosure () -> String, limits: InputLimits) throws(LedgerError) {
        if text.utf8.count > limits.maxStringBytes {
            throw .invalidInput(
                field: path(), rule: "has a string longer than the limit of \(limits.maxStringBytes) bytes")
        }
        for scalar in text.unicodeScalars
        where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" {
            throw .invalidInput(
                field: path(), rule: "contains control character U+\(hex4(scalar.value)), which is not allowed")
        }
    }
}
