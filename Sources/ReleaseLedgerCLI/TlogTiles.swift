import ReleaseLedgerCore
import Transparency

/// The ledger as c2sp.org/tlog-tiles resources: the newest signed checkpoint, hash tiles and entry
/// bundles, read from the stored tree. Any tlog-tiles client can compute proofs from them.
public enum TlogTiles {
    /// The signed note of the newest checkpoint the ledger issued, nil before the first.
    public static func checkpoint(of log: any Ledger) throws(LedgerError) -> String? {
        try CheckpointIssuer.recorded(in: log).last?.note
    }

    /// A tile's bytes, or nil when the tree does not hold all of it yet (a tile is only served
    /// once complete; a partial one of width W once the level has that many hashes).
    public static func bytes(of resource: TileResource, in log: any TransparencyLog) throws(LedgerError) -> [UInt8]? {
        let size = try log.treeSize()
        switch resource {
        case .hashes(let level, let index, let width):
            // A tile of level L holds the hashes of subtrees of 256^L leaves: floor(size / 256^L) exist.
            let available = level >= 8 ? 0 : size >> UInt64(8 * level)
            guard let range = range(index: index, width: width, available: available) else { return nil }
            return try log.subtreeHashes(level: 8 * level, indices: range).flatMap { $0 }
        case .entries(let index, let width):
            guard let range = range(index: index, width: width, available: size) else { return nil }
            var bundle: [UInt8] = []
            for leaf in range {
                guard let entry = try log.envelopeBytes(at: Int64(leaf) + 1) else { return nil }
                guard entry.count <= EntryBundle.maxEntryBytes else {
                    throw .storage(
                        "the event at position \(leaf + 1) is \(entry.count) bytes: an entry bundle's 16-bit "
                            + "length cannot carry it (prove it with `release-ledger prove`)")
                }
                EntryBundle.append(entry, to: &bundle)
            }
            return bundle
        }
    }

    /// Items index*256 ..< index*256 + width, when all of them exist.
    static func range(index: UInt64, width: Int, available: UInt64) -> Range<UInt64>? {
        let (start, overflow) = index.multipliedReportingOverflow(by: TilePath.width)
        guard !overflow, start < available, UInt64(width) <= available - start else { return nil }
        return start..<(start + UInt64(width))
    }
}
