import Crypto

/// Ed25519 keys in the signed-note formats (c2sp.org/signed-note, Go's golang.org/x/mod/sumdb/note):
/// the verifier key `name+hex(keyid)+base64(0x01||public key)`, and the signer key
/// `PRIVATE+KEY+name+hex(keyid)+base64(0x01||seed)`, which Go's `note.NewSigner` reads as is.
public struct NoteSigner: Sendable {
    public let name: String
    public let keyID: UInt32
    let key: Curve25519.Signing.PrivateKey

    public init(name: String, seed: [UInt8]) throws(NoteError) {
        guard NoteKeys.isValidName(name) else { throw .badKey("the key name must be non-empty, without spaces or +") }
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .badKey("the private key must be a 32-byte Ed25519 seed")
        }
        self.name = name
        self.key = key
        keyID = NoteKeys.keyID(name: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// A new random key.
    public static func generate(name: String) throws(NoteError) -> NoteSigner {
        try NoteSigner(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// Reads `PRIVATE+KEY+name+hex(keyid)+base64(0x01||seed)`; the key id must match.
    public init(signerKey text: String) throws(NoteError) {
        // The base64 key may itself hold '+': only the first four separate fields (as Go's strings.Cut does).
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .badKey("a signer key is PRIVATE+KEY+name+keyid+base64 key")
        }
        guard let id = NoteKeys.parseKeyID(parts[3]) else { throw .badKey("the key id must be 8 lowercase hex digits") }
        guard let material = Base64.decode(parts[4]), material.count == 33, material[0] == NoteKeys.ed25519 else {
            throw .badKey("the key must be base64 of 0x01 and a 32-byte Ed25519 seed")
        }
        try self.init(name: String(parts[2]), seed: Array(material[1...]))
        guard keyID == id else { throw .badKey("the key id does not match the name and key") }
    }

    public var signerKey: String {
        "PRIVATE+KEY+\(name)+\(NoteKeys.hexID(keyID))+"
            + Base64.encode([NoteKeys.ed25519] + Array(key.rawRepresentation))
    }

    public var verifier: NoteVerifier {
        // The public key came from a valid private key: it always parses.
        NoteVerifier(name: name, keyID: keyID, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// Ed25519 over `message`. BoringSSL (swift-crypto on Linux) signs deterministically, as RFC 8032
    /// says; Apple's CryptoKit adds randomness, so signatures made on macOS differ run to run.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing with a valid key does not fail.
        (try? key.signature(for: message)).map { Array($0) } ?? []
    }
}

/// The public half: checks signatures by one named key.
public struct NoteVerifier: Sendable, Equatable {
    public let name: String
    public let keyID: UInt32
    public let publicKey: [UInt8]

    init(name: String, keyID: UInt32, publicKey: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// Reads `name+hex(keyid)+base64(0x01||public key)`, refusing anything Go's `note.NewVerifier`
    /// refuses (and an upper-case key id, which Go would read).
    public init(verifierKey text: String) throws(NoteError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badKey("a verifier key is name+keyid+base64 key") }
        let name = String(parts[0])
        guard NoteKeys.isValidName(name) else { throw .badKey("the key name must be non-empty, without spaces or +") }
        guard let id = NoteKeys.parseKeyID(parts[1]) else { throw .badKey("the key id must be 8 lowercase hex digits") }
        guard let material = Base64.decode(parts[2]), !material.isEmpty else { throw .badKey("the key must be base64") }
        guard material[0] == NoteKeys.ed25519 else {
            throw .badKey("unknown signature type \(material[0]); only Ed25519 (1) is supported")
        }
        guard material.count == 33 else { throw .badKey("an Ed25519 public key is 32 bytes") }
        let publicKey = Array(material[1...])
        guard NoteKeys.keyID(name: name, publicKey: publicKey) == id else {
            throw .badKey("the key id does not match the name and key")
        }
        self.init(name: name, keyID: id, publicKey: publicKey)
    }

    public var verifierKey: String {
        "\(name)+\(NoteKeys.hexID(keyID))+" + Base64.encode([NoteKeys.ed25519] + publicKey)
    }

    /// True when `signature` is a valid Ed25519 signature of `message` by this key, by the rules
    /// Go's crypto/ed25519 applies (see `Ed25519Rules`).
    public func verify(_ message: [UInt8], signature: [UInt8]) -> Bool {
        Ed25519Rules.verify(publicKey: publicKey, message: message, signature: signature)
    }
}

enum NoteKeys {
    static let ed25519: UInt8 = 0x01

    /// SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian.
    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0A, ed25519] + publicKey))
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    static func hexID(_ id: UInt32) -> String {
        Hex.encode([UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)])
    }

    static func parseKeyID(_ text: some StringProtocol) -> UInt32? {
        guard text.utf8.count == 8, let bytes = Hex.decode(text) else { return nil }
        return bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// Non-empty, no Unicode space, no +, no control character (c2sp.org/signed-note "Key names").
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && !name.unicodeScalars.contains {
                $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            }
    }
}
