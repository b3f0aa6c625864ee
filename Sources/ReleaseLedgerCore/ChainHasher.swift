import Crypto

/// The hash chain: each event's hash is SHA-256 over its whole envelope, which includes the
/// previous event's hash. Changing, removing or reordering any row breaks every link after it.
///
/// Chain version 1 hashed the envelope as JSON with `data` and `metadata` spliced in as raw text,
/// so bytes could move between `data`, `id` and `metadata` without changing the hash. Version 2
/// (every row written since schema version 3) length-prefixes every field; version-1 rows keep
/// their version and are checked as they were written.
public enum ChainHasher {
    /// The "previous hash" of position 1.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The version new rows are written with.
    public static let currentVersion = 2

    /// Canonical JSON of the envelope without its own hash. Keys are written in sorted order by
    /// hand; `data` and `metadata` are already canonical text, so nothing is re-encoded.
    static func envelopeBytes(
        chainVersion: Int = currentVersion, position: Int64, id: String, stream: String, version: Int64, type: String, typeVersion: Int,
        sha: String, data: String, metadata: String, recordedAt: Timestamp, previousHash: String
    ) -> JSONBytes {
        var out = JSONBytes(capacity: data.utf8.count + metadata.utf8.count + 360)
        writeEnvelope(
            chainVersion: Int64(chainVersion), into: &out, position: position, id: id, stream: stream, version: version, type: type,
            typeVersion: Int64(typeVersion), sha: sha, data: data, metadata: metadata, recordedAt: recordedAt, previousHash: previousHash)
        return out
    }

    /// Chain version 2: a tag, then each integer as 8 big-endian bytes and each text as its
    /// length (8 big-endian bytes) and its bytes, in a fixed order. No field can borrow bytes from
    /// its neighbour, nothing is escaped, and no integer becomes a String.
    @inline(__always)
    public static func writeEnvelopeV2<Text: EnvelopeText, Time: EnvelopeText>(
        into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64, type: Text, typeVersion: Int64,
        sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        out.raw("release-ledger chain v2\n" as StaticString)
        out.bigEndian(UInt64(bitPattern: position))
        previousHash.writeCounted(into: &out)
        id.writeCounted(into: &out)
        stream.writeCounted(into: &out)
        out.bigEndian(UInt64(bitPattern: version))
        type.writeCounted(into: &out)
        out.bigEndian(UInt64(bitPattern: typeVersion))
        sha.writeCounted(into: &out)
        recordedAt.writeCounted(into: &out)
        data.writeCounted(into: &out)
        metadata.writeCounted(into: &out)
    }

    /// Either version's layout.
    public static func writeEnvelope<Text: EnvelopeText, Time: EnvelopeText>(
        chainVersion: Int64, into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64, type: Text,
        typeVersion: Int64, sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        if chainVersion == 1 {
            writeEnvelope(
                into: &out, position: position, id: id, stream: stream, version: version, type: type, typeVersion: typeVersion, sha: sha,
                data: data, metadata: metadata, recordedAt: recordedAt, previousHash: previousHash)
        } else {
            writeEnvelopeV2(
                into: &out, position: position, id: id, stream: stream, version: version, type: type, typeVersion: typeVersion, sha: sha,
                data: data, metadata: metadata, recordedAt: recordedAt, previousHash: previousHash)
        }
    }

    /// Chain version 1: the envelope as canonical JSON, for text held as Strings or as a row's bytes.
    public static func writeEnvelope<Text: EnvelopeText, Time: EnvelopeText>(
        into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64, type: Text, typeVersion: Int64,
        sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        out.raw("{\"data\":")
        data.writeRaw(into: &out)
        out.raw(",\"id\":")
        id.writeString(into: &out)
        out.raw(",\"metadata\":")
        metadata.writeRaw(into: &out)
        out.raw(",\"position\":")
        out.integer(position)
        out.raw(",\"previousHash\":")
        previousHash.writeString(into: &out)
        out.raw(",\"recordedAt\":")
        recordedAt.writeString(into: &out)
        out.raw(",\"sha\":")
        sha.writeString(into: &out)
        out.raw(",\"stream\":")
        stream.writeString(into: &out)
        out.raw(",\"type\":")
        type.writeString(into: &out)
        out.raw(",\"typeVersion\":")
        out.integer(typeVersion)
        out.raw(",\"version\":")
        out.integer(version)
        out.bytes.append(0x7D)
    }

