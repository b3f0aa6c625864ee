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
    public var verdict: Decision
    public var reason: String?
    public var evidence: [EvidenceLink] = []
    public var event: EventReference
    /// SHA-256 of the canonical payload, for the idempotent-repeat check.
    public var contentHash: String
    public var isYes: Bool { verdict == .yes }
}

public struct ReadinessFact: Equatable, Sendable {
    public var status: CheckStatus
    /// For the canary: green within its SLO at the time it was recorded.
    public var fresh: Bool?
    public var lastGreenAt: Timestamp?
    public var sloHours: Double?
    public var target: String?
    public var event: EventReference

    /// Canary: pass and fresh. Probe: pass.
    public var isSatisfied: Bool { status == .pass && fresh != false }
}

public struct PreflightFact: Equatable, Sendable {
    public var status: CheckStatus
    public var resolved: String?
    public var reason: String
    public var event: EventReference
}
