/// One line of `history`: a run (or a refusal at acceptance) and what its line shows beside the
/// `runs` read model's columns.
public struct HistoryEntry: Equatable, Sendable {
    public var summary: RunSummary
    /// The run's state (nil for a refusal at acceptance).
    public var run: RunState?
    /// The candidate's acceptance, for a refusal at acceptance.
    public var acceptance: AcceptanceFact?
    /// The metadata of the event that decided the run (opened it, while pending): its CI run.
    public var metadata: EventMetadata

    public init(summary: RunSummary, run: RunState?, acceptance: AcceptanceFact?, metadata: EventMetadata) {
        self.summary = summary
        self.run = run
        self.acceptance = acceptance
        self.metadata = metadata
    }
}
