import CSQLite
import Dispatch
import ReleaseLedgerCore

/// Recomputing the chain. SHA-256 is half the cost and reading rows the other half, so the two
/// overlap: while one chunk of rows is hashed on another core, the next one is read. Rows stay
/// bytes from SQLite to SHA-256 (no String per column), and the links are checked in order.
extension SQLiteEventStore {
    static let verifyChunkRows = 4096

    public func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport {
        try read { () throws(LedgerError) in
            var verifier = ChainVerifier(anchor: anchor)
            var reading = VerifyChunk(), hashing = VerifyChunk()
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
                            guard try statement.step() else { more = false; break }
                            previous = try Self.checkedPosition(statement, after: previous)
                            reading.append(statement)
                        }
                    } catch {
                        // A page that cannot be read: the rows before it are still checked, so an
                        // edit there is reported (exit 4) rather than hidden behind the damage.
                        inFlight?.wait()
                        inFlight = nil
                        if hashing.checkLinks(with: &verifier) {
                            reading.hashInBackground().wait()
                            reading.checkLinks(with: &verifier)
                        }
                        if verifier.report.isIntact { throw error }
                        return
                    }
                    if let group = inFlight {
                        group.wait()
                        guard hashing.checkLinks(with: &verifier) else { inFlight = nil; return }
                    }
                    swap(&reading, &hashing)
                    inFlight = hashing.hashInBackground()
                }
            }
            if let group = inFlight {
                group.wait()
                hashing.checkLinks(with: &verifier)
            }
            let recorded: ChainHead? = try sqlite { () throws(SQLiteError) in
                let statement = try connection.statement("SELECT position, hash FROM chain_head WHERE id = 1")
                defer { statement.reset() }
                return try statement.step() ? ChainHead(position: statement.int64(0), hash: statement.text(1)) : nil
            }
            return verifier.finish(recordedHead: recorded)
        }
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
            chainVersion: chainVersion, into: &envelopes, position: position, id: StoredText(row.bytes(1)), stream: StoredText(row.bytes(2)), version: row.int64(3),
            type: StoredText(row.bytes(4)), typeVersion: row.int64(5), sha: StoredText(row.bytes(6)), data: StoredText(row.bytes(7)),
            metadata: StoredText(row.bytes(8)), recordedAt: StoredText(row.bytes(9)), previousHash: StoredText(row.bytes(10)))
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
    func checkLinks(with verifier: inout ChainVerifier) -> Bool {
        links.withUnsafeBytes { links in
            computed.withUnsafeBytes { computed in
                for row in 0..<count {
                    let previousStart = row == 0 ? 0 : linkEnds[2 * row - 1]
                    let ok = verifier.check(
                        position: positions[row],
                        previousHash: UnsafeRawBufferPointer(rebasing: links[previousStart..<linkEnds[2 * row]]),
                        hash: UnsafeRawBufferPointer(rebasing: links[linkEnds[2 * row]..<linkEnds[2 * row + 1]]),
                        computedHash: UnsafeRawBufferPointer(rebasing: computed[(row * 64)..<(row * 64 + 64)]), chainVersion: chainVersions[row])
                    if !ok { return false }
                }
                return true
            }
        }
    }
}
