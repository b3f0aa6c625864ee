/// Which subtree hashes an RFC 6962 inclusion or consistency proof holds, and how to check one.
/// Generation names ranges (the store looks their hashes up); verification follows
/// transparency-dev/merkle's `proof` package step for step, so it accepts and rejects the same
/// proofs as Go's verifier (the vectors in ../shared/vectors check that).
public enum MerkleProof {
    /// RFC 6962 section 2.1.1 PATH(m, D[n]): the leaf's sibling first, the root's child last.
    public static func inclusionRanges(index: UInt64, size: UInt64) -> [LeafRange] {
        precondition(index < size, "the leaf must be inside the tree")
        var ranges: [LeafRange] = []
        var begin: UInt64 = 0
        var end = size
        var m = index
        // Walk down from the root, remembering the sibling of each step; the path is bottom-up.
        while end - begin > 1 {
            let k = RFC6962.split(end - begin)
            if m < k {
                ranges.append(LeafRange(begin + k, end))
                end = begin + k
            } else {
                ranges.append(LeafRange(begin, begin + k))
                begin += k
                m -= k
            }
        }
        return ranges.reversed()
    }

    /// RFC 6962 section 2.1.2 PROOF(m, D[n]) for sizes m < n (empty when m is 0 or m == n).
    public static func consistencyRanges(from size1: UInt64, to size2: UInt64) -> [LeafRange] {
        precondition(size1 <= size2, "a tree does not shrink")
        guard size1 > 0, size1 < size2 else { return [] }
        var ranges: [LeafRange] = []
        var begin: UInt64 = 0
        var end = size2
        var m = size1
        var complete = true
        while true {
            let n = end - begin
            if m == n {
                if !complete { ranges.append(LeafRange(begin, end)) }
                break
            }
            let k = RFC6962.split(n)
            if m <= k {
                ranges.append(LeafRange(begin + k, end))
                end = begin + k
            } else {
                ranges.append(LeafRange(begin, begin + k))
                begin += k
                m -= k
                complete = false
            }
        }
        return ranges.reversed()
    }

    // MARK: Verification (transparency-dev/merkle proof/verify.go)

    /// Checks that `leafHash` is leaf `index` of the tree of `size` leaves with root `root`.
    public static func verifyInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]], root: [UInt8])
        throws(ProofError)
    {
        let computed = try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)
        guard computed == root else { throw .rootMismatch }
    }

    public static func rootFromInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]])
        throws(ProofError) -> [UInt8]
    {
        guard index < size else { throw .indexBeyondSize(index: index, size: size) }
        guard leafHash.count == RFC6962.hashSize else { throw .badHashSize("the leaf hash") }
        let (inner, border) = decompose(index: index, size: size)
        guard proof.count == inner + border else { throw .wrongProofSize(got: proof.count, want: inner + border) }
        try checkSizes(proof)
        var hash = chainInner(leafHash, proof[0..<inner], index: index)
        hash = chainBorderRight(hash, proof[inner...])
        return hash
    }

    /// Checks that the tree of `size1` leaves with `root1` is a prefix of the one of `size2` with `root2`.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) throws(ProofError) {
        if size2 < size1 { throw .shrinking(size1: size1, size2: size2) }
        // RFC 9162 section 2.1.4.2 defines no proof from the empty tree (the vectors refuse one).
        if size1 == 0 { throw .emptyTree }
        if size1 == size2 {
            guard proof.isEmpty else { throw .wrongProofSize(got: proof.count, want: 0) }
            guard root1 == root2 else { throw .rootMismatch }
            return
        }
        guard !proof.isEmpty else { throw .wrongProofSize(got: 0, want: 1) }
        try checkSizes(proof)
        var (inner, border) = decompose(index: size1 - 1, size: size2)
        let shift = size1.trailingZeroBitCount
        inner -= shift
        // The proof starts with the hash of the subtree of size 2^shift, unless size1 is that subtree.
        var seed = proof[0]
        var start = 1
        if size1 == UInt64(1) << UInt64(shift) {
            seed = root1
            start = 0
        }
        guard proof.count == start + inner + border else {
            throw .wrongProofSize(got: proof.count, want: start + inner + border)
        }
        let rest = proof[start...]
        let innerPart = rest.prefix(inner)
        let borderPart = rest.dropFirst(inner)
        let mask = (size1 - 1) >> UInt64(shift)
        var hash1 = chainInnerRight(seed, innerPart, index: mask)
        hash1 = chainBorderRight(hash1, borderPart)
        guard hash1 == root1 else { throw .rootMismatch }
        var hash2 = chainInner(seed, innerPart, index: mask)
        hash2 = chainBorderRight(hash2, borderPart)
        guard hash2 == root2 else { throw .rootMismatch }
    }

    static func checkSizes(_ proof: [[UInt8]]) throws(ProofError) {
        for hash in proof where hash.count != RFC6962.hashSize { throw .badHashSize("a proof hash") }
    }

    /// How many proof hashes lie below the point where the leaf's path meets the right border.
    static func decompose(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = 64 - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> UInt64(inner)).nonzeroBitCount
        return (inner, border)
    }

    static func chainInner(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (i, sibling) in proof.enumerated() {
            hash = (index >> UInt64(i)) & 1 == 0 ? RFC6962.nodeHash(hash, sibling) : RFC6962.nodeHash(sibling, hash)
        }
        return hash
    }

    static func chainInnerRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (i, sibling) in proof.enumerated() where (index >> UInt64(i)) & 1 == 1 {
            hash = RFC6962.nodeHash(sibling, hash)
        }
        return hash
    }

    static func chainBorderRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>) -> [UInt8] {
        var hash = seed
        for sibling in proof { hash = RFC6962.nodeHash(sibling, hash) }
        return hash
    }
}

/// Why a proof was rejected.
public enum ProofError: Error, Equatable, CustomStringConvertible {
    case indexBeyondSize(index: UInt64, size: UInt64)
    case badHashSize(String)
    case wrongProofSize(got: Int, want: Int)
    case shrinking(size1: UInt64, size2: UInt64)
    case rootMismatch
    case emptyTree

    public var description: String {
        switch self {
        case .indexBeyondSize(let index, let size): "leaf index \(index) is not inside a tree of \(size) leaves"
        case .badHashSize(let what): "\(what) is not 32 bytes"
        case .wrongProofSize(let got, let want): "the proof has \(got) hashes; this tree needs \(want)"
        case .shrinking(let size1, let size2): "the second tree (\(size2) leaves) is smaller than the first (\(size1))"
        case .rootMismatch: "the proof does not lead to the expected root hash"
        case .emptyTree: "there is no consistency proof from the empty tree"
        }
    }
}
