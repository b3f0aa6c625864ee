/// What the decoders read from a payload: a parsed `JSONValue` (the append path) or stored text
/// read in place (`StoredJSON`, a rebuild).
public protocol FoldPayload {
    subscript(key: String) -> Self? { get }
    var stringValue: String? { get }
    var boolValue: Bool? { get }
    var doubleValue: Double? { get }
    var intValue: Int64? { get }
    var arrayElements: [Self]? { get }
    var isNull: Bool { get }
    var isObject: Bool { get }
    /// SHA-256 of the payload's canonical bytes.
    var contentHash: String { get }
}

extension JSONValue: FoldPayload {
    public var arrayElements: [JSONValue]? { arrayValue }
    public var isObject: Bool { objectValue != nil }
    public var contentHash: String { ChainHasher.contentHash(self) }
}

extension StoredJSON: FoldPayload {
    package var isNull: Bool { bytes.elementsEqual("null".utf8) }
    package var isObject: Bool { bytes.first == 0x7B }
}
