/// What a newly opened replay or rollback run must do: deploy the frozen digests, pass the
/// required gates, and what the target's earlier production runs ended with.
public struct RunPlan: Equatable, Sendable {
    /// One earlier run of the target: how it ended and why.
    public struct EarlierRun: Equatable, Sendable {
        public var summary: RunSummary
        /// The reason recorded with its decision.
        public var reason: String?

        public init(summary: RunSummary, reason: String?) {
            self.summary = summary
            self.reason = reason
        }
    }

    /// How many earlier runs a plan shows.
    public static let earlierRunsShown = 20

    /// The target's state (the rules' view) with the new run last.
    public var candidate: CandidateState
    public var frozen: FrozenCandidate
    public var run: RunState
    /// The required gates of the new run, as they stand.
    public var gates: [GateResult]
    /// Set when the SHA in production carries a newer database migration than the target.
    public var migrationWarning: String?
    /// The latest earlier runs, oldest first (at most `earlierRunsShown`).
    public var earlierRuns: [EarlierRun]

    /// Earlier runs left out of `earlierRuns`.
    public var earlierRunsNotShown: Int { run.number - 1 - earlierRuns.count }

    public init(
        candidate: CandidateState, frozen: FrozenCandidate, run: RunState, gates: [GateResult],
        migrationWarning: String?,
        earlierRuns: [EarlierRun]
    ) {
        self.candidate = candidate
        self.frozen = frozen
        self.run = run
        self.gates = gates
        self.migrationWarning = migrationWarning
        self.earlierRuns = earlierRuns
    }

    /// A replay does not reverse migrations: warn when the SHA in production (`current`) was
    /// frozen after the target and carries a migration, declared or run.
    public static func migrationWarning(target: CandidateState, current: CandidateState?) -> String? {
        guard let frozen = target.frozen, let current, current.sha != target.sha, let currentFrozen = current.frozen,
            currentFrozen.event.position > frozen.event.position,
            currentFrozen.migrationRequired || current.lastDecidedRun?.migrationRan == .succeeded
        else { return nil }
        return
            "\(current.sha.prefix(12)) (in production) carries a database migration newer than \(target.sha.prefix(12)); "
            + "a replay does not reverse migrations"
    }
}
