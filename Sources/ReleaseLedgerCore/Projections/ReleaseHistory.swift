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
