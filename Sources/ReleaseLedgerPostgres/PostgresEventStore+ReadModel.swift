import PostgresNIO
import ReleaseLedgerCore

/// Queries over the read model: indexed look-ups, never a scan of the log (as in SQLite).
extension PostgresEventStore: ReleaseHistory {
    static let runColumns =
        "sha, run, kind, replaces, opened_at, opened_position, decision, decided_at, decided_position, actor"

    static func runSummary(from row: PostgresRandomAccessRow) throws(LedgerError) -> RunSummary {
        let sha = try PostgresSession.text(row[0])
        let run = Int(try PostgresSession.integer(row[1]))
        let kind = try PostgresSession.text(row[2])
        let replaces = try PostgresSession.optionalText(row[3])
        let openedAt = try PostgresSession.text(row[4])
        let openedPosition = try PostgresSession.integer(row[5])
        let decision = try PostgresSession.optionalText(row[6])
        let decidedAt = try PostgresSession.optionalText(row[7])
        let decidedPosition = try PostgresSession.optionalInteger(row[8])
        let actor = try PostgresSession.optionalText(row[9])
        do throws(StoredValueError) {
            return try RunSummary(
                storedSHA: sha, run: run, kind: kind, replaces: replaces, openedAt: openedAt,
                openedPosition: openedPosition, decision: decision, decidedAt: decidedAt,
                decidedPosition: decidedPosition, actor: actor)
        } catch {
            throw .storage("the read model is damaged: \(error)")
        }
    }

    func queryRuns(_ sql: String, _ values: [SQLValue]) throws(LedgerError) -> [RunSummary] {
        var runs: [RunSummary] = []
        for row in try session.rows(sql, values) { runs.append(try Self.runSummary(from: row)) }
        return runs
    }

