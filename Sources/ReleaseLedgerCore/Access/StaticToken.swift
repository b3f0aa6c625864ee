import Crypto

/// The static bearer tokens `release-ledger token create` prints once: `rlt_` and 43 random base62
/// characters (256 bits). The prefix lets the secret scanner, and scanners of other tools, spot
/// one pasted where it does not belong. The ledger keeps only `sha256:<hex>` of the whole text: a
/// token is random, so a plain hash cannot be reversed by guessing (no salt or slow hash needed).
public enum StaticToken {
    public static let prefix = "rlt_"
    public static let randomCharacters = 43
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new token from `generator` (the command line passes the system's random source).
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var text = prefix
        for _ in 0..<randomCharacters {
            text.unicodeScalars.append(Unicode.Scalar(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]))
        }
        return text
    }

    /// Whether `text` has a token's shape (the prefix and exactly 43 base62 characters).
    public static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == prefix.utf8.count + randomCharacters && text.hasPrefix(prefix)
            && bytes.dropFirst(prefix.utf8.count).allSatisfy { alphabet.contains($0) }
    }

    /// What the ledger stores: `sha256:` and the lower-case hex SHA-256 of the token's UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        "sha256:"
            + SHA256.hash(data: Array(token.utf8)).map { byte in
                String(
                    decoding: [ChainHasher.hexDigits[Int(byte >> 4)], ChainHasher.hexDigits[Int(byte & 0x0F)]],
                    as: UTF8.self)
            }.joined()
    }

    /// Equal bytes, compared in time that depends only on the lengths: how long a comparison
    /// takes says nothing about how much of a stored hash a guess got right.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
