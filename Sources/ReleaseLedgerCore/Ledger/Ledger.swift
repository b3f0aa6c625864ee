/// What the command line asks of a ledger, wherever it is kept: a file on this machine, a
/// database server, or another `release-ledger` over HTTP. The command line knows no other type.
///
/// Two layers of requirements:
/// - primitives (append, events, head, verify, the state and the run queries): what an
///   implementation must answer. A store that is an `EventStore` and a `ReleaseHistory` answers
///   most of them already (see `Ledger+Store.swift`).
/// - the questions commands ask (`status`, `timeline`, `history`, `moment`, `runPlan`, ...): each
///   has a default built from the primitives here, so a new implementation gets them for free; a
///   remote one overrides them to answer each in one round trip.
///
/// Synchronous, with typed throws: a CI step appends one event and exits, and every failure is a
/// `LedgerError` with its documented exit code.
public protocol Ledger: AnyObject {
    /// Where the ledger is, as messages name it: a file path or a URL.
    var location: String { get }

    // MARK: Writing

    /// Validates, checks the rules and appends a batch atomically; one receipt per event.
    func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt]
    /// Drops the read model and folds it again from the events; returns the number of candidates.
    @discardableResult func rebuildReadModel() throws(LedgerError) -> Int

    // MARK: Events and the chain

    /// The last link of the chain (position 0 and the genesis hash when empty).
    func head() throws(LedgerError) -> ChainHead
    /// Streams events in position order without holding them all; `body` returns false to stop.
    func forEachEvent(_ query: EventQuery, _ body: (RecordedEvent) -> Bool) throws(LedgerError)
    /// Events in position order.
    func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent]
    /// Recomputes the whole chain. `anchor` is a head saved elsewhere that must still be there.
    func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport
    /// The first way the read model differs from the fold of the events, in one sentence; nil
    /// when it agrees. Run after `verify` found the chain intact.
    func readModelProblem() throws(LedgerError) -> String?
    /// Every event folded from nothing: `materialize --all`'s input.
    func foldAll() throws(LedgerError) -> LedgerFold

    // MARK: State

    /// The rules' view of one candidate (its latest runs).
    func candidate(_ sha: String) throws(LedgerError) -> CandidateState?
    /// One candidate with every run it ever had.
    func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState?
    /// The production lock and what is live.
    func production() throws(LedgerError) -> ProductionState
    /// Every candidate's SHA, in order.
    func candidateSHAs() throws(LedgerError) -> [String]

    // MARK: Runs (as `ReleaseHistory` answers them)

    func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary]
    func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary]
    func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary?
    func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary?
    func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64
    /// The serving digest of each app after the event at `position`.
    func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp]
    /// The run of a SHA that an event at `position` belonged to.
    func runNumber(of sha: String, at position: Int64) throws(LedgerError) -> Int?

    // MARK: The questions commands ask (defaults in Ledger+Queries.swift)

    /// `status`: released, serving, the open run and its gates, the latest decisions.
    func status(recentDecisions: Int) throws(LedgerError) -> LedgerStatus
    /// `at`: what was released, serving and open after an event, or at a moment.
    func moment(_ point: LedgerMoment.Point) throws(LedgerError) -> LedgerMoment
    /// `show`: a candidate's events grouped by run; nil when the SHA has no event.
    func timeline(of sha: String) throws(LedgerError) -> CandidateTimeline?
    /// `history`: the runs the filter selects, each with what its line shows.
    func history(_ filter: RunFilter) throws(LedgerError) -> [HistoryEntry]
    /// `metrics` and `report`: every production run, oldest first, with its candidate's freeze time.
    func doraRuns() throws(LedgerError) -> [RunRecord]
    /// `report`: every deploy that succeeded, oldest first.
    func succeededDeploys() throws(LedgerError) -> [ServingApp]
    /// `rollback` without `--to`: the SHA to go back to, and the ones passed over.
    func rollbackTarget(from live: String) throws(LedgerError) -> RollbackTarget.Choice
    /// `replay` and `rollback`, after the request: what the newly opened run of `sha` must do.
    func runPlan(of sha: String) throws(LedgerError) -> RunPlan
    /// `materialize --sha`: the runbook's files of one candidate (an earlier run when given),
    /// from its events. `checkingReadModel` first refuses (exit 4) a read model that differs.
    func artifacts(of sha: String, run: Int?, checkingReadModel: Bool) throws(LedgerError) -> [Artifacts.File]
}

extension Ledger {
    public func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(query) {
            events.append($0)
            return true
        }
        return events
    }

    /// The event at a position, or nil past the head.
    public func event(at position: Int64) throws(LedgerError) -> RecordedEvent? {
        guard position > 0 else { return nil }
        return try events(EventQuery(afterPosition: position - 1, limit: 1)).first { $0.position == position }
    }
}
