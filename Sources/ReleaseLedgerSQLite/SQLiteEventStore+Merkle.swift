import CSQLite
import ReleaseLedgerCore
import Transparency

/// The RFC 6962 tree over the events (`merkle_subtrees`, schema version 5). Leaf i is
/// SHA-256(0x00 || the envelope bytes the chain hashes for position i+1). Every complete subtree
/// is stored, so an append writes its leaf and the parents it completes, and any root or proof
/// is a handful of index reads, whatever the ledger's size.
extension SQLiteEventStore {
    /// The leaf hash of one event: the same envelope bytes `ChainHasher` hashes, behind 0x00.
    static func leafHash(of event: RecordedEvent) -> [UInt8] { RFC6962.leafHash(event.envelopeBytes) }

    /// The envelope bytes of the event at `position` (a tlog proof's `extra`), nil past the head.
    public func envelopeBytes(at position: Int64) throws(LedgerError) -> [UInt8]? {
        guard let event = try events(EventQuery(afterPosition: position - 1, limit: 1)).first,
            event.position == position
        else { return nil }
        return event.envelopeBytes
    }

    /// Adds the event's leaf and each parent it completes: one row, plus one per trailing one bit
    /// of its index (two on average). Runs inside the append's transaction.
    func appendLeaf(of event: RecordedEvent) throws(SQLiteError) {
        let index = UInt64(event.position - 1)
        var hash = Self.leafHash(of: event)
        try insertSubtree(level: 0, index: index, hash: hash)
        var level = 0
        // A node that is a right child completes its parent with the stored left sibling.
        while (index >> UInt64(level)) & 1 == 1 {
            guard let left = try subtree(level: level, index: (index >> UInt64(level)) - 1) else {
                throw SQLiteError(
                    code: SQLITE_CORRUPT, extendedCode: SQLITE_CORRUPT,
                    message: "the Merkle tree lacks a subtree before position \(event.position)",
                    sql: nil)
            }
            hash = RFC6962.nodeHash(left, hash)
            level += 1
            try insertSubtree(level: level, index: index >> UInt64(level), hash: hash)
        }
    }

    func insertSubtree(level: Int, index: UInt64, hash: [UInt8]) throws(SQLiteError) {
        let statement = try connection.statement("INSERT INTO merkle_subtrees (level, idx, hash) VALUES (?1, ?2, ?3)")
        try statement.bind([.integer(Int64(level)), .integer(Int64(index))])
        try statement.bindBlob(3, hash)
        while try statement.step() {}
        statement.reset()
    }

    func subtree(level: Int, index: UInt64) throws(SQLiteError) -> [UInt8]? {
        let statement = try connection.statement("SELECT hash FROM merkle_subtrees WHERE level = ?1 AND idx = ?2")
        try statement.bind([.integer(Int64(level)), .integer(Int64(index))])
        defer { statement.reset() }
        return try statement.step() ? statement.blob(0) : nil
    }

    public func subtreeHashes(level: Int, indices: Range<UInt64>) throws(LedgerError) -> [[UInt8]] {
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(
                "SELECT hash FROM merkle_subtrees WHERE level = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx")
            try statement.bind([
                .integer(Int64(level)), .integer(Int64(clamping: indices.lowerBound)),
                .integer(Int64(clamping: indices.upperBound)),
            ])
            defer { statement.reset() }
            var hashes: [[UInt8]] = []
            while try statement.step() { hashes.append(statement.blob(0)) }
            guard hashes.count == indices.count else {
                throw .corrupt("the Merkle tree lacks subtrees at level \(level); run `release-ledger rebuild`")
            }
            return hashes
        }
    }

    /// A complete subtree's stored hash; a missing one is damage.
    func storedSubtree(level: Int, index: UInt64) throws(SQLiteError) -> [UInt8] {
        guard let hash = try subtree(level: level, index: index) else {
            throw .corrupt("the Merkle tree lacks subtree \(level)/\(index); run `release-ledger rebuild`")
        }
        return hash
    }

    /// The hash of leaves [begin, end): one read per complete subtree it is made of.
    func rangeHash(_ range: LeafRange) throws(LedgerError) -> [UInt8] {
        try sqlite { () throws(SQLiteError) in try MerkleProof.rangeHash(range, subtree: storedSubtree) }
    }

    /// The tree's size: the number of stored leaves (the events written since schema version 5
    /// and those the migration's rebuild added).
    public func treeSize() throws(LedgerError) -> UInt64 {
        try sqlite { () throws(SQLiteError) in
            UInt64(try connection.integer("SELECT ifnull(max(idx) + 1, 0) FROM merkle_subtrees WHERE level = 0") ?? 0)
        }
    }

    /// RFC 6962 root of the first `size` events.
    public func treeRoot(size: UInt64) throws(LedgerError) -> [UInt8] {
        try readSnapshot { () throws(LedgerError) in
            try requireTree(size: size)
            return try rangeHash(LeafRange(0, size))
        }
    }

    public func leafHash(index: UInt64) throws(LedgerError) -> [UInt8] {
        try rangeHash(LeafRange(index, index + 1))
    }

    /// Leaf `index`'s inclusion proof in the tree of `size` leaves, with that tree's root and the leaf hash.
    public func inclusionProof(index: UInt64, size: UInt64) throws(LedgerError) -> (
        leafHash: [UInt8], path: [[UInt8]], root: [UInt8]
    ) {
        try readSnapshot { () throws(LedgerError) in
            try requireTree(size: size, leaf: index)
            return try sqlite { () throws(SQLiteError) in
                try MerkleProof.inclusion(index: index, size: size, subtree: storedSubtree)
            }
        }
    }

    /// The consistency proof from the tree of `size1` leaves to the one of `size2`, with both roots.
    public func consistencyProof(from size1: UInt64, to size2: UInt64) throws(LedgerError) -> (
        path: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) {
        try readSnapshot { () throws(LedgerError) in
            try requireTree(size: size2)
            return try sqlite { () throws(SQLiteError) in
                try MerkleProof.consistency(from: size1, to: size2, subtree: storedSubtree)
            }
        }
    }

    /// Reads in one snapshot, so a proof and its root describe the same tree.
    func readSnapshot<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try read(body)
    }

    /// Empties the tree and adds every event's leaf again (rebuild and the version 5 migration).
    func rebuildMerkleTree() throws(LedgerError) {
        try sqlite { () throws(SQLiteError) in try connection.execute("DELETE FROM merkle_subtrees") }
        var tree = CompactRange()
        var failure: SQLiteError?
        // One pass, nothing held but the right border: a million events fill it in constant memory.
        try forEachEvent(EventQuery()) { event in
            do throws(SQLiteError) {
                for node in tree.append(leafHash: Self.leafHash(of: event)) {
                    try insertSubtree(level: node.level, index: node.index, hash: node.hash)
                }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw SQLiteConnection.ledgerError(failure, path: path) }
    }
}

extension SQLiteStatement {
    /// Binds bytes as a BLOB to ?index (SQLite copies them).
    func bindBlob(_ index: Int32, _ bytes: [UInt8]) throws(SQLiteError) {
        let rc = bytes.withUnsafeBytes {
            sqlite3_bind_blob(pointer, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT)
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(pointer, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(pointer, column))))
    }
}
