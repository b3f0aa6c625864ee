import Crypto

/// RFC 6962 (and RFC 9162) Merkle tree hashing: a leaf is SHA-256(0x00 || data), an inner node
/// SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The prefixes keep a leaf
/// from ever being read as a node (a second-preimage attack on the tree).
public enum RFC6962 {
    public static let hashSize = 32

    /// The root of the empty tree: SHA-256 of zero bytes.
    public static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    public static func leafHash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00] as [UInt8])
        hasher.update(bufferPointer: data)
        return Array(hasher.finalize())
    }

    public static func leafHash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { leafHash($0) }
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01] as [UInt8])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The largest power of two strictly below `n` (n >= 2): where RFC 6962 splits a tree.
    static func split(_ n: UInt64) -> UInt64 {
        precondition(n >= 2, "a tree of fewer than two leaves is not split")
        return UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}

/// A run of leaves [begin, end) whose hash a proof needs. Every range a proof names starts at a
/// multiple of a power of two, so it is a complete subtree or one cut short on its right.
public struct LeafRange: Equatable, Hashable, Sendable {
    public let begin: UInt64
    public let end: UInt64

    public init(_ begin: UInt64, _ end: UInt64) {
        self.begin = begin
        self.end = end
    }

    /// The complete subtrees, left to right, whose hashes make this range's: one per set bit of
    /// its size, largest first. A store that keeps every complete subtree answers each with one read.
    public var completeSubtrees: [(level: Int, index: UInt64)] {
        var parts: [(level: Int, index: UInt64)] = []
        var start = begin
        var remaining = end - begin
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            parts.append((level, start >> UInt64(level)))
            start += UInt64(1) << UInt64(level)
            remaining -= UInt64(1) << UInt64(level)
        }
        return parts
    }

    /// The range's hash from its complete subtrees' hashes (`completeSubtrees` order): RFC 6962
    /// hangs the smaller right parts under the larger left ones, so they fold from the right.
    public static func fold(_ hashes: [[UInt8]]) -> [UInt8] {
        guard var hash = hashes.last else { return RFC6962.emptyRoot }
        for left in hashes.dropLast().reversed() { hash = RFC6962.nodeHash(left, hash) }
        return hash
    }
}
