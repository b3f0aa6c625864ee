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
        let head =
            expectedPosition == 1
            ? ChainHead.genesis
            : ChainHead(position: expectedPosition - 1, hash: String(decoding: lastHash, as: UTF8.self))
        return VerificationReport(
            eventCount: eventCount, head: head, firstBadPosition: failure?.position, problem: failure?.problem)
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
        var previous = event.previousHash
        var hash = event.hash
        var computed = computedHash
        return previous.withUTF8 { previous in
            hash.withUTF8 { hash in
                computed.withUTF8 { computed in
                    check(
                        position: event.position, previousHash: UnsafeRawBufferPointer(previous),
                        hash: UnsafeRawBufferPointer(hash),
                        computedHash: UnsafeRawBufferPointer(computed), chainVersion: Int64(event.chainVersion))
                }
            }
        }
    }

    /// One row as bytes: its position, its stored previous hash and hash, and the hash recomputed from its content.
    @discardableResult
    package mutating func check(
        position: Int64, previousHash: UnsafeRawBufferPointer, hash: UnsafeRawBufferPointer,
        computedHash: UnsafeRawBufferPointer,
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
            return fail(
                at: position,
                "the row's chain version (\(chainVersion)) does not follow the previous row's (\(lastChainVersion))")
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
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
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
                    "rows are missing at the end: the ledger's head is position \(recordedHead.position) but the last row is \(last)"
                )
            } else {
                fail(at: recordedHead.position, "the recorded head does not match the rows")
            }
        } else if let anchor, anchor.position > last {
            fail(
                at: last + 1,
                "rows are missing at the end: the anchor names position \(anchor.position) but the last row is \(last)")
        }
        return report
    }

    @discardableResult
    private mutating func fail(at position: Int64, _ problem: String) -> Bool {
        failure = (position, problem)
        return false
    }
}
