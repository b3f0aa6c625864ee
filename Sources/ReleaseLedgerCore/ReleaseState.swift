/// What the ledger knows about one candidate (one commit SHA): a fold over its events.
public struct CandidateState: Equatable, Sendable {
    public var sha: String
    public var frozen: FrozenCandidate?
    public var acceptance: AcceptanceFact?
    public var canary: ReadinessFact?
    public var probe: ReadinessFact?
    public var preflight: PreflightFact?
    /// The runs this state holds, oldest first. A full fold holds every run; the rules' view a
    /// store keeps between appends (`rulesView`) holds only the last decided run and the open one.
    public var runs: [RunState] = []
    /// Runs before `runs[0]` that this state does not hold.
    public var earlierRuns = 0
    /// The latest event of this SHA that the rules read (x- notes aside).
    public var lastEvent: EventReference?
    public var lastPosition: Int64 { lastEvent?.position ?? 0 }

    public init(sha: String) { self.sha = sha }

    public var openRun: RunState? { runs.last.flatMap { $0.isOpen ? $0 : nil } }
    public var lastDecidedRun: RunState? { runs.last(where: { !$0.isOpen }) }
    /// How many runs the SHA has had, held or not.
    public var runCount: Int { earlierRuns + runs.count }

    /// What the rules and the fold read: every candidate fact, the last decided run and the open
    /// one. A SHA replayed ten thousand times keeps a state of two runs, so what a store saves
    /// and reads per append does not grow with its history; queries over every run fold the
    /// SHA's events instead (`EventStore.candidateHistory`).
    public func rulesView() -> CandidateState {
        guard let keepFrom = runs.lastIndex(where: { !$0.isOpen }), keepFrom > 0 else { return self }
        var view = self
        view.runs.removeFirst(keepFrom)
        view.earlierRuns += keepFrom
        return view
    }
}

/// Where an event sits in the ledger, so artifacts can cite their evidence.
public struct EventReference: Equatable, Sendable {
    public var position: Int64
    public var hash: String
    public var at: Timestamp
}

public struct Images: Equatable, Sendable {
    public var api: String
    public var web: String
}

public struct Scopes: Equatable, Sendable {
    public var runtime: Bool
    public var infra: Bool
    public var identity: Bool
    public var requiresInfraConvergence: Bool

    /// The runbook: approval only when infra, identity or requiresInfraConvergence is true.
    public var needsControlPlaneApproval: Bool { infra || identity || requiresInfraConvergence }
    public var needsInfraApply: Bool { infra || requiresInfraConvergence }
    public var needsSmoke: Bool { runtime || requiresInfraConvergence }
}

public struct FrozenCandidate: Equatable, Sendable {
    public var images: Images
    public var scopes: Scopes
    public var migrationRequired: Bool
    public var event: EventReference
    /// SHA-256 of the canonical payload, for the idempotent-repeat check.
    public var contentHash: String
}

/// A named link to evidence (a report, a trace), as `--evidence NAME=URL` records it.
public struct EvidenceLink: Equatable, Sendable {
    public var name: String
    public var url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}

public struct AcceptanceFact: Equatable, Sendable {
    public var verdict: String
    public var reason: String?
    public var evidence: [EvidenceLink] = []
    public var event: EventReference
    /// SHA-256 of the canonical payload, for the idempotent-repeat check.
    public var contentHash: String
    public var isYes: Bool { verdict == "YES" }
}

public struct ReadinessFact: Equatable, Sendable {
    public var status: String
    /// For the canary: green within its SLO at the time it was recorded.
    public var fresh: Bool?
    public var lastGreenAt: Timestamp?
    public var sloHours: Double?
    public var target: String?
    public var event: EventReference

    /// Canary: pass and fresh. Probe: pass.
    public var isSatisfied: Bool { status == "pass" && fresh != false }
}

public struct PreflightFact: Equatable, Sendable {
    public var status: String
    public var resolved: String?
    public var reason: String
    public var event: EventReference
}

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
    public var decision: String
    public var reason: String
    public var gates: [GateResult]
    public var actor: String?
    public var event: EventReference
    public var isYes: Bool { decision == "YES" }
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
    public var approval: String?
    /// A rejected approval ends what the run can do; a later approval does not lift it.
    public var approvalRejected = false
    public var approver: String?
    public var identityApply: String?
    public var infraApply: String?
    public var migrationImageUpdated: String?
    public var migrationRan: String?
    public var deployedAPI: String?
    public var deployedWeb: String?
    public var apiSmoke: String?
    public var browserSmoke: String?
    public var deploymentRecorded = false
    public var deploymentId: String?
    public var environmentUrl: String?
    public var environment: String?
    public var steps: [StepRecord] = []
    public var decision: DecisionFact?
    public var lastEvent: EventReference

    public var isOpen: Bool { decision == nil }
}

/// Production as a whole: the lock and what is live.
public struct ProductionState: Equatable, Sendable {
    public struct RunPointer: Equatable, Sendable {
        public var sha: String
        public var run: Int
    }

    public struct Live: Equatable, Sendable {
        public var sha: String
        public var run: Int
        public var images: Images
        public var since: Timestamp
        public var actor: String?
        public var position: Int64

        public init(sha: String, run: Int, images: Images, since: Timestamp, actor: String?, position: Int64) {
            self.sha = sha
            self.run = run
            self.images = images
            self.since = since
            self.actor = actor
            self.position = position
        }
    }

    /// The run holding the production-mutation lock, if any.
    public var openRun: RunPointer?
    /// "In production" means the SHA whose run was most recently decided YES.
    public var live: Live?

    public init() {}
}
