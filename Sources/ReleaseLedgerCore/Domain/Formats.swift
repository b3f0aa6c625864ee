/// Checks for the identifiers the runbook relies on.
public enum Formats {
    /// A commit SHA: exactly 40 lowercase hex digits.
    public static func isCommitSHA(_ s: String) -> Bool { s.utf8.count == 40 && s.utf8.allSatisfy(isLowerHex) }

    public static func isLowerHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) }

    /// An image digest reference `REPOSITORY@sha256:<64 lowercase hex>`: a tag is not a digest,
    /// and a digest is the only reference a deploy may use (the runbook: never rebuild).
    public static func isDigestRef(_ s: String) -> Bool {
        guard let at = s.utf8.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let repository = s.utf8[..<at]
        let digest = s.utf8[s.utf8.index(after: at)...]
        let prefix = "sha256:".utf8
        guard digest.count == prefix.count + 64, digest.starts(with: prefix),
            digest.dropFirst(prefix.count).allSatisfy(isLowerHex)
        else { return false }
        return isRepository(repository)
    }

    /// The longest repository name a digest reference may carry.
    public static let maxRepositoryLength = 255
    /// The repository, the '@' and `sha256:` with its 64 hex digits.
    public static let maxDigestRefLength = maxRepositoryLength + 1 + 71

    /// Lowercase registry host (optional port) and path components, as the OCI distribution spec names them.
    static func isRepository(_ name: Substring.UTF8View) -> Bool {
        guard !name.isEmpty, name.count <= maxRepositoryLength else { return false }
        var previousWasSeparator = true
        for c in name {
            let isAlnum = (c >= 48 && c <= 57) || (c >= 97 && c <= 122)
            if isAlnum {
                previousWasSeparator = false
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "/")
                || c == UInt8(ascii: ":")
            {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    /// An absolute http(s) URL with a host. Read byte by byte, like the other checks here (and like
    /// the JSON Schema pattern): `hasPrefix` compares Characters, so a combining mark after `//`
    /// would hide the scheme's last slash, or an empty host's slash.
    public static func isHTTPURL(_ s: String) -> Bool {
        for scheme in ["https://", "http://"] where s.utf8.starts(with: scheme.utf8) {
            let rest = s.utf8.dropFirst(scheme.utf8.count)
            return !rest.isEmpty && rest.first != UInt8(ascii: "/") && !s.utf8.contains(where: { $0 <= 0x20 })
        }
        return false
    }

    /// The runbook's identity URI form, `api://...` (bytes, as the runbook's shell compares them).
    public static func isAPIIdentifierURI(_ s: String) -> Bool {
        s.utf8.starts(with: "api://".utf8) && s.utf8.count > 6
    }
}
