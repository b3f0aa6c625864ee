/// Filters for reading events back.
public struct EventQuery: Equatable, Sendable {
    public var sha: String?
    public var type: String?
    public var stream: String?
    public var afterPosition: Int64
    public var upToPosition: Int64?
    public var limit: Int?

    public init(
        sha: String? = nil, type: String? = nil, stream: String? = nil, afterPosition: Int64 = 0,
        upToPosition: Int64? = nil,
        limit: Int? = nil
    ) {
        self.sha = sha
        self.type = type
        self.stream = stream
        self.afterPosition = afterPosition
        self.upToPosition = upToPosition
        self.limit = limit
    }

    public func matches(_ event: RecordedEvent) -> Bool {
        event.position > afterPosition && (upToPosition.map { event.position <= $0 } ?? true)
            && (sha.map { event.sha == $0 } ?? true) && (type.map { event.type == $0 } ?? true)
            && (stream.map { event.stream == $0 } ?? true)
    }
}
