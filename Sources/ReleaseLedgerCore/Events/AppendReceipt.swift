/// What one append did for one event.
public struct AppendReceipt: Equatable, Sendable {
    public enum Status: String, Sendable {
        case recorded
        /// The same event was already in the ledger; nothing was written.
        case alreadyRecorded = "already-recorded"
    }

    public let status: Status
    public let position: Int64
    public let id: String
    public let stream: String
    public let version: Int64
    public let type: String
    public let sha: String
    public let recordedAt: Timestamp
    public let hash: String

    public init(status: Status, event: RecordedEvent) {
        self.status = status
        position = event.position
        id = event.id
        stream = event.stream
        version = event.version
        type = event.type
        sha = event.sha
        recordedAt = event.recordedAt
        hash = event.hash
    }
}
