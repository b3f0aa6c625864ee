import Crypto

/// The right border of a growing tree: one hash per set bit of its size, enough to add the next
/// leaf and to compute the root. `verify` feeds it every leaf it recomputes; an append uses the
/// same merge rule against the stored subtrees.
public struct CompactRange: Sendable {
    public private(set) var size: UInt64 = 0
    /// Complete subtrees, largest (leftmost) first.
    public private(set) var hashes: [[UInt8]] = []

    public init() {}

    /// Adds the next leaf; returns the complete subtrees this completed, (level, index, hash),
    /// lowest first: the leaf itself, then each parent it finished.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) -> [(level: Int, index: UInt64, hash: [UInt8])] {
        var completed: [(level: Int, index: UInt64, hash: [UInt8])] = [(0, size, leafHash)]
        var hash = leafHash
        var level = 0
        // Each trailing one bit of the old size is a left sibling waiting for this subtree.
        while (size >> UInt64(level)) & 1 == 1 {
            hash = RFC6962.nodeHash(hashes.removeLast(), hash)
            level += 1
            completed.append((level, size >> UInt64(level), hash))
        }
        hashes.append(hash)
        size += 1
        return completed
    }

    /// RFC 6962 MTH of the leaves so far.
    public var root: [UInt8] { LeafRange.fold(hashes) }

    /// RFC 6962 MTH of `leaves` (leaf hashes, in order).
    public static func root(ofLeaves leaves: some Sequence<[UInt8]>) -> [UInt8] {
        var range = CompactRange()
        for leaf in leaves { range.append(leafHash: leaf) }
        return range.root
    }
}

/// A digest of every complete subtree, level by level in index order: what `verify` computes from
/// the rows and from the stored tree, to compare the two in one pass each without holding either.
public struct SubtreeDigest: Equatable, Sendable {
    private var hashers: [SHA256] = []
    private var counts: [UInt64] = []

    public init() {}

    /// Adds the next subtree of `level`; false when `index` is not the next one of its level.
    @discardableResult
    public mutating func add(level: Int, index: UInt64, hash: [UInt8]) -> Bool {
        while hashers.count <= level {
            hashers.append(SHA256())
            counts.append(0)
        }
        guard counts[level] == index else { return false }
        hashers[level].update(data: hash)
        counts[level] += 1
        return true
    }

    public var value: [[UInt8]] { hashers.map { Array($0.finalize()) } }
    public var subtreeCounts: [UInt64] { counts }

    public static func == (lhs: SubtreeDigest, rhs: SubtreeDigest) -> Bool {
        lhs.counts == rhs.counts && lhs.value == rhs.value
    }
}

/// The tree recomputed from the events during `verify` (of a file, or of what a server sends),
/// with its roots at the sizes asked for and a digest of its subtrees from `lowestDigestedLevel`
/// up, to compare with a stored tree that keeps those levels.
public struct TreeRecomputation: Sendable {
    public private(set) var range = CompactRange()
    public private(set) var subtrees = SubtreeDigest()
    public let sizes: Set<UInt64>
    public let lowestDigestedLevel: Int
    public private(set) var roots: [UInt64: [UInt8]] = [:]

    public init(sizes: Set<UInt64>, lowestDigestedLevel: Int = 0) {
        self.sizes = sizes
        self.lowestDigestedLevel = lowestDigestedLevel
        if sizes.contains(0) { roots[0] = RFC6962.emptyRoot }
    }

    public mutating func add(_ leafHash: [UInt8]) {
        for node in range.append(leafHash: leafHash) where node.level >= lowestDigestedLevel {
            subtrees.add(level: node.level, index: node.index, hash: node.hash)
        }
        if sizes.contains(range.size) { roots[range.size] = range.root }
    }
}
