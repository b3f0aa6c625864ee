import CSQLite
import ReleaseLedgerCore

/// The read model checked against the fold of the events: what `verify` runs after the chain.
/// The rules read the read model, so a row edited behind the ledger's back (triggers dropped)
/// must not pass unnoticed.
extension SQLiteEventStore {
    /// The first table and candidate whose rows differ from the fold of the events, in one
    /// sentence; nil when every table agrees.
    public func readModelProblem() throws(LedgerError) -> String? {
        try read { () throws(LedgerError) in try readModelProblemInTransaction() }
    }

    private func readModelProblemInTransaction() throws(LedgerError) -> String? {
        let fold = try foldAll()
        let shas = fold.candidates.keys.sorted()

        // production: present, sealed, and what the events say.
        let production: ProductionState
        do { production = try self.production() } catch { return "the production row does not match its seal" }
        if CanonicalJSON.encode(production.json) != CanonicalJSON.encode(fold.production.json) {
            return "the production row differs from the events"
        }

        // candidates: one row per candidate, with the columns the fold gives.
        let rows = try textRows(
            "SELECT sha || '|' || ifnull(frozen_at,'') || '|' || ifnull(acceptance,'') || '|' || ifnull(open_run,'') || '|' || ifnull(last_decision,'') FROM candidates ORDER BY sha"
        )
        let expected = shas.map { Self.candidateRowText(fold.candidates[$0]!) }
        if let problem = Self.firstDifference(rows, expected, table: "candidates") { return problem }

        // runs: every run of every candidate.
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

        // candidate_snapshots: each sealed, and what loads from it is the fold.
        forgetCachedStates()
        defer { forgetCachedStates() }
        for sha in try textRows("SELECT sha FROM candidate_snapshots ORDER BY sha") {
            if try sealedSnapshot(sha) == nil {
                return "the candidate_snapshots row of candidate \(sha) does not match its seal"
            }
            if try candidate(sha) != fold.candidates[sha]?.rulesView() {
                return "the candidate_snapshots row of candidate \(sha) differs from the events"
            }
        }

        // time_floors: exactly the rows that ran backwards.
        let floors = try textRows("SELECT position || '|' || recorded_at FROM time_floors ORDER BY position")
        let wantedFloors = try textRows(
            """
            SELECT position || '|' || floor FROM (
                SELECT position, recorded_at, max(recorded_at) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS floor
                FROM events)
            WHERE recorded_at < floor ORDER BY position
            """)
        if floors != wantedFloors { return "the time_floors table differs from the events" }
        return nil
    }

    /// A candidate's row as `candidates` holds it, columns joined by `|`.
    static func candidateRowText(_ candidate: CandidateState) -> String {
        candidateRow(candidate).map { value in
            switch value {
            case .null: ""
            case .integer(let n): String(n)
            case .real(let x): String(x)
            case .text(let t): t
            }
        }.joined(separator: "|")
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
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(sql)
            defer { statement.reset() }
            var rows: [String] = []
            while try statement.step() { rows.append(statement.text(0)) }
            return rows
        }
    }
}
