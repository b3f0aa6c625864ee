import ReleaseLedgerCore
import Transparency

/// A served ledger as a transparency log, from the server's c2sp.org/tlog-tiles resources: roots
/// and proofs are computed here from the hash tiles, as any tlog-tiles client would, so `prove`,
/// `checkpoint` and `attest` work with `--server` as with a file. `verify --checkpoint` does not
/// trust the tiles: it recomputes the chain and the tree from the events themselves.
extension RemoteLedger: TransparencyLog {
    /// Every event is a leaf.
    func treeSize() throws(LedgerError) -> UInt64 { UInt64(max(0, try head().position)) }

    func treeRoot(size: UInt64) throws(LedgerError) -> [UInt8] {
        try requireTree(size: size)
        return try MerkleProof.rangeHash(LeafRange(0, size)) { (level, index) throws(LedgerError) in
            try subtree(level: level, index: index, treeSize: size)
        }
    }

    func inclusionProof(index: UInt64, size: UInt64) throws(LedgerError) -> (
        leafHash: [UInt8], path: [[UInt8]], root: [UInt8]
    ) {
        try requireTree(size: size, leaf: index)
        return try MerkleProof.inclusion(index: index, size: size) { (level, index) throws(LedgerError) in
            try subtree(level: level, index: index, treeSize: size)
        }
    }

    func consistencyProof(from size1: UInt64, to size2: UInt64) throws(LedgerError) -> (
        path: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) {
        try requireTree(size: size2)
        return try MerkleProof.consistency(from: size1, to: size2) { (level, index) throws(LedgerError) in
            try subtree(level: level, index: index, treeSize: size2)
        }
    }

    func subtreeHashes(level: Int, indices: Range<UInt64>) throws(LedgerError) -> [[UInt8]] {
        let size = try treeSize()
        var hashes: [[UInt8]] = []
        for index in indices { hashes.append(try subtree(level: level, index: index, treeSize: size)) }
        return hashes
    }

    func envelopeBytes(at position: Int64) throws(LedgerError) -> [UInt8]? {
        let size = try treeSize()
        guard position >= 1, UInt64(position) <= size else { return nil }
        let leaf = UInt64(position - 1)
        let tile = leaf / TilePath.width
        let bundle = try fetch(TilePath.entryBundle(index: tile, partialWidth: width(of: tile, available: size)))
        guard let entries = EntryBundle.entries(bundle), leaf % TilePath.width < entries.count else {
            throw LedgerWire.failure("entry bundle")
        }
        return entries[Int(leaf % TilePath.width)]
    }

    /// The chain and the tree recomputed here from every event the server sends: a server that
    /// rewrote its history consistently still cannot match an older checkpoint.
    func verify(anchor: ChainHead?, rootsAt sizes: Set<UInt64>) throws(LedgerError) -> (
        report: VerificationReport, roots: [UInt64: [UInt8]]
    ) {
        var verifier = ChainVerifier(anchor: anchor)
        var tree = TreeRecomputation(sizes: sizes)
        try forEachEvent(EventQuery()) { event in
            guard verifier.check(event) else { return false }
            tree.add(RFC6962.leafHash(event.envelopeBytes))
            return true
        }
        let head = try head()
        return (verifier.finish(recordedHead: head), tree.roots)
    }

    // MARK: From tiles

    /// A complete subtree's hash: level 8L + r is 2^r consecutive hashes of a level-L tile, hashed
    /// pairwise r times (a tile is a subtree of height 8 with its hashes as the leaves).
    func subtree(level: Int, index: UInt64, treeSize: UInt64) throws(LedgerError) -> [UInt8] {
        let tileLevel = level / 8
        let rise = level % 8
        let first = index << UInt64(rise)
        let count = UInt64(1) << UInt64(rise)
        let available = treeSize >> UInt64(8 * tileLevel)
        guard first + count <= available else {
            throw .invalidInput(field: "size", rule: "the tree of \(treeSize) leaves has no subtree \(level)/\(index)")
        }
        let tile = first / TilePath.width
        let bytes = try fetch(
            TilePath.hashTile(level: tileLevel, index: tile, partialWidth: width(of: tile, available: available)))
        let offset = Int(first % TilePath.width) * RFC6962.hashSize
        guard bytes.count >= offset + Int(count) * RFC6962.hashSize else { throw LedgerWire.failure("tile") }
        // The 2^r hashes are the leaves of a perfect subtree: its root is theirs.
        var perfect = CompactRange()
        for i in 0..<Int(count) {
            perfect.append(leafHash: Array(bytes[offset + i * RFC6962.hashSize..<offset + (i + 1) * RFC6962.hashSize]))
        }
        return perfect.root
    }

    /// A tile's width when `available` items exist at its level: nil (full) or the partial width.
    func width(of tile: UInt64, available: UInt64) -> Int? {
        let inTile = available - tile * TilePath.width
        return inTile >= TilePath.width ? nil : Int(inTile)
    }

    func fetch(_ path: String) throws(LedgerError) -> [UInt8] {
        if let cached = tiles[path] { return cached }
        let bytes = try client.send("GET", "/" + path).body
        tiles[path] = bytes
        return bytes
    }
}
