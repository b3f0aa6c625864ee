import Crypto

/// The hash chain: each event's hash is SHA-256 over the canonical JSON of its whole envelope,
/// which includes the previous event's hash. Changing, removing or reordering any row breaks
/// every link after it.
public enum ChainHasher {
    /// The "previous hash" of position 1.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Canonical JSON of the envelope without its own hash. Keys are written in sorted order by
    /// hand; `data` and `metadata` are already canonical text, so nothing is re-encoded.
    static func envelopeBytes(
        position: Int64, id: String, stream: String, version: Int64, type: String, typeVersion: Int, sha: String,
        data: String, metadata: String, recordedAt: Timestamp, previousHash: String
    ) -> JSONBytes {
        var out = JSONBytes(capacity: data.utf8.count + metadata.utf8.count + 360)
        out.raw("{\"data\":")
        out.raw(data)
        out.raw(",\"id\":")
        out.string(id)
        out.raw(",\"metadata\":")
        out.raw(metadata)
        out.raw(",\"position\":")
        out.integer(position)
        out.raw(",\"previousHash\":")
        out.string(previousHash)
        out.raw(",\"recordedAt\":\"")
        recordedAt.write(into: &out)
        out.raw("\",\"sha\":")
        out.string(sha)
        out.raw(",\"stream\":")
        out.string(stream)
        out.raw(",\"type\":")
        out.string(type)
        out.raw(",\"typeVersion\":")
        out.integer(Int64(typeVersion))
        out.raw(",\"version\":")
        out.integer(version)
        out.bytes.append(0x7D)
        return out
    }

    public static func hash(of event: RecordedEvent) -> String {
        let envelope = envelopeBytes(
            position: event.position, id: event.id, stream: event.stream, version: event.version, type: event.type,
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

/// Checks a chain one row at a time, so a million events never sit in memory at once.
public struct ChainVerifier {
    public private(set) var report = VerificationReport(eventCount: 0, head: .genesis)
    private var expectedPosition: Int64 = 1
    private var previousHash = ChainHasher.genesisHash
    /// A head saved elsewhere (for example in a CI log) that this ledger must still contain.
    private let anchor: ChainHead?

    public init(anchor: ChainHead? = nil) { self.anchor = anchor }

    /// Feeds the next row in position order. Returns false once a problem was found.
    @discardableResult
    public mutating func check(_ event: RecordedEvent) -> Bool {
        check(event, computedHash: ChainHasher.hash(of: event))
    }

    /// The same, with the row's hash already recomputed (callers may hash many rows in parallel;
    /// the links are still checked here, in order).
    @discardableResult
    public mutating func check(_ event: RecordedEvent, computedHash: String) -> Bool {
        guard report.isIntact else { return false }
        report.eventCount += 1
        if event.position != expectedPosition {
            return fail(
                at: min(expectedPosition, event.position),
                event.position > expectedPosition
                    ? "rows are missing: expected position \(expectedPosition), found \(event.position)"
                    : "rows are out of order: expected position \(expectedPosition), found \(event.position)")
        }
        if event.previousHash != previousHash {
            return fail(at: event.position, "the link to the previous event is broken (previousHash does not match)")
        }
        if computedHash != event.hash {
            return fail(at: event.position, "the row's content does not match its hash")
        }
        if let anchor, anchor.position == event.position, anchor.hash != event.hash {
            return fail(at: event.position, "the event at the anchor's position does not have the anchor's hash")
        }
        previousHash = event.hash
        expectedPosition += 1
        report.head = ChainHead(position: event.position, hash: event.hash)
        return true
    }

    /// Compares the end of the chain with the head the ledger recorded and with the anchor.
    public mutating func finish(recordedHead: ChainHead?) -> VerificationReport {
        guard report.isIntact else { return report }
        let last = report.head.position
        if let recordedHead, recordedHead != report.head {
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
        report.firstBadPosition = position
        report.problem = problem
        return false
    }
}
