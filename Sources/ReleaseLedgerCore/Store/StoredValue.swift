/// Reads back a column a store wrote, strictly: a value the ledger could not have written (a time
/// that is not RFC 3339, an unknown run kind or decision) is an error naming its place, never a
/// default. A bad time read as the epoch, or an unknown kind as `promotion`, would hide damage.
package enum StoredValue {
    package static func timestamp(_ text: String, at place: @autoclosure () -> String) throws(StoredValueError)
        -> Timestamp
    {
        guard let time = Timestamp(rfc3339: text) else { throw StoredValueError(place(), text, "an RFC 3339 time") }
        return time
    }

    package static func optionalTimestamp(_ text: String?, at place: @autoclosure () -> String)
        throws(StoredValueError) -> Timestamp?
    {
        guard let text else { return nil }
        return try timestamp(text, at: place())
    }

    package static func runKind(_ text: String, at place: @autoclosure () -> String) throws(StoredValueError)
        -> RunKind
    {
        guard let kind = RunKind(rawValue: text) else { throw StoredValueError(place(), text, "a run kind") }
        return kind
    }

    package static func decision(_ text: String?, at place: @autoclosure () -> String) throws(StoredValueError)
        -> Decision?
    {
        guard let text else { return nil }
        guard let decision = Decision(rawValue: text) else { throw StoredValueError(place(), text, "YES or NO") }
        return decision
    }
}

/// A stored value the ledger could not have written; each store reports it as damage (exit 74).
package struct StoredValueError: Error, Sendable, CustomStringConvertible {
    package let description: String

    init(_ place: String, _ value: String, _ expected: String) {
        description = "\(place) holds '\(EventCatalog.printable(value))', not \(expected)"
    }
}

extension RunSummary {
    /// A `runs` row as a store reads it back, its columns as stored text: a kind, decision or time
    /// the ledger could not have written is an error naming the row and the column.
    package init(
        storedSHA sha: String, run: Int, kind: String, replaces: String?, openedAt: String, openedPosition: Int64,
        decision: String?, decidedAt: String?, decidedPosition: Int64?, actor: String?
    ) throws(StoredValueError) {
        func place(_ column: String) -> String { "runs row \(sha.prefix(12)) run \(run), \(column)," }
        self.init(
            sha: sha, run: run, kind: try StoredValue.runKind(kind, at: place("kind")), replaces: replaces,
            openedAt: try StoredValue.timestamp(openedAt, at: place("opened_at")), openedPosition: openedPosition,
            decision: try StoredValue.decision(decision, at: place("decision")),
            decidedAt: try StoredValue.optionalTimestamp(decidedAt, at: place("decided_at")),
            decidedPosition: decidedPosition, actor: actor)
    }
}
