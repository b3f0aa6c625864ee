/// A signed note (c2sp.org/signed-note): text ending in a newline, a blank line, then one line
/// per signature, `— name base64(keyid || signature)`.
public struct SignedNote: Equatable, Sendable {
    public struct Signature: Equatable, Sendable {
        public let name: String
        public let keyID: UInt32
        /// The signature bytes after the key id.
        public let bytes: [UInt8]
    }

    /// The signed text, final newline included.
    public let text: String
    public let signatures: [Signature]

    /// Verifiers must accept at least 16 signatures; more than this is refused as malformed.
    static let maxSignatures = 100

    public static func sign(text: String, with signer: NoteSigner) throws(NoteError) -> String {
        try checkText(text)
        let signature = signer.sign(Array(text.utf8))
        return text + "\n" + line(name: signer.name, keyID: signer.keyID, signature: signature)
    }

    static func line(name: String, keyID: UInt32, signature: [UInt8]) -> String {
        let id = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "\u{2014} \(name) \(Base64.encode(id + signature))\n"
    }

    static func checkText(_ text: String) throws(NoteError) {
        guard text.hasSuffix("\n"), !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw .malformed("the note text must end in a newline and hold no control characters")
        }
    }

    /// Splits a note into its text and signature lines (nothing is verified yet).
    public init(parsing note: String) throws(NoteError) {
        guard note.utf8.count <= 1 << 20 else { throw .malformed("the note is larger than 1 MiB") }
        // Valid UTF-8 is guaranteed by String; control characters other than newline are not allowed.
        guard !note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw .malformed("the note holds a control character")
        }
        let bytes = Array(note.utf8)
        // The text ends at the last blank line: the text itself may contain blank lines.
        guard bytes.last == 0x0A,
            let blank = bytes.indices.dropLast().last(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A })
        else {
            throw .malformed("no blank line separates the text from the signatures")
        }
        text = String(decoding: bytes[...blank], as: UTF8.self)
        let block = String(decoding: bytes[(blank + 2)...], as: UTF8.self)
        var signatures: [Signature] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard line.hasPrefix("\u{2014} ") else {
                throw .malformed("a signature line must start with an em dash and a space")
            }
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, NoteKeys.isValidName(String(fields[0])), let raw = Base64.decode(fields[1]),
                raw.count >= 5
            else {
                throw .malformed("a signature line must be '— name base64(keyid || signature)'")
            }
            let id = raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            signatures.append(Signature(name: String(fields[0]), keyID: id, bytes: Array(raw.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw .malformed("the note has no signature") }
        guard signatures.count <= Self.maxSignatures else {
            throw .malformed("the note has more than \(Self.maxSignatures) signatures")
        }
        self.signatures = signatures
    }

    /// The note's text once a signature by `verifier` checks out. Signatures by other keys are
    /// ignored (c2sp.org/signed-note); a signature by this key that fails rejects the note.
    public static func open(_ note: String, verifier: NoteVerifier) throws(NoteError) -> String {
        let parsed = try SignedNote(parsing: note)
        let mine = parsed.signatures.filter { $0.name == verifier.name && $0.keyID == verifier.keyID }
        guard !mine.isEmpty else {
            throw .unverified("the note carries no signature by \(verifier.name)+\(NoteKeys.hexID(verifier.keyID))")
        }
        for signature in mine where !verifier.verify(Array(parsed.text.utf8), signature: signature.bytes) {
            throw .badSignature("the signature by \(verifier.name) does not verify")
        }
        return parsed.text
    }
}

/// Why a key, note or checkpoint was refused.
public enum NoteError: Error, Equatable, CustomStringConvertible {
    case badKey(String)
    case malformed(String)
    case unverified(String)
    case badSignature(String)

    public var description: String {
        switch self {
        case .badKey(let why), .malformed(let why), .unverified(let why), .badSignature(let why): why
        }
    }
}
