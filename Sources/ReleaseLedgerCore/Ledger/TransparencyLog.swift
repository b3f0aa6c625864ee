/// A ledger that keeps the RFC 6962 Merkle tree over its events (leaf i is SHA-256(0x00 || the
/// envelope bytes the chain hashes for position i+1)): what checkpoints, proofs and
/// `verify --checkpoint` read. Hashes are 32 bytes.
public protocol TransparencyLog: Ledger {
    /// The number of leaves: every event.
    func treeSize() throws(LedgerError) -> UInt64
    /// The root of the first `size` events.
    func treeRoot(size: UInt64) throws(LedgerError) -> [UInt8]
    /// Leaf `index`'s inclusion proof in the tree of `size` leaves, with that tree's root.
    func inclusionProof(index: UInt64, size: UInt64) throws(LedgerError) -> (
        leafHash: [UInt8], path: [[UInt8]], root: [UInt8]
    )
    /// The consistency proof from the tree of `size1` leaves to the one of `size2`, with both roots.
    func consistencyProof(from size1: UInt64, to size2: UInt64) throws(LedgerError) -> (
        path: [[UInt8]], root1: [UInt8], root2: [UInt8]
    )
    /// The hashes of the complete subtrees at `level` (level 0: leaves) with these indices, in
    /// order: what a c2sp.org/tlog-tiles hash tile holds. Throws unless every one exists.
    func subtreeHashes(level: Int, indices: Range<UInt64>) throws(LedgerError) -> [[UInt8]]
    /// The envelope bytes of the event at `position` (what its leaf hashes), nil past the head.
    func envelopeBytes(at position: Int64) throws(LedgerError) -> [UInt8]?
    /// Recomputes the chain and the tree from the events; the roots at `sizes` come from the
    /// recomputation, never from the stored tree.
    func verify(anchor: ChainHead?, rootsAt sizes: Set<UInt64>) throws(LedgerError) -> (
        report: VerificationReport, roots: [UInt64: [UInt8]]
    )
}

extension TransparencyLog {
    /// Refuses a tree larger than the ledger's, and a leaf outside the tree it is to be proved in.
    public func requireTree(size: UInt64, leaf: UInt64? = nil) throws(LedgerError) {
        let stored = try treeSize()
        guard size <= stored else {
            throw .invalidInput(field: "size", rule: "must be at most the ledger's size \(stored)")
        }
        if let leaf, leaf >= size {
            throw .invalidInput(field: "--position", rule: "must be at most the tree size \(size)")
        }
    }
}
