import CSQLite
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// Queries over the read model: indexed look-ups, never a scan of the log.
extension SQLiteEventStore: ReleaseHistory {
    static let runColumns =
        "sha, run, kind, replaces, opened_at, opened_position, decision, decided_at, decided_position, actor"

    static func runSummary(from s: SQLiteStatement) throws(SQLiteError) -> RunSummary {
        do throws(StoredValueError) {
            return try RunSummary(
                storedSHA: s.text(0), run: Int(s.int64(1)), kind: s.text(2), replaces: s.optionalText(3),
                openedAt: s.text(4), openedPosition: s.int64(5), decision: s.optionalText(6),
                decidedAt: s.optionalText(7), decidedPosition: s.optionalInt64(8), actor: s.optionalText(9))
        } catch {
            throw .corrupt(error.description)
        }
    }

    func queryRuns(_ sql: String, _ values: [SQLiteValue]) throws(LedgerError) -> [RunSummary] {
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(sql)
            try statement.bind(values)
            defer { statement.reset() }
            var runs: [RunSummary] = []
            while try statement.step() { runs.append(try Self.runSummary(from: statement)) }
            return runs
        }
    }

    /// Runs, newest first (by the position that opened them), and the candidates refused at
    /// acceptance. Those have no row in `runs`: their line is read from the acceptance event itself
    /// through `events_by_type` (or `events_by_sha`), so both halves are index walks that stop at the limit.
    public func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary] {
        var values: [SQLiteValue] = []
        func parameter(_ value: SQLiteValue) -> String {
            values.append(value)
            return "?\(values.count)"
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
        // A refusal is decided NO from the start: no other decision filter and no run kind matches it.
        if filter.includeAcceptanceRefusals, filter.kind == nil || filter.kind == .acceptance,
            filter.decision == nil || filter.decision == "NO"
        {
            // One acceptance per SHA (rule oneAcceptanceVerdict); anything but YES is a refusal, as in the fold.
            var conditions = [
                "type = " + parameter(.text(EventType.acceptanceRecorded.rawValue)),
                "json_extract(data, '$.verdict') IS NOT 'YES'",
            ]
            if let sha = filter.sha { conditions.append("sha = " + parameter(.text(sha))) }
            if let since = filter.since { conditions.append("recorded_at >= " + parameter(.text(since.description))) }
            if let until = filter.until { conditions.append("recorded_at < " + parameter(.text(until.description))) }
            parts.append(
                """
                SELECT sha, 0, 'acceptance', NULL, recorded_at, position, 'NO', recorded_at, position, json_extract(metadata, '$.actor')
                FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY position DESC\(limit)
                """)
        }
        if parts.count < 2 {
            return try parts.first.map { sql throws(LedgerError) in try queryRuns(sql, values) } ?? []
        }
        // Each half is ordered and limited on its own index; the merge sorts at most twice the limit.
        let union = parts.map { "SELECT * FROM (\($0))" }.joined(separator: " UNION ALL ")
        return try queryRuns("SELECT * FROM (\(union)) ORDER BY opened_position DESC\(limit)", values)
    }

    /// Decided runs, latest decision first.
    public func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary] {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decided_position IS NOT NULL ORDER BY decided_position DESC LIMIT ?1",
            [.integer(Int64(limit))])
    }

    /// Runs decided (YES or NO) within a time window, oldest first: the input of `metrics`.
    public func decidedRuns(since: Timestamp?, until: Timestamp?) throws(LedgerError) -> [RunSummary] {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decided_position IS NOT NULL AND decided_at >= ?1 AND decided_at < ?2 ORDER BY decided_position",
            [.text(since?.description ?? "0000"), .text(until?.description ?? "9999")])
    }

    /// What was in production at a moment: the last run decided YES at or before it.
    public func liveRun(atOrBefore time: Timestamp) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND decided_at <= ?1 ORDER BY decided_at DESC, decided_position DESC LIMIT 1",
            [.text(time.description)]
        ).first
    }

    /// What was in production after the event at `position`.
    public func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND decided_position <= ?1 ORDER BY decided_position DESC LIMIT 1",
            [.integer(position)]
        ).first
    }

    /// The run that was open at `position`, if any. One run is open at a time (rule 5), so it can
    /// only be the latest run opened by then: one index step, not a scan of every older run.
    public func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE opened_position <= ?1 ORDER BY opened_position DESC LIMIT 1",
            [.integer(position)]
        ).first.flatMap { run in run.decidedPosition.map { $0 > position } ?? true ? run : nil }
    }

    /// The last position recorded at or before a moment: the last one such that it and every
    /// event before it were recorded at or before it.
    public func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64 {
        // recorded_at is not indexed. The greatest time so far rises with position: a row's own
        // time, or for an old row written after the clock stepped back, its floor (time_floors).
        var low: Int64 = 0
        var high = try head().position
        while low < high {
            let middle = (low + high + 1) / 2
            let recorded = try sqlite { () throws(SQLiteError) in
                let statement = try connection.statement(
                    "SELECT ifnull((SELECT recorded_at FROM time_floors f WHERE f.position = e.position), e.recorded_at) FROM events e WHERE e.position = ?1"
                )
                try statement.bind([.integer(middle)])
                defer { statement.reset() }
                return try statement.step() ? Timestamp(rfc3339: statement.text(0)) : nil
            }
            guard let recorded else { break }
            if recorded <= time { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Recreates the read model from the events, in one write transaction.
    @discardableResult
    public func rebuildReadModel() throws(LedgerError) -> Int {
        try write { () throws(LedgerError) in try rebuildInTransaction() }
    }

    /// Drops the read model's tables and folds them again from the events alone: no row that is
    /// there is trusted, and a dropped table, index or trigger comes back.
    func rebuildInTransaction() throws(LedgerError) -> Int {
        forgetCachedStates()
        try sqlite { () throws(SQLiteError) in
            for table in SchemaMigrator.readModelTables { try connection.execute("DROP TABLE IF EXISTS \(table)") }
            try connection.execute(SchemaMigrator.readModelSQL)
            // The floors of rows that ran backwards before version 3 (none since): see time_floors.
            try connection.execute(
                """
                INSERT INTO time_floors (position, recorded_at)
                SELECT position, floor FROM (
                    SELECT position, recorded_at, max(recorded_at) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS floor
                    FROM events)
                WHERE recorded_at < floor
                """)
        }
        try rebuildMerkleTree()
        let fold = try foldAll()
        try sqlite { () throws(SQLiteError) in
            for sha in fold.candidates.keys.sorted() {
                try saveReadModel(fold.candidates[sha]!, snapshot: true, previous: nil)
            }
            let head = try connection.statement("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            defer { head.reset() }
            try saveProduction(
                fold.production,
                head: try head.step() ? ChainHead(position: head.int64(0), hash: head.text(1)) : .genesis)
        }
        return fold.candidates.count
    }

    /// Every row of the read model as text, in a stable order, and each candidate's state as it
    /// loads (snapshots are taken at different moments by appends and by a rebuild): for comparing rebuilds.
    public func readModelSnapshot() throws(LedgerError) -> [String] {
        let states = try candidateSHAs().map { sha throws(LedgerError) in
            try candidate(sha).map { CanonicalJSON.encode($0.json) } ?? ""
        }
        return try states
            + textRows(
                "SELECT sha || '|' || ifnull(frozen_at,'') || '|' || ifnull(acceptance,'') || '|' || ifnull(open_run,'') || '|' || ifnull(last_decision,'') FROM candidates ORDER BY sha"
            )
            + textRows(
                """
                SELECT sha || '|' || run || '|' || kind || '|' || ifnull(replaces,'') || '|' || opened_at || '|' || opened_position
                    || '|' || ifnull(decision,'') || '|' || ifnull(decided_at,'') || '|' || ifnull(decided_position,'') || '|' || ifnull(actor,'')
                FROM runs ORDER BY sha, run
                """)
            + textRows("SELECT state FROM production")
    }
}

extension SQLiteEventStore {
    /// Every candidate's SHA, in order.
    public func candidateSHAs() throws(LedgerError) -> [String] {
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement("SELECT sha FROM candidates ORDER BY sha")
            defer { statement.reset() }
            var shas: [String] = []
            while try statement.step() { shas.append(statement.text(0)) }
            return shas
        }
    }
}

extension SQLiteEventStore {
    /// The latest run decided YES of any SHA but `sha`: the implied target of a rollback.
    public func lastYes(excluding sha: String) throws(LedgerError) -> RunSummary? {
        try queryRuns(
            "SELECT \(Self.runColumns) FROM runs WHERE decision = 'YES' AND sha != ?1 ORDER BY decided_position DESC LIMIT 1",
            [.text(sha)]
        ).first
    }
}

extension SQLiteEventStore {
    /// The serving digests after the event at `position`: deploys walked newest first through
    /// `events_by_type`, until each app has its last succeeded one.
    public func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp] {
        var search = ServingApp.Search()
        let pageSize = 64
        var before = position + 1
        // Pages of deploys, newest first: usually the first page holds both apps' last success.
        while !search.isComplete {
            let page = try sqlite { () throws(SQLiteError) in
                let statement = try connection.statement(
                    "SELECT \(Self.eventColumns) FROM events WHERE type = 'deploy.recorded' AND position < ?1 ORDER BY position DESC LIMIT ?2"
                )
                try statement.bind([.integer(before), .integer(Int64(pageSize))])
                defer { statement.reset() }
                var rows: [RecordedEvent] = []
                while try statement.step() { rows.append(try Self.event(from: statement)) }
                return rows
            }
            for event in page where !search.isComplete { try search.consider(event) }
            guard page.count == pageSize, let last = page.last else { break }
            before = last.position
        }
        return try search.result { (sha, at) throws(LedgerError) in try runNumber(of: sha, at: at) }
    }

    /// Pages the file has now.
    public func pageCount() throws(LedgerError) -> Int {
        try sqlite { () throws(SQLiteError) in Int(try connection.integer("PRAGMA page_count") ?? 0) }
    }

    /// Caps the file's size in pages (SQLite's max_page_count): a quota, and how tests make the disk "full".
    public func limitPageCount(to pages: Int) throws(LedgerError) {
        try sqlite { () throws(SQLiteError) in try connection.execute("PRAGMA max_page_count = \(max(1, pages))") }
    }
}

extension SQLiteEventStore {
    /// Every event folded from nothing: what `rebuild`, `materialize --all` and the rebuild
    /// benchmark (W4) run. Rows are read in place, with no String per column and no tree per
    /// payload (`StoredJSON`); on a large ledger the candidates are split over every core, each
    /// part read through its own connection, and the parts merged.
    /// Ledgers under `splitFrom` events are folded on one thread: starting threads costs more.
    public func foldAll() throws(LedgerError) -> LedgerFold { try foldAll(workers: Parallel.cores) }

    /// `foldAll()` on `workers` threads once the ledger has `splitFrom` events.
    public func foldAll(workers: Int, splitFrom: Int64 = 20_000) throws(LedgerError) -> LedgerFold {
        let head = try sqlite { () throws(SQLiteError) in
            try connection.integer("SELECT ifnull(max(position), 0) FROM events") ?? 0
        }
        guard workers > 1, head >= splitFrom else {
            return try Self.foldPart(on: connection, path: path, upTo: head, part: 0, of: 1)
        }
        let path = path
        let parts = Parallel.map(workers, workers: workers) { part in
            Result { () throws(LedgerError) -> LedgerFold in
                // Rows up to `head` never change, so each connection reads the same events.
                let reader: SQLiteConnection
                do throws(SQLiteError) {
                    reader = try SQLiteConnection(path: path, mode: .readOnly, busyTimeoutMilliseconds: 10_000)
                } catch {
                    throw SQLiteConnection.ledgerError(error, path: path)
                }
                return try Self.foldPart(on: reader, path: path, upTo: head, part: part, of: workers)
            }
        }
        var folds: [LedgerFold] = []
        for part in parts { folds.append(try part.get()) }
        return LedgerFold.merge(folds)
    }

    /// `Parallel.cores`, as the benchmark names it.
    public static var cores: Int { Parallel.cores }

    static func foldPart(on connection: SQLiteConnection, path: String, upTo head: Int64, part: Int, of parts: Int)
        throws(LedgerError) -> LedgerFold
    {
        var fold = LedgerFold()
        var unreadable: LedgerError?
        try connection.run(path: path) { () throws(SQLiteError) in
            let statement = try connection.statement(
                "SELECT \(storedRowColumns) FROM events WHERE position <= ?1 ORDER BY position")
            try statement.bind([.integer(head)])
            defer { statement.reset() }
            var previous: Int64 = 0
            while try statement.step() {
                previous = try checkedPosition(statement, after: previous, columns: 7)
                if parts > 1, LedgerFold.part(ofSHA: statement.bytes(2), parts: parts) != part {
                    fold.skip(toPosition: previous)
                    continue
                }
                do throws(LedgerError) { try fold.apply(stored: storedRow(statement)) } catch {
                    unreadable = error
                    break
                }
            }
        }
        if let unreadable { throw unreadable }
        return fold
    }
}
