import CSQLite
import Dispatch
import ReleaseLedgerCore
import Transparency

/// Recomputing the chain. SHA-256 is half the cost and reading rows the other half, so the two
/// overlap: while one chunk of rows is hashed on another core, the next one is read. Rows stay
/// bytes from SQLite to SHA-256 (no String per column), and the links are checked in order.
extension SQLiteEventStore {
    static let verifyChunkRows = 4096

    public func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport {
        try verify(anchor: anchor, rootsAt: []).report
    }

    /// Recomputes the chain and the Merkle tree from the rows: the report, and the recomputed
    /// root at each of `sizes` (a checkpoint's size, say) that the rows reach. The stored tree
    /// must match the recomputed one; the roots never come from it.
    public func verify(anchor: ChainHead?, rootsAt sizes: Set<UInt64>) throws(LedgerError) -> (
        report: VerificationReport, roots: [UInt64: [UInt8]]
    ) {
        try read { () throws(LedgerError) in
            var tree = TreeRecomputation(sizes: sizes, lowestDigestedLevel: Self.lowestStoredLevel)
            var verifier = ChainVerifier(anchor: anchor)
            var reading = VerifyChunk()
            var hashing = VerifyChunk()
            var inFlight: DispatchGroup?
            try sqlite { () throws(SQLiteError) in
                let statement = try connection.statement("SELECT \(Self.eventColumns) FROM events ORDER BY position")
                defer { statement.reset() }
                var previous: Int64 = 0
                var more = true
                while more {
                    reading.removeAll()
                    do throws(SQLiteError) {
                        while reading.count < Self.verifyChunkRows {
                            guard try statement.step() else {
                                more = false
                                break
                            }
                            previous = try Self.checkedPosition(statement, after: previous)
                            reading.append(statement)
                        }
                    } catch {
                        // A page that cannot be read: the rows before it are still checked, so an
                        // edit there is reported (exit 4) rather than hidden behind the damage.
                        inFlight?.wait()
                        inFlight = nil
                        if hashing.checkLinks(with: &verifier, tree: &tree) {
                            reading.hashInBackground().wait()
                            reading.checkLinks(with: &verifier, tree: &tree)
                        }
                        if verifier.report.isIntact { throw error }
                        return
                    }
                    if let group = inFlight {
                        group.wait()
                        guard hashing.checkLinks(with: &verifier, tree: &tree) else {
                            inFlight = nil
                            return
                        }
                    }
                    swap(&reading, &hashing)
                    inFlight = hashing.hashInBackground()
                }
            }
            if let group = inFlight {
                group.wait()
                hashing.checkLinks(with: &verifier, tree: &tree)
            }
            let recorded: ChainHead? = try sqlite { () throws(SQLiteError) in
                let statement = try connection.statement("SELECT position, hash FROM chain_head WHERE id = 1")
                defer { statement.reset() }
                return try statement.step() ? ChainHead(position: statement.int64(0), hash: statement.text(1)) : nil
            }
            var report = verifier.finish(recordedHead: recorded)
            if report.isIntact, let problem = try storedTreeProblem(recomputed: tree) {
                report.firstBadPosition = problem.position
                report.problem = problem.text
            }
            return (report, tree.roots)
        }
    }
}

extension SQLiteEventStore {
    /// Compares the stored tree with the one recomputed from the rows; on a difference, names the
    /// first leaf that differs (a second pass, only when something is wrong).
    func storedTreeProblem(recomputed tree: TreeRecomputation) throws(LedgerError) -> (position: Int64, text: String)? {
        let size = tree.range.size
        let storedSize = try treeSize()
        let fix = "; run `release-ledger rebuild`"
        if storedSize != size {
            return (
                Int64(min(size, storedSize)) + 1,
                "the stored Merkle tree has \(storedSize) leaves but there are \(size) events\(fix)"
            )
        }
        // Every stored subtree, in key order (one sequential scan), against the recomputed ones.
        var stored = SubtreeDigest()
        var inOrder = true
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement("SELECT level, idx, hash FROM merkle_subtrees ORDER BY level, idx")
            defer { statement.reset() }
            while try statement.step() {
                if !stored.add(
                    level: Int(statement.int64(0)), index: UInt64(statement.int64(1)), hash: statement.blob(2))
                {
                    inOrder = false
                }
            }
        }
        if inOrder, stored == tree.subtrees { return try openBlockProblem(size: size) }
        // Block by block (16 leaves), the first stored block that its events do not hash to.
        let width = 1 << Self.lowestStoredLevel
        var block = CompactRange()
        var firstBad: Int64?
        var failure: LedgerError?
        try forEachEvent(EventQuery()) { event in
            block.append(leafHash: Self.leafHash(of: event))
            guard block.size == width else { return true }
            defer { block = CompactRange() }
            do throws(LedgerError) {
                let index = UInt64(event.position - 1) >> UInt64(Self.lowestStoredLevel)
                // A missing block is as wrong as a different one: named by position, not thrown.
                let stored = try sqlite { () throws(SQLiteError) in
                    try subtree(level: Self.lowestStoredLevel, index: index)
                }
                if stored != block.root {
                    firstBad = event.position - Int64(width) + 1
                    return false
                }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        if let firstBad {
            let last = firstBad + Int64(width) - 1
            return (
                firstBad,
                "the stored Merkle subtree of positions \(firstBad)-\(last) is missing or does not match "
                    + "the events\(fix)"
            )
        }
        return (Int64(size), "a stored Merkle subtree does not match the events' leaves\(fix)")
    }
}

/// Rows as bytes: each row's envelope, its stored links, and (once hashed) its recomputed hash.
final class VerifyChunk: @unchecked Sendable {
    private var envelopes = JSONBytes(capacity: 4 << 20)
    private var envelopeEnds: [Int] = []
    private var positions: [Int64] = []
    private var chainVersions: [Int64] = []
    /// Each row's stored previous hash then its hash, end offsets in `linkEnds` (two per row).
    private var links: [UInt8] = []
    private var linkEnds: [Int] = []
    private var computed: [UInt8] = []
    /// Each row's RFC 6962 leaf hash, 32 bytes per row, computed beside its chain hash.
    private var leaves: [UInt8] = []

