/// Where an event sits in the ledger, so artifacts can cite their evidence.
public struct EventReference: Equatable, Sendable {
    public var position: Int64
    public var hash: String
    public var at: Timestamp
}
