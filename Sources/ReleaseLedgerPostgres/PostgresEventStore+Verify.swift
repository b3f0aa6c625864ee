import ReleaseLedgerCore

/// The chain recomputed, and the read model compared with the fold of the events: what `verify`
/// runs. Both read one snapshot of the database (REPEATABLE READ), so appends from other servers
/// meanwhile neither hide nor fake a problem.
extension PostgresEventStore {
    public func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport {
        try session.transaction(readOnly: true) { () throws(LedgerError) in
            var verifier = ChainVerifier(anchor: anchor)
            try forEachEvent(EventQuery()) { verifier.check($0) }
            let rows = try session.rows("SELECT position, hash FROM chain_head WHERE id = 1")
            let recorded = try rows.first.map { row throws(LedgerError) in
                ChainHead(position: try PostgresSession.integer(row[0]), hash: try PostgresSession.text(row[1]))
            }
            return verifier.finish(recordedHead: recorded)
        }
    }

    /// The first table and candidate whose rows differ from the fold of the events, in one
    /// sentence; nil when every table agrees.
    public func readModelProblem() throws(LedgerError) -> String? {
        try session.transaction(readOnly: true) { () throws(LedgerError) in try readModelProblemInTransaction() }
    }

    private func readModelProblemInTransaction() throws(LedgerError) -> String? {
        let fold = try foldAll()
        let shas = fold.candidates.keys.sorted()
        productionCache = nil
        let production: ProductionState
        do { production = try self.production() } catch { return "the production row does not match its seal" }
        if CanonicalJSON.encode(production.json) != CanonicalJSON.encode(fold.production.json) {
            return "the production row differs from the events"
        }
        var rows: [String] = []
        for row in try session.rows(
            "SELECT sha, frozen_at, acceptance, open_run, last_decision FROM candidates ORDER BY sha")
        {
            rows.append(
                [
                    try PostgresSession.text(row[0]), try PostgresSession.optionalText(row[1]) ?? "",
                    try PostgresSession.optionalText(row[2]) ?? "",
                    try PostgresSession.optionalInteger(row[3]).map(String.init) ?? "",
                    try PostgresSession.optionalText(row[4]) ?? "",
                ].joined(separator: "|"))
        }
        let expected = shas.map { Self.candidateRow(fold.candidates[$0]!).map(\.display).joined(separator: "|") }
        if let problem = Self.firstDifference(rows, expected, table: "candidates") { return problem }

        let runs = try queryRuns("SELECT \(Self.runColumns) FROM runs ORDER BY sha, run", [])
        let expectedRuns = shas.flatMap { sha in fold.candidates[sha]!.runs.map { RunSummary(sha: sha, run: $0) } }
        for index in 0..<max(runs.count, expectedRuns.count) {
            let found = index < runs.count ? runs[index] : nil
            let wanted = index < expectedRuns.count ? expectedRuns[index] : nil
            if found != wanted {
                let name = [found, wanted].compactMap { $0 }.map { "\($0.sha) run \($0.run)" }.min()!
                return "the runs row of candidate \(name) differs from the events"
            }
        }

        forgetCachedStates()
        defer { forgetCachedStates() }
        for row in try session.rows("SELECT sha FROM candidate_snapshots ORDER BY sha") {
            let sha = try PostgresSession.text(row[0])
            if try sealedSnapshot(sha) == nil {
                return "the candidate_snapshots row of candidate \(sha) does not match its seal"
            }
            if try candidate(sha) != fold.candidates[sha]?.rulesView() {
                return "the candidate_snapshots row of candidate \(sha) differs from the events"
            }
        }

        let floors = try textRows("SELECT position::text || '|' || recorded_at FROM time_floors ORDER BY position")
        let wantedFloors = try textRows(
            """
            SELECT position::text || '|' || floor FROM (
                SELECT position, recorded_at,
                    max(recorded_at) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS floor
                FROM events) AS ordered
            WHERE recorded_at < floor ORDER BY position
            """)
        if floors != wantedFloors { return "the time_floors table differs from the events" }
        return nil
    }

    static func firstDifference(_ found: [String], _ wanted: [String], table: String) -> String? {
        for index in 0..<max(found.count, wanted.count) {
            let a = index < found.count ? found[index] : nil
            let b = index < wanted.count ? wanted[index] : nil
            if a != b {
                let sha = [a, b].compactMap { $0?.split(separator: "|").first.map(String.init) }.min() ?? "?"
                return "the \(table) row of candidate \(sha) differs from the events"
            }
        }
        return nil
    }

    func textRows(_ sql: String) throws(LedgerError) -> [String] {
        var rows: [String] = []
        for row in try session.rows(sql) { rows.append(try PostgresSession.text(row[0])) }
        return rows
    }
}
