import SecretScanning

/// How an object key appears in an error path (`.name`). Keys come from the input, so they are
/// made fit for a one-line message: line breaks and other control characters are escaped, a key
/// that looks like a credential is not echoed, and a very long key is cut short.
public enum JSONPath {
    public static let maxKeyCharacters = 64

    public static func member(_ key: String) -> String {
        if let finding = SecretScanner.scan(value: key, key: nil, field: "") {
            return ".<a key that looks like a secret (\(finding.kind.rawValue))>"
        }
        var text = "."
        for (count, scalar) in key.unicodeScalars.enumerated() {
            if count == maxKeyCharacters {
                text += "…"
                break
            }
            switch scalar.value {
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029: text += "\\u" + hex4(scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}

package func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
