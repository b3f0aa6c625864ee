/// The ledger's input limits, enforced before anything is stored.
public struct InputLimits: Sendable, Equatable {
    /// Largest accepted JSON document (payload or metadata), in bytes.
    public var maxDocumentBytes: Int = 1_048_576
    /// Deepest accepted nesting of arrays and objects.
    public var maxDepth: Int = 64
    /// Longest accepted string value, in UTF-8 bytes.
    public var maxStringBytes: Int = 65_536
    /// Most events accepted in one atomic batch.
    public var maxBatchEvents: Int = 1_000
    /// Largest accepted batch file or batch on standard input, in bytes.
    public var maxBatchBytes: Int = 16_777_216

    public init() {}
    public static let standard = InputLimits()

    /// For what the ledger wrote itself (read-model rows): their size follows from stored events
    /// that each passed `standard`, so an input limit must never make the ledger unreadable.
    public static let `internal`: InputLimits = {
        var limits = InputLimits()
        limits.maxDocumentBytes = Int.max
        limits.maxStringBytes = Int.max
        limits.maxDepth = 256
        return limits
    }()
}
