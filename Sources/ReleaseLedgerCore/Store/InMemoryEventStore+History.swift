/// The audit queries answered from candidate states alone: what the in-memory store answers, and
/// what any new store gets before it has indexes of its own. The SQLite store's indexed queries
/// are checked against these.
extension ReleaseHistory {
    private func allRuns() throws(LedgerError) -> [RunSummary] {
        var runs: [RunSummary] = []
        for sha in try candidateSHAs() {
            guard let candidate = try candidateHistory(sha) else { continue }
            runs += candidate.runs.map { RunSummary(sha: sha, run: $0) }
        }
        return runs
    }

    private func decided(_ runs: [RunSummary]) -> [RunSummary] {
        runs.filter { $0.decidedPosition != nil }.sorted { $0.decidedPosition! > $1.decidedPosition! }
    }

    /// Candidates refused at acceptance, as history lists them.
    private func acceptanceRefusals() throws(LedgerError) -> [RunSummary] {
        var refusals: [RunSummary] = []
        for sha in try candidateSHAs() {
            guard let acceptance = try candidate(sha)?.acceptance, !acceptance.isYes else { continue }
            let event = try events(EventQuery(afterPosition: acceptance.event.position - 1, limit: 1)).first
            refusals.append(.acceptanceRefusal(sha: sha, at: acceptance.event, actor: try event?.metadataValue().actor))
        }
        return refusals
    }

    public func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary] {
        let matching = try (allRuns() + (filter.includeAcceptanceRefusals ? acceptanceRefusals() : [])).filter(
            filter.matches
        ).sorted { $0.openedPosition > $1.openedPosition }
        return filter.limit.map { Array(matching.prefix(max(0, $0))) } ?? matching
    }

    public func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary] {
        Array(decided(try allRuns()).prefix(max(0, limit)))
    }

    public func lastYes(excluding sha: String) throws(LedgerError) -> RunSummary? {
        decided(try allRuns()).first { $0.decision == .yes && $0.sha != sha }
    }

    public func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary? {
        decided(try allRuns()).first { $0.decision == .yes && $0.decidedPosition! <= position }
    }

    public func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary? {
        try allRuns().filter { $0.openedPosition <= position }.max { $0.openedPosition < $1.openedPosition }
            .flatMap { run in run.decidedPosition.map { $0 > position } ?? true ? run : nil }
    }

    public func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64 {
        try events(EventQuery()).last { $0.recordedAt <= time }?.position ?? 0
    }
}

extension InMemoryEventStore: ReleaseHistory {
    public func candidateSHAs() throws(LedgerError) -> [String] {
        contentsSnapshot().candidates.keys.sorted()
    }

    @discardableResult
    public func rebuildReadModel() throws(LedgerError) -> Int {
        try rebuild()
    }
}

extension InMemoryEventStore: Ledger {
    public var location: String { "memory" }
}
