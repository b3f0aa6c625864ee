/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and base64 root
/// hash, one per line, as the text of a signed note.
public struct Checkpoint: Equatable, Sendable {
    public let origin: String
    public let size: UInt64
    public let rootHash: [UInt8]

    public init(origin: String, size: UInt64, rootHash: [UInt8]) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The note text: exactly three lines, no extension lines.
    public var text: String { "\(origin)\n\(size)\n\(Base64.encode(rootHash))\n" }

    /// Signs the checkpoint with `signer`, whose key name is the origin (the spec's SHOULD).
    public func signed(by signer: NoteSigner) throws(NoteError) -> String {
        try SignedNote.sign(text: text, with: signer)
    }

    /// Reads a checkpoint's note text (extension lines are allowed and ignored, as the spec says).
    public init(text: String) throws(NoteError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 4, !lines.dropLast().contains(where: \.isEmpty) else {
            throw .malformed("a checkpoint is at least three non-empty lines: origin, size, root hash")
        }
        let sizeText = lines[1]
        guard let size = UInt64(sizeText), sizeText == "0" || !sizeText.hasPrefix("0"),
            sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { throw .malformed("the checkpoint's size line must be a decimal number without leading zeros") }
        guard let root = Base64.decode(lines[2]), root.count == RFC6962.hashSize else {
            throw .malformed("the checkpoint's root hash line must be base64 of 32 bytes")
        }
        self.init(origin: String(lines[0]), size: size, rootHash: root)
    }

    /// Opens a signed checkpoint: the signature by `verifier` must check out, and the origin must
    /// be the key's name (one key, one log).
    public static func open(_ note: String, verifier: NoteVerifier) throws(NoteError) -> Checkpoint {
        let checkpoint = try Checkpoint(text: SignedNote.open(note, verifier: verifier))
        guard checkpoint.origin == verifier.name else {
            throw .unverified("the checkpoint's origin '\(checkpoint.origin)' is not the key's name '\(verifier.name)'")
        }
        return checkpoint
    }
}