    /// Binds a read-model state to the chain: SHA-256 over length-prefixed fields (the kind, its
    /// key, the position folded up to, that event's hash and the state text). A row edited behind
    /// the ledger's back no longer matches; an older genuine row still does, and is brought up to
    /// date by folding the events after its position.
    public static func seal(kind: String, key: String, position: Int64, eventHash: String, state: String) -> String {
        var out = JSONBytes(capacity: state.utf8.count + 160)
        writeEnvelopeV2(
            into: &out, position: position, id: key, stream: kind, version: 0, type: "read-model seal", typeVersion: 1, sha: key,
            data: state, metadata: "", recordedAt: "", previousHash: eventHash)
        return hash(bytes: out.bytes)
    }

    public static func hash(of event: RecordedEvent) -> String {
        let envelope = envelopeBytes(
            chainVersion: event.chainVersion, position: event.position, id: event.id, stream: event.stream, version: event.version, type: event.type,
            typeVersion: event.typeVersion, sha: event.sha, data: event.data, metadata: event.metadata,
            recordedAt: event.recordedAt, previousHash: event.previousHash)
        return hash(bytes: envelope.bytes)
    }

    /// SHA-256 of a payload's canonical bytes: equal content, equal hash, whatever the key order.
    public static func contentHash(_ value: JSONValue) -> String {
        var out = JSONBytes()
        out.write(value, indent: false, level: 0)
        return hash(bytes: out.bytes)
    }

    public static func hash(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return hexString(digest)
    }

    static func hash(bytes: [UInt8]) -> String {
        hexString(bytes.withUnsafeBytes { SHA256.hash(data: $0) })
    }