    public func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary] {
        var values: [SQLValue] = []
        func parameter(_ value: SQLValue) -> String {
            values.append(value)
            return "$\(values.count)"
        }
        let limit = filter.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        var parts: [String] = []
        if filter.kind != .acceptance {
            var conditions: [String] = []
            if let sha = filter.sha { conditions.append("sha = " + parameter(.text(sha))) }
            if let since = filter.since { conditions.append("opened_at >= " + parameter(.text(since.description))) }
            if let until = filter.until { conditions.append("opened_at < " + parameter(.text(until.description))) }
            if let kind = filter.kind { conditions.append("kind = " + parameter(.text(kind.rawValue))) }
            if let decision = filter.decision {
                conditions.append(
                    decision == "PENDING" ? "decision IS NULL" : "decision = " + parameter(.text(decision)))
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            // A SHA's runs are numbered in the order they opened: its primary key (sha, run) serves
            // that order, so a SHA with a thousand runs is not read whole and sorted for the last few.
            let order = filter.sha == nil ? "opened_position DESC" : "run DESC"
            parts.append("SELECT \(Self.runColumns) FROM runs\(whereClause) ORDER BY \(order)\(limit)")
        }
        if filter.includeAcceptanceRefusals, filter.kind == nil || filter.kind == .acceptance,
            filter.decision == nil || filter.decision == "NO"
        {
            var conditions = [
                "type = " + parameter(.text(EventType.acceptanceRecorded.rawValue)),
                "(data::jsonb ->> 'verdict') IS DISTINCT FROM 'YES'",
            ]
            if let sha = filter.sha { conditions.append("sha = " + parameter(.text(sha))) }
            if let since = filter.since { conditions.append("recorded_at >= " + parameter(.text(since.description))) }
            if let until = filter.until { conditions.append("recorded_at < " + parameter(.text(until.description))) }
            parts.append(
                """
                SELECT sha, 0::bigint, 'acceptance', NULL::text, recorded_at, position, 'NO', recorded_at, position,
                    metadata::jsonb ->> 'actor'
                FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY position DESC\(limit)
                """)
        }
        if parts.count < 2 {
            return try parts.first.map { sql throws(LedgerError) in try queryRuns(sql, values) } ?? []
        }
        let union = parts.map { "(\($0))" }.joined(separator: " UNION ALL ")
        return try queryRuns("SELECT * FROM (\(union)) AS merged ORDER BY opened_position DESC\(limit)", values)
    }

    public func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary] {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decided_position IS NOT NULL ORDER BY decided_position DESC LIMIT $1",
            [.integer(Int64(limit))])
    }

    /// Runs decided (YES or NO) within a time window, oldest first: the input of `metrics`.
    public func decidedRuns(since: Timestamp?, until: Timestamp?) throws(LedgerError) -> [RunSummary] {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decided_position IS NOT NULL AND decided_at >= $1 AND decided_at < $2 ORDER BY decided_position",
            [.text(since?.description ?? "0000"), .text(until?.description ?? "9999")])
    }

    public func liveRun(atOrBefore time: Timestamp) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND decided_at <= $1 ORDER BY decided_at DESC, decided_position DESC LIMIT 1",
            [.text(time.description)]
        ).first
    }

    public func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND decided_position <= $1 ORDER BY decided_position DESC LIMIT 1",
            [.integer(position)]
        ).first
    }

    public func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE opened_position <= $1 ORDER BY opened_position DESC LIMIT 1",
            [.integer(position)]
        ).first.flatMap { run in run.decidedPosition.map { $0 > position } ?? true ? run : nil }
    }

    /// The last position such that it and every event before it were recorded at or before `time`:
    /// the same binary search over positions as in SQLite (recorded_at is not indexed; the greatest
    /// time so far rises with position), run inside PostgreSQL as one recursive query, so it costs
    /// one round trip instead of one per step (20 at a million events). recorded_at is always
    /// written in Timestamp's fixed-width UTC form, so its byte order ("C") is time order.
    public func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64 {
        let rows = try session.rows(
            """
            WITH RECURSIVE search (low, high) AS (
                SELECT 0::bigint, (SELECT position FROM chain_head WHERE id = 1)
                UNION ALL
                SELECT CASE WHEN probe.recorded <= $1 THEN (s.low + s.high + 1) / 2 ELSE s.low END,
                       CASE WHEN probe.recorded <= $1 THEN s.high ELSE (s.low + s.high + 1) / 2 - 1 END
                FROM search s
                CROSS JOIN LATERAL (
                    SELECT COALESCE((SELECT f.recorded_at FROM time_floors f WHERE f.position = e.position),
                                    e.recorded_at) AS recorded
                    FROM events e WHERE e.position = (s.low + s.high + 1) / 2
                ) probe
                WHERE s.low < s.high
            )
            SELECT max(low) FROM search
            """,
            [.text(time.description)])
        guard let row = rows.first else { return 0 }
        return try PostgresSession.optionalInteger(row[0]) ?? 0
    }

    public func candidateSHAs() throws(LedgerError) -> [String] {
        var shas: [String] = []
        for row in try session.rows("SELECT sha FROM candidates ORDER BY sha") {
            shas.append(try PostgresSession.text(row[0]))
        }
        return shas
    }

    public func lastYes(excluding sha: String) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND sha <> $1 ORDER BY decided_position DESC LIMIT 1",
            [.text(sha)]
        ).first
    }

    /// The serving digests after the event at `position`: deploys walked newest first.
    public func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp] {
        var deploys: [RecordedEvent] = []
        var apps: Set<String> = []
        let pageSize = 64
        var before = position + 1
        while apps.count < ServingApp.apps.count {
            var page: [RecordedEvent] = []
            for row in try session.rows(
                "SELECT \(Self.eventColumns) FROM events WHERE type = 'deploy.recorded' AND position < $1 ORDER BY position DESC LIMIT $2",
                [.integer(before), .integer(Int64(pageSize))])
            {
                page.append(try Self.event(from: row))
            }
            deploys += page
            for event in page {
                let data = try event.payload()
                if data["outcome"] == "succeeded", let app = data["app"]?.stringValue { apps.insert(app) }
            }
            guard page.count == pageSize, let last = page.last else { break }
            before = last.position
        }
        return try ServingApp.newestSucceeded(deploys) { (sha, at) throws(LedgerError) in try runNumber(of: sha, at: at)
        }
    }

    /// Recreates the read model from the events, in one transaction that holds the head lock (no
    /// append interleaves). The tables are emptied, not dropped: the server role may write rows but
    /// not change the schema; `init` recreates a dropped table.
    @discardableResult
    public func rebuildReadModel() throws(LedgerError) -> Int {
        forgetCachedStates()
        productionCache = nil
        return try session.transaction { () throws(LedgerError) in
            try session.execute("SELECT position FROM chain_head WHERE id = 1 FOR UPDATE")
            return try rebuildInTransaction()
        }
    }

    func rebuildInTransaction() throws(LedgerError) -> Int {
        for table in PostgresSchemaMigrator.readModelTables { try session.execute("DELETE FROM \(table)") }
        try session.execute(
            """
            INSERT INTO time_floors (position, recorded_at)
            SELECT position, floor FROM (
                SELECT position, recorded_at,
                    max(recorded_at) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS floor
                FROM events) AS ordered
            WHERE recorded_at < floor
            """)
        let fold = try foldAll()
        for sha in fold.candidates.keys.sorted() {
            try saveReadModel(fold.candidates[sha]!, snapshot: true, previous: nil)
        }
        try saveProduction(fold.production, head: try head())
        return fold.candidates.count
    }

    /// Every event folded from nothing, read a page at a time.
    public func foldAll() throws(LedgerError) -> LedgerFold {
        let pageSize: Int64 = 8192
        var fold = LedgerFold()
        var after: Int64 = 0
        while true {
            let rows = try session.rows(
                "SELECT \(Self.storedRowColumns) FROM events WHERE position > $1 ORDER BY position LIMIT $2",
                [.integer(after), .integer(pageSize)])
            for row in rows {
                try Self.withStoredRow(row) { stored throws(LedgerError) in try fold.apply(stored: stored) }
            }
            guard Int64(rows.count) == pageSize else { return fold }
            after = fold.lastPosition
        }
    }

    /// Every row of the read model as text, in a stable order, and each candidate's state as it loads.
    public func readModelSnapshot() throws(LedgerError) -> [String] {
        var rows = try candidateSHAs().map { sha throws(LedgerError) in
            try candidate(sha).map { CanonicalJSON.encode($0.json) } ?? ""
        }
        for sql in [
            "SELECT concat_ws('|', sha, coalesce(frozen_at,''), coalesce(acceptance,''), coalesce(open_run::text,''), coalesce(last_decision,'')) FROM candidates ORDER BY sha",
            """
            SELECT concat_ws('|', sha, run::text, kind, coalesce(replaces,''), opened_at, opened_position::text, coalesce(decision,''),
                coalesce(decided_at,''), coalesce(decided_position::text,''), coalesce(actor,''))
            FROM runs ORDER BY sha, run
            """,
            "SELECT state FROM production",
        ] {
            for row in try session.rows(sql) { rows.append(try PostgresSession.text(row[0])) }
        }
        return rows
    }
}
