/// An event a caller wants to append, before the ledger gives it a position.
public struct ProposedEvent: Equatable, Sendable {
    /// Idempotency key; the store generates a UUID when nil.
    public var id: String?
    public var type: String
    public var sha: String
    /// Defaults to `candidate-<sha>`.
    public var stream: String?
    public var data: JSONValue
    public var metadata: EventMetadata
    public var expectedVersion: ExpectedVersion
    /// A key derived from the CI step that sends the event (no `id` given): the ledger makes the
    /// event's id from it and the run the event joins, and treats the step as retried only when
    /// its event is still the newest of the stream (`RetryKey`).
    public var retryKey: String?

    public init(
        id: String? = nil, type: String, sha: String, stream: String? = nil, data: JSONValue,
        metadata: EventMetadata = EventMetadata(), expectedVersion: ExpectedVersion = .any, retryKey: String? = nil
    ) {
        self.retryKey = retryKey
        self.id = id
        self.type = type
        self.sha = sha
        self.stream = stream
        self.data = data
        self.metadata = metadata
        self.expectedVersion = expectedVersion
    }

    public var resolvedStream: String { stream ?? "candidate-\(sha)" }
}