    static func hash(bytes: UnsafeBufferPointer<UInt8>) -> String {
        hexString(SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
    }

    /// Writes the 64 lowercase hex digits of the SHA-256 of `bytes` into `output` (64 bytes):
    /// verify's path, which makes no String per row.
    public static func hashHex(of bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) {
        let digest = SHA256.hash(data: bytes)
        var index = 0
        for byte in digest {
            output[index] = hexDigits[Int(byte >> 4)]
            output[index + 1] = hexDigits[Int(byte & 0x0F)]
            index += 2
        }
    }

    static func hexString<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        String(unsafeUninitializedCapacity: 64) { buffer in
            var count = 0
            for byte in bytes {
                buffer[count] = hexDigits[Int(byte >> 4)]
                buffer[count + 1] = hexDigits[Int(byte & 0x0F)]
                count += 2
            }
            return count
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// The result of recomputing the chain.
public struct VerificationReport: Equatable, Sendable {
    public var eventCount: Int64
    public var head: ChainHead
    /// The first position whose row or link does not check out, if any.
    public var firstBadPosition: Int64?
    /// What was wrong there, in one sentence.
    public var problem: String?

    public var isIntact: Bool { firstBadPosition == nil && problem == nil }
}

/// Checks a chain one row at a time, so a million events never sit in memory at once. It works
/// on the rows' bytes, so checking a link makes no String.
public struct ChainVerifier {
    private var eventCount: Int64 = 0
    private var failure: (position: Int64, problem: String)?
    private var expectedPosition: Int64 = 1
    /// The hash of the last row that checked out; the genesis hash before the first.
    private var lastHash = Array(ChainHasher.genesisHash.utf8)
    /// Rows are written with the version of the build that wrote them, so versions never go back.
    private var lastChainVersion: Int64 = 1
    /// A head saved elsewhere (for example in a CI log) that this ledger must still contain.
    private let anchor: ChainHead?
    private let anchorHash: [UInt8]

    public init(anchor: ChainHead? = nil) {
        self.anchor = anchor
        anchorHash = Array((anchor?.hash ?? "").utf8)
    }

    public var report: VerificationReport {
        let head = expectedPosition == 1 ? ChainHead.genesis : ChainHead(position: expectedPosition - 1, hash: String(decoding: lastHash, as: UTF8.self))
        return VerificationReport(eventCount: eventCount, head: head, firstBadPosition: failure?.position, problem: failure?.problem)
    }

    /// Feeds the next row in position order. Returns false once a problem was found.
    @discardableResult
    public mutating func check(_ event: RecordedEvent) -> Bool {
        check(event, computedHash: ChainHasher.hash(of: event))
    }

    /// The same, with the row's hash already recomputed (callers may hash many rows in parallel;
    /// the links are still checked here, in order).
    @discardableResult
    public mutating func check(_ event: RecordedEvent, computedHash: String) -> Bool {
        var previous = event.previousHash, hash = event.hash, computed = computedHash
        return previous.withUTF8 { previous in
            hash.withUTF8 { hash in
                computed.withUTF8 { computed in
                    check(
                        position: event.position, previousHash: UnsafeRawBufferPointer(previous), hash: UnsafeRawBufferPointer(hash),
                        computedHash: UnsafeRawBufferPointer(computed), chainVersion: Int64(event.chainVersion))
                }
            }
        }
    }

    /// One row as bytes: its position, its stored previous hash and hash, and the hash recomputed from its content.
    @discardableResult
    public mutating func check(
        position: Int64, previousHash: UnsafeRawBufferPointer, hash: UnsafeRawBufferPointer, computedHash: UnsafeRawBufferPointer,
        chainVersion: Int64 = Int64(ChainHasher.currentVersion)
    ) -> Bool {
        guard failure == nil else { return false }
        eventCount += 1
        if position != expectedPosition {
            return fail(
                at: min(expectedPosition, position),
                position > expectedPosition
                    ? "rows are missing: expected position \(expectedPosition), found \(position)"
                    : "rows are out of order: expected position \(expectedPosition), found \(position)")
        }
        // A row moved back to version 1 would be hashed by the ambiguous layout again.
        if chainVersion < lastChainVersion || chainVersion > Int64(ChainHasher.currentVersion) {
            return fail(at: position, "the row's chain version (\(chainVersion)) does not follow the previous row's (\(lastChainVersion))")
        }
        if !lastHash.withUnsafeBytes({ Self.same($0, previousHash) }) {
            return fail(at: position, "the link to the previous event is broken (previousHash does not match)")
        }
        if !Self.same(computedHash, hash) {
            return fail(at: position, "the row's content does not match its hash")
        }
        if let anchor, anchor.position == position, !anchorHash.withUnsafeBytes({ Self.same($0, hash) }) {
            return fail(at: position, "the event at the anchor's position does not have the anchor's hash")
        }
        lastHash.replaceSubrange(lastHash.indices, with: hash)
        lastChainVersion = chainVersion
        expectedPosition += 1
        return true
    }

    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while index + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        while index < a.count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// Compares the end of the chain with the head the ledger recorded and with the anchor.
    public mutating func finish(recordedHead: ChainHead?) -> VerificationReport {
        guard failure == nil else { return report }
        let head = report.head
        let last = head.position
        if let recordedHead, recordedHead != head {
            if recordedHead.position > last {
                fail(
                    at: last + 1,
                    "rows are missing at the end: the ledger's head is position \(recordedHead.position) but the last row is \(last)")
            } else {
                fail(at: recordedHead.position, "the recorded head does not match the rows")
            }
        } else if let anchor, anchor.position > last {
            fail(at: last + 1, "rows are missing at the end: the anchor names position \(anchor.position) but the last row is \(last)")
        }
        return report
    }

    @discardableResult
    private mutating func fail(at position: Int64, _ problem: String) -> Bool {
        failure = (position, problem)
        return false
    }
}

/// Text that goes into an envelope: written as a JSON string or as raw canonical JSON (chain
/// version 1), or as its length and bytes (version 2).
public protocol EnvelopeText {
    func writeString(into out: inout JSONBytes)
    func writeRaw(into out: inout JSONBytes)
    func writeCounted(into out: inout JSONBytes)
}

extension String: EnvelopeText {
    public func writeString(into out: inout JSONBytes) { out.string(self) }
    public func writeRaw(into out: inout JSONBytes) { out.raw(self) }
    public func writeCounted(into out: inout JSONBytes) {
        out.bigEndian(UInt64(utf8.count))
        out.raw(self)
    }
}

extension Timestamp: EnvelopeText {
    public func writeString(into out: inout JSONBytes) {
        out.bytes.append(0x22)
        write(into: &out)
        out.bytes.append(0x22)
    }
    public func writeRaw(into out: inout JSONBytes) { write(into: &out) }
    public func writeCounted(into out: inout JSONBytes) {
        // Written, then its length put in front (the append path only; verify hashes stored text).
        let start = out.bytes.count
        out.bigEndian(0)
        write(into: &out)
        var length = UInt64(out.bytes.count - start - 8)
        for index in (start..<start + 8).reversed() {
            out.bytes[index] = UInt8(truncatingIfNeeded: length)
            length >>= 8
        }
    }
}

/// A column's bytes as SQLite returned them, valid until the row changes. Verify hashes a row's
/// stored text exactly as it is: a timestamp that is not in its one canonical form fails too.
public struct StoredText: EnvelopeText {
    public let bytes: UnsafeBufferPointer<UInt8>

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public func writeString(into out: inout JSONBytes) { out.string(utf8: bytes) }
    public func writeRaw(into out: inout JSONBytes) { out.bytes.append(contentsOf: bytes) }
    public func writeCounted(into out: inout JSONBytes) {
        out.bigEndian(UInt64(bytes.count))
        out.bytes.append(contentsOf: bytes)
    }
}
