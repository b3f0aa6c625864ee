/// Filters of `history`.
public struct RunFilter: Equatable, Sendable {
    public var sha: String?
    public var since: Timestamp?
    public var until: Timestamp?
    /// YES, NO or PENDING.
    public var decision: String?
    public var kind: RunKind?
    public var limit: Int?
    /// Also list candidates refused at acceptance (kind `acceptance`), as `history` does. Off by
    /// default: callers that ask about production runs (metrics, rollback plans) never see them.
    /// Asking for `kind: .acceptance` turns it on.
    public var includeAcceptanceRefusals: Bool

    public init(
        sha: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil, decision: String? = nil,
        kind: RunKind? = nil, limit: Int? = nil,
        includeAcceptanceRefusals: Bool = false
    ) {
        self.sha = sha
        self.since = since
        self.until = until
        self.decision = decision
        self.kind = kind
        self.limit = limit
        self.includeAcceptanceRefusals = includeAcceptanceRefusals || kind == .acceptance
    }

    public func matches(_ run: RunSummary) -> Bool {
        (run.kind != .acceptance || includeAcceptanceRefusals) && (sha.map { run.sha == $0 } ?? true)
            && (since.map { run.openedAt >= $0 } ?? true) && (until.map { run.openedAt < $0 } ?? true)
            && (kind.map { run.kind == $0 } ?? true)
            && (decision.map { (run.decision?.rawValue ?? "PENDING") == $0 } ?? true)
    }
}
