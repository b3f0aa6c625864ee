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