    var count: Int { positions.count }

    func removeAll() {
        envelopes.bytes.removeAll(keepingCapacity: true)
        envelopeEnds.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        chainVersions.removeAll(keepingCapacity: true)
        links.removeAll(keepingCapacity: true)
        linkEnds.removeAll(keepingCapacity: true)
    }

    /// Copies the statement's current row (columns in `SQLiteEventStore.eventColumns` order).
    func append(_ row: SQLiteStatement) {
        let position = row.int64(0)
        let chainVersion = row.int64(12)
        ChainHasher.writeEnvelope(
            chainVersion: chainVersion, into: &envelopes, position: position, id: StoredText(row.bytes(1)),
            stream: StoredText(row.bytes(2)), version: row.int64(3),
            type: StoredText(row.bytes(4)), typeVersion: row.int64(5), sha: StoredText(row.bytes(6)),
            data: StoredText(row.bytes(7)),
            metadata: StoredText(row.bytes(8)), recordedAt: StoredText(row.bytes(9)),
            previousHash: StoredText(row.bytes(10)))
        envelopeEnds.append(envelopes.bytes.count)
        positions.append(position)
        chainVersions.append(chainVersion)
        links.append(contentsOf: row.bytes(10))
        linkEnds.append(links.count)
        links.append(contentsOf: row.bytes(11))
        linkEnds.append(links.count)
    }

    /// Hashes every envelope on a background thread; wait on the group before reading `computed`.
    func hashInBackground() -> DispatchGroup {
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { self.hashAll() }
        return group
    }

    private func hashAll() {
        computed = [UInt8](repeating: 0, count: count * 64)
        leaves.removeAll(keepingCapacity: true)
        envelopes.bytes.withUnsafeBytes { envelopes in
            var start = 0
            for end in envelopeEnds {
                leaves += RFC6962.leafHash(UnsafeRawBufferPointer(rebasing: envelopes[start..<end]))
                start = end
            }
        }
        envelopes.bytes.withUnsafeBytes { envelopes in
            computed.withUnsafeMutableBufferPointer { output in
                var start = 0
                for (row, end) in envelopeEnds.enumerated() {
                    ChainHasher.hashHex(
                        of: UnsafeRawBufferPointer(rebasing: envelopes[start..<end]),
                        into: UnsafeMutableBufferPointer(rebasing: output[(row * 64)..<(row * 64 + 64)]))
                    start = end
                }
            }
        }
    }

    /// Feeds the rows to the verifier in order; false once it found a problem.
    @discardableResult
    func checkLinks(with verifier: inout ChainVerifier, tree: inout TreeRecomputation) -> Bool {
        links.withUnsafeBytes { links in
            computed.withUnsafeBytes { computed in
                for row in 0..<count {
                    let previousStart = row == 0 ? 0 : linkEnds[2 * row - 1]
                    let ok = verifier.check(
                        position: positions[row],
                        previousHash: UnsafeRawBufferPointer(rebasing: links[previousStart..<linkEnds[2 * row]]),
                        hash: UnsafeRawBufferPointer(rebasing: links[linkEnds[2 * row]..<linkEnds[2 * row + 1]]),
                        computedHash: UnsafeRawBufferPointer(rebasing: computed[(row * 64)..<(row * 64 + 64)]),
                        chainVersion: chainVersions[row])
                    if !ok { return false }
                    tree.add(Array(leaves[(row * 32)..<(row * 32 + 32)]))
                }
                return true
            }
        }
    }
}
