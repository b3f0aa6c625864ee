/// The primitives a backend offers inside one write transaction. `AppendEngine` builds appends
/// from them, so every backend enforces exactly the same envelope, idempotency and rules.
public protocol AppendTransaction {
    mutating func head() throws(LedgerError) -> ChainHead
    mutating func event(withID id: String) throws(LedgerError) -> RecordedEvent?
    mutating func event(at position: Int64) throws(LedgerError) -> RecordedEvent?
    mutating func streamVersion(_ stream: String) throws(LedgerError) -> Int64
    /// The newest event of a stream: a derived key's retry check reads it.
    mutating func lastEvent(inStream stream: String) throws(LedgerError) -> RecordedEvent?
    mutating func candidate(_ sha: String) throws(LedgerError) -> CandidateState?
    mutating func production() throws(LedgerError) -> ProductionState
    mutating func insert(_ event: RecordedEvent) throws(LedgerError)
    /// The same, given the envelope bytes the event's chain hash was computed over: a store that
    /// keeps a Merkle tree hashes its leaf from them instead of building them again.
    mutating func insert(_ event: RecordedEvent, envelope: [UInt8]) throws(LedgerError)
    /// Saves read-model state changed by the batch (called once, after all inserts); `production`
    /// is nil when the batch left it as it was.
    mutating func save(candidates: [CandidateState], production: ProductionState?) throws(LedgerError)
    /// The time recorded for the last event (nil when empty), or a later one when older rows ran
    /// backwards: new events are never recorded before it.
    mutating func timeFloor() throws(LedgerError) -> Timestamp?
}

extension AppendTransaction {
    public mutating func insert(_ event: RecordedEvent, envelope: [UInt8]) throws(LedgerError) {
        try insert(event)
    }

    public mutating func timeFloor() throws(LedgerError) -> Timestamp? {
        let head = try head()
        return head.position == 0 ? nil : try event(at: head.position)?.recordedAt
    }
}
