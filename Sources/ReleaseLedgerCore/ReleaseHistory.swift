/// One run of a candidate, as history lists it (a row of the `runs` read model).
public struct RunSummary: Equatable, Sendable {
    public var sha: String
    public var run: Int
    public var kind: RunKind
    public var replaces: String?
    public var openedAt: Timestamp
    public var openedPosition: Int64
    public var decision: String?
    public var decidedAt: Timestamp?
    public var decidedPosition: Int64?
    public var actor: String?

    public init(
        sha: String, run: Int, kind: RunKind, replaces: String?, openedAt: Timestamp, openedPosition: Int64, decision: String?,
        decidedAt: Timestamp?, decidedPosition: Int64?, actor: String?
    ) {
        self.sha = sha
        self.run = run
        self.kind = kind
        self.replaces = replaces
        self.openedAt = openedAt
        self.openedPosition = openedPosition
        self.decision = decision
        self.decidedAt = decidedAt
        self.decidedPosition = decidedPosition
        self.actor = actor
    }

    /// The summary of a run in a candidate's state; the actor is who decided it, else who asked
    /// for it, else who did its first step.
    public init(sha: String, run: RunState) {
        self.init(
            sha: sha, run: run.number, kind: run.kind, replaces: run.replaces, openedAt: run.opened.at, openedPosition: run.opened.position,
            decision: run.decision?.decision, decidedAt: run.decision?.event.at, decidedPosition: run.decision?.event.position,
            actor: run.decision?.actor ?? run.requestedBy ?? run.steps.first?.actor)
    }
}

extension RunSummary {
    /// History's line for a candidate refused at acceptance: run 0, kind `acceptance`, decided NO
    /// at the acceptance event (decision.json says NO from that moment).
    public static func acceptanceRefusal(sha: String, at reference: EventReference, actor: String?) -> RunSummary {
        RunSummary(
            sha: sha, run: 0, kind: .acceptance, replaces: nil, openedAt: reference.at, openedPosition: reference.position, decision: "NO",
            decidedAt: reference.at, decidedPosition: reference.position, actor: actor)
    }
}

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
        sha: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil, decision: String? = nil, kind: RunKind? = nil, limit: Int? = nil,
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
        (run.kind != .acceptance || includeAcceptanceRefusals) && (sha.map { run.sha == $0 } ?? true) && (since.map { run.openedAt >= $0 } ?? true) && (until.map { run.openedAt < $0 } ?? true)
            && (kind.map { run.kind == $0 } ?? true) && (decision.map { run.decision ?? "PENDING" == $0 } ?? true)
    }
}

/// The audit queries over a store's read model. Every backend answers them the same way (the
/// conformance suite checks it); the SQLite store answers each with an index look-up.
public protocol ReleaseHistory: EventStore {
    /// Runs, newest first (by the position that opened them); with `includeAcceptanceRefusals`,
    /// also a line of kind `acceptance` for each candidate refused at acceptance (at the
    /// acceptance's position). The other queries are about production runs only.
    func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary]
    /// Decided runs, latest decision first.
    func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary]
    /// The latest run decided YES of any SHA but `sha`: the implied target of a rollback.
    func lastYes(excluding sha: String) throws(LedgerError) -> RunSummary?
    /// What was in production after the event at `position`: the last run decided YES by then.
    func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary?
    /// The run that was open at `position`, if any.
    func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary?
    /// The last position recorded at or before a moment (0 when none).
    func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64
    /// Every candidate's SHA, in order.
    func candidateSHAs() throws(LedgerError) -> [String]
    /// Recreates the read model from the events; returns the number of candidates.
    @discardableResult func rebuildReadModel() throws(LedgerError) -> Int
}
