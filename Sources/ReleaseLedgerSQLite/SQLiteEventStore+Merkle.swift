import CSQLite
import ReleaseLedgerCore
import Transparency

/// The RFC 6962 tree over the events (`merkle_subtrees`, schema version 5; version 6 keeps only
/// levels 4 and up). Leaf i is SHA-256(0x00 || the envelope bytes the chain hashes for position
/// i+1). Every complete subtree of 16 leaves or more is stored. The leaves of the block still open
/// (at most 15) ride in the chain head's row (`open_block`), which each transaction rewrites anyway;
/// so 15 appends in 16 add no page for the tree, and the 16th writes its block and the parents that
/// block completes. Roots and proofs read smaller subtrees' leaves from their events (at most 16).
extension SQLiteEventStore {
    /// Subtrees below this level are not stored: 2^4 = 16 leaves is the smallest stored one.
    static let lowestStoredLevel = 4
    static let blockWidth = Int64(1) << Int64(lowestStoredLevel)
    static let hashSize = 32

    /// The leaf hash of one event: the same envelope bytes `ChainHasher` hashes, behind 0x00.
    static func leafHash(of event: RecordedEvent) -> [UInt8] { RFC6962.leafHash(event.envelopeBytes) }

    /// The envelope bytes of the event at `position` (a tlog proof's `extra`), nil past the head.
    public func envelopeBytes(at position: Int64) throws(LedgerError) -> [UInt8]? {
        guard let event = try events(EventQuery(afterPosition: position - 1, limit: 1)).first,
            event.position == position
        else { return nil }
        return event.envelopeBytes
    }

    /// Adds the event's leaf (`leafHash`, hashed from the envelope its chain hash was computed
    /// over) to the open block (`openBlock`, which `writeHead` stores in the chain head's row).
    /// When the event completes a block of 16 leaves, stores the block's hash and each parent it
    /// completes (one row per trailing one bit of the block's index, two on average), and the open
    /// block is empty again. Runs inside the append's transaction.
    func advanceTree(with event: RecordedEvent, leafHash: [UInt8]) throws(LedgerError) {
        var leaves = try openBlock(after: event.position - 1)
        leaves += leafHash
        guard event.position % Self.blockWidth == 0 else {
            openBlock = (event.position, leaves)
            return
        }
        let index = UInt64(event.position - 1)
        let lowest = Self.lowestStoredLevel
        var hash = CompactRange.root(
            ofLeaves: stride(from: 0, to: leaves.count, by: Self.hashSize).map {
                Array(leaves[$0..<$0 + Self.hashSize])
            })
        try sqlite { () throws(SQLiteError) in
            try insertSubtree(level: lowest, index: index >> UInt64(lowest), hash: hash)
            var level = lowest
            // A node that is a right child completes its parent with the stored left sibling.
            while (index >> UInt64(level)) & 1 == 1 {
                guard let left = try subtree(level: level, index: (index >> UInt64(level)) - 1) else {
                    throw .corrupt("the Merkle tree lacks a subtree before position \(event.position)")
                }
                hash = RFC6962.nodeHash(left, hash)
                level += 1
                try insertSubtree(level: level, index: index >> UInt64(level), hash: hash)
            }
        }
        openBlock = (event.position, [])
    }

    /// The leaves of the block open after `position`, concatenated: kept from the previous append
    /// (`openBlock`), else the chain head's `open_block`, else (empty or the wrong length: written
    /// before schema version 6, or damaged) hashed from the events.
    func openBlock(after position: Int64) throws(LedgerError) -> [UInt8] {
        if let openBlock, openBlock.position == position { return openBlock.leaves }
        let count = Int(position % Self.blockWidth)
        if count == 0 { return [] }
        if let stored = try storedOpenBlock(at: position), stored.count == count * Self.hashSize { return stored }
        return try eventLeaves(UInt64(position) - UInt64(count)..<UInt64(position)).flatMap { $0 }
    }

    /// The chain head's `open_block` when the head is at `position`, else nil.
    func storedOpenBlock(at position: Int64) throws(LedgerError) -> [UInt8]? {
        try sqlite { () throws(SQLiteError) -> [UInt8]? in
            let statement = try connection.statement("SELECT position, open_block FROM chain_head WHERE id = 1")
            defer { statement.reset() }
            guard try statement.step(), statement.int64(0) == position else { return nil }
            return statement.blob(1)
        }
    }

    /// Subtrees of `level` (at most `lowestStoredLevel`) hashed from their events, one read.
    func hashedSubtrees(level: Int, indices: Range<UInt64>) throws(LedgerError) -> [[UInt8]] {
        let width = 1 << level
        let leaves = try eventLeaves(indices.lowerBound << UInt64(level)..<indices.upperBound << UInt64(level))
        return stride(from: 0, to: leaves.count, by: width).map {
            CompactRange.root(ofLeaves: leaves[$0..<$0 + width])
        }
    }

