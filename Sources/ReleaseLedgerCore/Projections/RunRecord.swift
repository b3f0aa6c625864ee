/// A run as the DORA figures see it.
public struct RunRecord: Equatable, Sendable {
    public var sha: String
    public var run: Int
    public var kind: RunKind
    /// For rollbacks and replays: the SHA that was in production when it was requested.
    public var replaces: String?
    public var openedAt: Timestamp
    public var decision: Decision?
    public var decidedAt: Timestamp?
    public var frozenAt: Timestamp?

    public init(
        sha: String, run: Int, kind: RunKind, replaces: String?, openedAt: Timestamp, decision: Decision?,
        decidedAt: Timestamp?,
        frozenAt: Timestamp?
    ) {
        self.sha = sha
        self.run = run
        self.kind = kind
        self.replaces = replaces
        self.openedAt = openedAt
        self.decision = decision
        self.decidedAt = decidedAt
        self.frozenAt = frozenAt
    }
}
