/// A store that keeps events and answers the audit queries is a `Ledger` with little more: these
/// fill in what such a store lacks, from its events. A store with better means (the SQLite
/// store's parallel fold, its checks of every read-model table) answers them itself.
extension Ledger where Self: ReleaseHistory {
    /// Pages through `events(_:)`, so a large ledger never sits in memory at once.
    public func forEachEvent(_ query: EventQuery, _ body: (RecordedEvent) -> Bool) throws(LedgerError) {
        let pageSize = 1_024
        var page = query
        var left = query.limit
        while left.map({ $0 > 0 }) ?? true {
            page.limit = min(pageSize, left ?? pageSize)
            let events = try events(page)
            for event in events where !body(event) { return }
            guard events.count == page.limit, let last = events.last else { return }
            page.afterPosition = last.position
            left = left.map { $0 - events.count }
        }
    }

    public func foldAll() throws(LedgerError) -> LedgerFold {
        var fold = LedgerFold()
        var unreadable: LedgerError?
        try forEachEvent(EventQuery()) { event in
            do throws(LedgerError) { try fold.apply(event) } catch {
                unreadable = error
                return false
            }
            return true
        }
        if let unreadable { throw unreadable }
        return fold
    }

    /// The store's state against the fold of its events: production, every candidate's rules'
    /// view, and every run.
    public func readModelProblem() throws(LedgerError) -> String? {
        let fold = try foldAll()
        if try production() != fold.production { return "the production state differs from the events" }
        let shas = fold.candidates.keys.sorted()
        let stored = try candidateSHAs()
        if stored != shas {
            let sha = Set(stored).symmetricDifference(shas).min() ?? "?"
            return "the candidate \(sha) is \(shas.contains(sha) ? "missing" : "not in the events")"
        }
        for sha in shas where try candidate(sha) != fold.candidates[sha]?.rulesView() {
            return "the state of candidate \(sha) differs from the events"
        }
        let expected = shas.flatMap { sha in fold.candidates[sha]!.runs.map { RunSummary(sha: sha, run: $0) } }
        let found = try runs(RunFilter()).sorted { ($0.sha, $0.run) < ($1.sha, $1.run) }
        if found != expected { return "the runs differ from the events" }
        return nil
    }
}
