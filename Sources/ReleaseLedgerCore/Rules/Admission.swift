/// What the rules decided for an event that passed them.
public enum Admission: Equatable, Sendable {
    /// Record it, with this payload (the ledger completes a verdict's gate table and reason,
    /// and a replay's `replaces`).
    case append(data: JSONValue)
    /// An equal candidate fact is already recorded at this position: nothing to write.
    case alreadyRecorded(position: Int64)
}
