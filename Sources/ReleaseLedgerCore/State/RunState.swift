/// How a run reached production; `acceptance` only names history's line for a candidate refused
/// at acceptance, which never gets a run.
public enum RunKind: String, Sendable, CaseIterable {
    case promotion, replay, rollback, acceptance
}

/// One production step as recorded, in order, for result.json and the deployment record.
public struct StepRecord: Equatable, Sendable {
    public var type: String
    /// `api`, `web`, `identity`, `image-updated`, ... : what the step acted on.
    public var subject: String?
    public var outcome: String
    public var image: String?
    public var actor: String?
    public var ciRunId: String?
    public var evidence: [EvidenceLink] = []
    public var event: EventReference
}

public struct DecisionFact: Equatable, Sendable {
    public var decision: Decision
    public var reason: String
    public var gates: [GateResult]
    public var actor: String?
    public var event: EventReference
    public var isYes: Bool { decision == .yes }
}

/// One attempt to bring a candidate to production.
public struct RunState: Equatable, Sendable {
    public var number: Int
    public var kind: RunKind
    /// The SHA this run replaces in production (replays and rollbacks).
    public var replaces: String?
    public var reason: String?
    public var requestedBy: String?
    /// A rollback given `--force` to a target not known to be good in production.
    public var forced = false
    public var opened: EventReference
    public var approval: ApprovalDecision?
    /// A rejected approval ends what the run can do; a later approval does not lift it.
    public var approvalRejected = false
    public var approver: String?
    // How each production step last ended in this run; nil until it is recorded.
    public var identityApply: Outcome?
    public var infraApply: Outcome?
    public var migrationImageUpdated: Outcome?
    public var migrationRan: Outcome?
    public var deployedAPI: Outcome?
    public var deployedWeb: Outcome?
    public var apiSmoke: SmokeOutcome?
    public var browserSmoke: SmokeOutcome?
    public var deploymentRecorded = false
    public var deploymentId: String?
    public var environmentUrl: String?
    public var environment: String?
    public var steps: [StepRecord] = []
    public var decision: DecisionFact?
    public var lastEvent: EventReference

    public var isOpen: Bool { decision == nil }
}