    /// The leaf hashes of leaves `range` (positions range+1), read from their events in one query.
    /// Fewer than asked is damage, unless `allowingFewer` (a block at the head, still incomplete).
    func eventLeaves(_ range: Range<UInt64>, allowingFewer: Bool = false) throws(LedgerError) -> [[UInt8]] {
        let leaves = try events(EventQuery(afterPosition: Int64(range.lowerBound), limit: range.count))
            .map(Self.leafHash)
        guard allowingFewer || leaves.count == range.count else {
            let message =
                "the Merkle tree asks for leaves \(range.lowerBound)..<\(range.upperBound) past the last event"
            throw SQLiteConnection.ledgerError(.corrupt(message), path: path)
        }
        return leaves
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
        if level < Self.lowestStoredLevel { return try hashedSubtrees(level: level, indices: indices) }
        return try sqlite { () throws(SQLiteError) in
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

    /// Runs `body` (a root or a proof) with a source of complete subtrees: stored ones from
    /// `lowestStoredLevel` up (a missing one is damage), smaller ones hashed from the leaves of
    /// their block of 16, whose events are read once however many of its subtrees the proof needs.
    func withSubtrees<T>(
        _ body: ((Int, UInt64) throws(LedgerError) -> [UInt8]) throws(LedgerError) -> T
    ) throws(LedgerError) -> T {
        var blocks: [UInt64: [[UInt8]]] = [:]
        func subtree(level: Int, index: UInt64) throws(LedgerError) -> [UInt8] {
            let lowest = UInt64(Self.lowestStoredLevel)
            if level >= Self.lowestStoredLevel {
                return try sqlite { () throws(SQLiteError) in
                    guard let hash = try self.subtree(level: level, index: index) else {
                        throw .corrupt("the Merkle tree lacks subtree \(level)/\(index); run `release-ledger rebuild`")
                    }
                    return hash
                }
            }
            let first = index << UInt64(level)
            let block = first >> lowest
            let leaves: [[UInt8]]
            if let cached = blocks[block] {
                leaves = cached
            } else {
                // The block at the head may be incomplete: only subtrees inside what exists are asked for.
                leaves = try eventLeaves(block << lowest..<(block + 1) << lowest, allowingFewer: true)
                blocks[block] = leaves
            }
            let offset = Int(first - (block << lowest))
            let width = 1 << level
            guard offset + width <= leaves.count else {
                let message = "the Merkle tree asks for leaves \(first)..<\(first + UInt64(width)) past the last event"
                throw SQLiteConnection.ledgerError(.corrupt(message), path: path)
            }
            return CompactRange.root(ofLeaves: leaves[offset..<offset + width])
        }
        return try body(subtree)
    }

    /// The hash of leaves [begin, end): one read per complete subtree it is made of.
    func rangeHash(_ range: LeafRange) throws(LedgerError) -> [UInt8] {
        try withSubtrees { subtree throws(LedgerError) in try MerkleProof.rangeHash(range, subtree: subtree) }
    }

    /// The tree's size: the leaves its stored blocks cover, and the events after them up to the
    /// head, as long as fewer than a block (an older tree, or one missing rows, is shorter).
    public func treeSize() throws(LedgerError) -> UInt64 {
        try sqlite { () throws(SQLiteError) in
            let blocks = UInt64(
                try connection.integer(
                    "SELECT ifnull(max(idx) + 1, 0) FROM merkle_subtrees WHERE level = \(Self.lowestStoredLevel)") ?? 0)
            let events = UInt64(max(0, try connection.integer("SELECT ifnull(max(position), 0) FROM events") ?? 0))
            let width = UInt64(Self.blockWidth)
            return min(events, blocks * width + width - 1)
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
            return try withSubtrees { subtree throws(LedgerError) in
                try MerkleProof.inclusion(index: index, size: size, subtree: subtree)
            }
        }
    }

    /// The consistency proof from the tree of `size1` leaves to the one of `size2`, with both roots.
    public func consistencyProof(from size1: UInt64, to size2: UInt64) throws(LedgerError) -> (
        path: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) {
        try readSnapshot { () throws(LedgerError) in
            try requireTree(size: size2)
            return try withSubtrees { subtree throws(LedgerError) in
                try MerkleProof.consistency(from: size1, to: size2, subtree: subtree)
            }
        }
    }

    /// Reads in one snapshot, so a proof and its root describe the same tree.
    func readSnapshot<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try read(body)
    }

    /// Empties the tree and adds every event's leaf again (rebuild and the version 5 migration),
    /// then rewrites the chain head's open block.
    func rebuildMerkleTree() throws(LedgerError) {
        try sqlite { () throws(SQLiteError) in try connection.execute("DELETE FROM merkle_subtrees") }
        var tree = CompactRange()
        var open: [UInt8] = []
        var failure: SQLiteError?
        // One pass, nothing held but the right border: a million events fill it in constant memory.
        try forEachEvent(EventQuery()) { event in
            do throws(SQLiteError) {
                let leaf = Self.leafHash(of: event)
                if event.position % Self.blockWidth == 0 { open.removeAll(keepingCapacity: true) } else { open += leaf }
                for node in tree.append(leafHash: leaf) where node.level >= Self.lowestStoredLevel {
                    try insertSubtree(level: node.level, index: node.index, hash: node.hash)
                }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw SQLiteConnection.ledgerError(failure, path: path) }
        openBlock = nil
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement("UPDATE chain_head SET open_block = ?1 WHERE id = 1")
            try statement.bindBlob(1, open)
            while try statement.step() {}
            statement.reset()
        }
    }

    /// The chain head's open block against the events' leaves, when it has the length that the
    /// next append would trust (any other length is recomputed by that append).
    func openBlockProblem(size: UInt64) throws(LedgerError) -> (position: Int64, text: String)? {
        let count = Int(Int64(size) % Self.blockWidth)
        guard let stored = try storedOpenBlock(at: Int64(size)), stored.count == count * Self.hashSize, count > 0
        else { return nil }
        let first = size - UInt64(count)
        guard try eventLeaves(first..<size).flatMap({ $0 }) != stored else { return nil }
        return (
            Int64(first) + 1,
            "the chain head's open Merkle block does not match the events after position \(first); "
                + "run `release-ledger rebuild`"
        )
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
