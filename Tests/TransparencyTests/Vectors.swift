import Foundation

/// The public test vectors, read in place: ../shared/vectors beside the package (CI clones the
/// project with `shared` next to it).
enum Vectors {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    }

    /// Every JSON file under a folder, relative paths sorted.
    static func files(under folder: String) -> [String] {
        let base = url(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { ($0 as? URL)?.path }.filter { $0.hasSuffix(".json") }
            .map { folder + String($0.dropFirst(base.path.count)) }.sorted()
    }

    /// A base64 field of a vector; "" and null are empty byte strings (the vectors use both).
    static func bytes(_ value: Any?) -> [UInt8] {
        guard let text = value as? String else { return [] }
        return Data(base64Encoded: text).map { [UInt8]($0) } ?? [0xFF]
    }

    static func hashes(_ value: Any?) -> [[UInt8]] { (value as? [Any])?.map { bytes($0) } ?? [] }

    static func hex(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            out.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}
