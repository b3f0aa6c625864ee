/// An offline-verifiable inclusion proof (c2sp.org/tlog-proof@v1): the leaf index, the inclusion
/// path, optional extra data, and the signed checkpoint the path leads to.
public struct TlogProof: Equatable, Sendable {
    public static let header = "c2sp.org/tlog-proof@v1"

    /// Unauthenticated data the verifier needs to rebuild the leaf; here, the event's canonical
    /// envelope bytes, so SHA-256(0x00 || extra) is the leaf hash.
    public let extra: [UInt8]?
    public let index: UInt64
    public let path: [[UInt8]]
    /// The signed checkpoint, verbatim.
    public let checkpoint: String

    public init(extra: [UInt8]?, index: UInt64, path: [[UInt8]], checkpoint: String) {
        self.extra = extra
        self.index = index
        self.path = path
        self.checkpoint = checkpoint
    }

    public var text: String {
        var lines = [Self.header]
        if let extra { lines.append("extra " + Base64.encode(extra)) }
        lines.append("index \(index)")
        lines += path.map { Base64.encode($0) }
        return lines.joined(separator: "\n") + "\n\n" + checkpoint
    }

    public init(text: String) throws(NoteError) {
        let bytes = Array(text.utf8)
        guard let blank = bytes.indices.dropLast().first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw .malformed("a tlog proof needs an empty line before its checkpoint")
        }
        var lines = String(decoding: bytes[..<blank], as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.header) else {
            throw .malformed("a tlog proof starts with the line \(Self.header)")
        }
        var extra: [UInt8]?
        if let line = lines.first, line.hasPrefix("extra ") {
            guard let decoded = Base64.decode(line.dropFirst(6)) else {
                throw .malformed("the extra line must be base64")
            }
            extra = decoded
            lines.removeFirst()
        }
        guard let indexLine = lines.popFirst(), indexLine.hasPrefix("index "),
            let index = UInt64(indexLine.dropFirst(6)),
            indexLine == "index \(index)"
        else { throw .malformed("a tlog proof names its leaf on a line 'index N'") }
        var path: [[UInt8]] = []
        for line in lines {
            guard let hash = Base64.decode(line), hash.count == RFC6962.hashSize else {
                throw .malformed("each inclusion proof line must be base64 of 32 bytes")
            }
            path.append(hash)
        }
        self.init(
            extra: extra, index: index, path: path, checkpoint: String(decoding: bytes[(blank + 2)...], as: UTF8.self))
    }
}
