/// What `at` shows: the ledger as it stood after one event, derived from the events up to it.
public struct LedgerMoment: Equatable, Sendable {
    /// Where to look: after the event at a position (clamped to the head), or at a moment (the
    /// last event recorded by then).
    public enum Point: Equatable, Sendable {
        case position(Int64)
        case time(Timestamp)
    }

    /// The last position included.
    public var position: Int64
    /// The last run decided YES by then.
    public var liveRun: RunSummary?
    /// That run as production held it: its digests and when it was decided.
    public var released: ProductionState.Live?
    /// The run open at that position, if any.
    public var openRun: RunSummary?
    public var serving: [ServingApp]

    public init(
        position: Int64, liveRun: RunSummary?, released: ProductionState.Live?, openRun: RunSummary?,
        serving: [ServingApp]
    ) {
        self.position = position
        self.liveRun = liveRun
        self.released = released
        self.openRun = openRun
        self.serving = serving
    }
}
