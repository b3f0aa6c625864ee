/// What `status` shows: what was released, what is serving, the open run and the latest decisions.
public struct LedgerStatus: Equatable, Sendable {
    /// The run holding the production lock, its candidate, and its gates as they stand.
    public struct OpenRun: Equatable, Sendable {
        public var candidate: CandidateState
        public var run: RunState
        public var gates: [GateResult]

        public init(candidate: CandidateState, run: RunState, gates: [GateResult]) {
            self.candidate = candidate
            self.run = run
            self.gates = gates
        }
    }

    /// The position every part was read at.
    public var head: Int64
    public var production: ProductionState
    public var serving: [ServingApp]
    public var openRun: OpenRun?
    /// Decided runs, latest decision first.
    public var recentDecisions: [RunSummary]

    public init(
        head: Int64, production: ProductionState, serving: [ServingApp], openRun: OpenRun?,
        recentDecisions: [RunSummary]
    ) {
        self.head = head
        self.production = production
        self.serving = serving
        self.openRun = openRun
        self.recentDecisions = recentDecisions
    }
}
