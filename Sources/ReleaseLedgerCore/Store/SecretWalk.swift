import SecretScanning

/// Walks a JSON document and asks the scanner about every string (keys included).
enum SecretWalk {
    static func firstFinding(in value: JSONValue, path: String, key: String? = nil) -> SecretFinding? {
        firstFinding(in: value, key: key) { path }
    }

    /// The path is built only for a finding: every append walks its payload, and most have none.
    private static func firstFinding(in value: JSONValue, key: String?, path: () -> String) -> SecretFinding? {
        switch value {
        case .string(let s): return SecretScanner.scan(value: s, key: key, field: path())
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                // Elements are judged under the array's key: `{"client_secret":["…"]}`.
                if let finding = firstFinding(in: element, key: key, path: { "\(path())[\(index)]" }) {
                    return finding
                }
            }
        case .object(let object):
            for (memberKey, member) in object {
                // A key that is itself a credential must not be printed: name its parent instead.
                if let finding = SecretScanner.scan(value: memberKey, key: nil, field: "a key of \(path())") {
                    return finding
                }
                func memberPath() -> String { path() + JSONPath.member(memberKey) }
                let judgedKey = SecretScanner.key(forMember: memberKey, under: key)
                if let finding = firstFinding(in: member, key: judgedKey, path: memberPath) { return finding }
            }
        default: break
        }
        return nil
    }
}
