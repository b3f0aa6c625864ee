/// A place events are kept. Every backend runs the same conformance suite.
///
/// Appends are atomic per call: all events of a batch are recorded, or none are. The release
/// rules run inside the same write transaction, so two writers cannot both pass a gate that
/// only one may pass.
public protocol EventStore: AnyObject {
    /// Validates, checks the rules and appends a batch atomically.
    func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt]
    /// Events in position order.
    func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent]
    /// The last link of the chain (position 0 and the genesis hash when empty).
    func head() throws(LedgerError) -> ChainHead
    /// The number of events in a stream (0 when it does not exist).
    func streamVersion(_ stream: String) throws(LedgerError) -> Int64
    /// Recomputes the whole chain. `anchor` is a head saved elsewhere that must still be there.
    func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport
    /// The rules' view of one candidate (`CandidateState.rulesView`): what an append reads.
    func candidate(_ sha: String) throws(LedgerError) -> CandidateState?
    /// One candidate with every run it ever had: what `show`, `materialize` and a plan read.
    func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState?
    /// The production lock and what is live.
    func production() throws(LedgerError) -> ProductionState
}
