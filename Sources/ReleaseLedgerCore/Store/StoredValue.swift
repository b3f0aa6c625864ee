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
