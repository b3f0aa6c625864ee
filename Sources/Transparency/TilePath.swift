/// Where a tile lives under a log's URL prefix (c2sp.org/tlog-tiles): `tile/<L>/<N>[.p/<W>]`,
/// with N written in groups of three digits, all but the last prefixed by `x`
/// (1234067 -> x001/x234/067), and `tile/entries/...` for the entry bundles.
public enum TilePath {
    /// Hashes per full tile.
    public static let width: UInt64 = 256

    public static func hashTile(level: Int, index: UInt64, partialWidth: Int? = nil) -> String {
        "tile/\(level)/" + encode(index) + (partialWidth.map { ".p/\($0)" } ?? "")
    }

    public static func entryBundle(index: UInt64, partialWidth: Int? = nil) -> String {
        "tile/entries/" + encode(index) + (partialWidth.map { ".p/\($0)" } ?? "")
    }

    static func encode(_ index: UInt64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.append(String(repeating: "0", count: 3 - group.count) + group)
            rest /= 1000
        } while rest > 0
        return groups.reversed().enumerated().map { $0.offset == groups.count - 1 ? $0.element : "x" + $0.element }
            .joined(separator: "/")
    }
}

/// A resource of c2sp.org/tlog-tiles under `tile/`: `width` hashes (or entries) starting at the
/// tile's first, 256 for a full tile.
public enum TileResource: Equatable, Sendable {
    case hashes(level: Int, index: UInt64, width: Int)
    case entries(index: UInt64, width: Int)
}

extension TilePath {
    /// The resource a path after `tile/` names, or nil unless it is in the spec's one canonical
    /// form (no leading zeros in `L` or `W`, `W` in 1...255, `N` as `TilePath` writes it).
    public static func parse(_ path: Substring) -> TileResource? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let kind = parts.removeFirst()
        var width = Int(self.width)
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            guard let partial = canonicalNumber(parts.removeLast()), (1...255).contains(partial) else { return nil }
            width = Int(partial)
            parts[parts.count - 1] = parts[parts.count - 1].dropLast(2)
        }
        guard let index = index(parts), encode(index) == parts.joined(separator: "/") else { return nil }
        if kind == "entries" { return .entries(index: index, width: width) }
        guard let level = canonicalNumber(kind), level <= 63 else { return nil }
        return .hashes(level: Int(level), index: index, width: width)
    }

    /// Groups of three digits, all but the last prefixed by `x`; nil on overflow.
    static func index(_ groups: [Substring]) -> UInt64? {
        var index: UInt64 = 0
        for (offset, group) in groups.enumerated() {
            let digits = offset == groups.count - 1 ? group : group.hasPrefix("x") ? group.dropFirst() : ""
            guard digits.count == 3, digits.allSatisfy(\.isASCIIDigit), let value = UInt64(digits) else { return nil }
            let (scaled, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow, scaled <= UInt64.max - value else { return nil }
            index = scaled + value
        }
        return index
    }

    /// A decimal number without leading zeros ("0" itself is fine).
    static func canonicalNumber(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.count <= 19, text.allSatisfy(\.isASCIIDigit), text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt64(text)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A c2sp.org/tlog-tiles entry bundle: each entry as a big-endian uint16 length and its bytes.
public enum EntryBundle {
    /// The largest entry the 16-bit length can carry.
    public static let maxEntryBytes = Int(UInt16.max)

    public static func append(_ entry: [UInt8], to bundle: inout [UInt8]) {
        precondition(entry.count <= maxEntryBytes, "an entry bundle cannot carry this entry")
        bundle += [UInt8(entry.count >> 8), UInt8(entry.count & 0xFF)]
        bundle += entry
    }

    /// The entries in order, or nil when the bytes are not a sequence of whole entries.
    public static func entries(_ bundle: [UInt8]) -> [[UInt8]]? {
        var entries: [[UInt8]] = []
        var offset = 0
        while offset < bundle.count {
            guard offset + 2 <= bundle.count else { return nil }
            let length = Int(bundle[offset]) << 8 | Int(bundle[offset + 1])
            guard offset + 2 + length <= bundle.count else { return nil }
            entries.append(Array(bundle[offset + 2..<offset + 2 + length]))
            offset += 2 + length
        }
        return entries
    }
}
