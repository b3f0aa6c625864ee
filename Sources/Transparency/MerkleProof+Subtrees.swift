/// Roots and proofs from a source of complete subtree hashes, (level, index) -> hash: a store's
/// table of every complete subtree, or a server's tiles. The one place a proof is assembled from
/// the ranges `inclusionRanges` and `consistencyRanges` name.
extension MerkleProof {
    /// The hash of leaves [begin, end): one subtree per set bit of the range's size.
    public static func rangeHash<Failure: Error>(
        _ range: LeafRange, subtree: (Int, UInt64) throws(Failure) -> [UInt8]
    ) throws(Failure) -> [UInt8] {
        var parts: [[UInt8]] = []
        for (level, index) in range.completeSubtrees { parts.append(try subtree(level, index)) }
        return LeafRange.fold(parts)
    }

    /// Leaf `index`'s hash, its inclusion path in the tree of `size` leaves, and that tree's root.
    public static func inclusion<Failure: Error>(
        index: UInt64, size: UInt64, subtree: (Int, UInt64) throws(Failure) -> [UInt8]
    ) throws(Failure) -> (leafHash: [UInt8], path: [[UInt8]], root: [UInt8]) {
        var path: [[UInt8]] = []
        for range in inclusionRanges(index: index, size: size) { path.append(try rangeHash(range, subtree: subtree)) }
        return (
            try rangeHash(LeafRange(index, index + 1), subtree: subtree), path,
            try rangeHash(LeafRange(0, size), subtree: subtree)
        )
    }

    /// The consistency path from the tree of `size1` leaves to the one of `size2`, with both roots.
    public static func consistency<Failure: Error>(
        from size1: UInt64, to size2: UInt64, subtree: (Int, UInt64) throws(Failure) -> [UInt8]
    ) throws(Failure) -> (path: [[UInt8]], root1: [UInt8], root2: [UInt8]) {
        var path: [[UInt8]] = []
        for range in consistencyRanges(from: size1, to: size2) { path.append(try rangeHash(range, subtree: subtree)) }
        return (
            path, try rangeHash(LeafRange(0, size1), subtree: subtree),
            try rangeHash(LeafRange(0, size2), subtree: subtree)
        )
    }
}
