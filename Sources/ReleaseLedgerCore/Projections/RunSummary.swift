/// One run of a candidate, as history lists it (a row of the `runs` read model).
public struct RunSummary: Equatable, Sendable {
    public var sha: String
    public var run: Int
    public var kind: RunKind
    public var replaces: String?
    public var openedAt: Timestamp
    public var openedPosition: Int64
    /// Nil while the run is open.
    public var decision: Decision?
    public var decidedAt: Timestamp?
    public var decidedPosition: Int64?
    public var actor: String?

    public init(
        sha: String, run: Int, kind: RunKind, replaces: String?, openedAt: Timestamp, openedPosition: Int64,
        decision: Decision?,
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
            sha: sha, run: run.number, kind: run.kind, replaces: run.replaces, openedAt: run.opened.at,
            openedPosition: run.opened.position,
            decision: run.decision?.decision, decidedAt: run.decision?.event.at,
            decidedPosition: run.decision?.event.position,
            actor: run.decision?.actor ?? run.requestedBy ?? run.steps.first?.actor)
    }
}

extension RunSummary {
    /// History's line for a candidate refused at acceptance: run 0, kind `acceptance`, decided NO
    /// at the acceptance event (decision.json says NO from that moment).
    public static func acceptanceRefusal(sha: String, at reference: EventReference, actor: String?) -> RunSummary {
        RunSummary(
            sha: sha, run: 0, kind: .acceptance, replaces: nil, openedAt: reference.at,
            openedPosition: reference.position, decision: .no,
            decidedAt: reference.at, decidedPosition: reference.position, actor: actor)
    }
}
