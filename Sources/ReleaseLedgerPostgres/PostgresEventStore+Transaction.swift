import ReleaseLedgerCore

extension PostgresEventStore {
    /// The append primitives inside the transaction that holds the chain head's lock.
    struct Transaction: AppendTransaction {
        let store: PostgresEventStore
        /// The head as locked, moved by each insert.
        var lockedHead: ChainHead
        /// Stream versions read or written in this transaction: a batch's events usually share a
        /// stream, and each would otherwise cost a round trip.
        var streamVersions: [String: Int64] = [:]

        init(store: PostgresEventStore, head: ChainHead) {
            self.store = store
            lockedHead = head
        }

        func head() throws(LedgerError) -> ChainHead { lockedHead }

        func event(withID id: String) throws(LedgerError) -> RecordedEvent? {
            try store.session.rows(
                "SELECT \(PostgresEventStore.eventColumns) FROM events WHERE event_id = $1", [.text(id)]
            ).first
                .map { row throws(LedgerError) in try PostgresEventStore.event(from: row) }
        }

        func event(at position: Int64) throws(LedgerError) -> RecordedEvent? {
            try store.session.rows(
                "SELECT \(PostgresEventStore.eventColumns) FROM events WHERE position = $1", [.integer(position)]
            ).first
                .map { row throws(LedgerError) in try PostgresEventStore.event(from: row) }
        }

        mutating func streamVersion(_ stream: String) throws(LedgerError) -> Int64 {
            if let known = streamVersions[stream] { return known }
            let version = try store.streamVersion(stream)
            streamVersions[stream] = version
            return version
        }

        func lastEvent(inStream stream: String) throws(LedgerError) -> RecordedEvent? {
            try store.session.rows(
                "SELECT \(PostgresEventStore.eventColumns) FROM events WHERE stream = $1 ORDER BY version DESC LIMIT 1",
                [.text(stream)]
            ).first.map { row throws(LedgerError) in try PostgresEventStore.event(from: row) }
        }

        func candidate(_ sha: String) throws(LedgerError) -> CandidateState? { try store.candidate(sha) }
        func production() throws(LedgerError) -> ProductionState { try store.production() }

        func timeFloor() throws(LedgerError) -> Timestamp? {
            guard lockedHead.position > 0 else { return nil }
            let rows = try store.session.rows(
                "SELECT COALESCE((SELECT recorded_at FROM time_floors WHERE position = $1), recorded_at) FROM events WHERE position = $1",
                [.integer(lockedHead.position)])
            return try rows.first.flatMap { row throws(LedgerError) in
                Timestamp(rfc3339: try PostgresSession.text(row[0]))
            }
        }

        mutating func insert(_ event: RecordedEvent) throws(LedgerError) {
            // The table's trigger checks the row extends the head and moves the head with it.
            try store.insertRow(event)
            lockedHead = ChainHead(position: event.position, hash: event.hash)
            streamVersions[event.stream] = event.version
            store.lastInserted = lockedHead
            if EventType(rawValue: event.type) != nil {
                store.insertedInTransaction[event.sha, default: InsertedRows()].releaseEvents += 1
            }
            store.insertedInTransaction[event.sha, default: InsertedRows()].newest = event.position
        }

        func save(candidates: [CandidateState], production: ProductionState?) throws(LedgerError) {
            for candidate in candidates {
                let before = store.stateCache[candidate.sha]
                let after =
                    (before?.eventsAfterSnapshot ?? 0)
                    + (store.insertedInTransaction[candidate.sha]?.releaseEvents ?? 0)
                let snapshot = after >= PostgresEventStore.snapshotInterval
                try store.saveReadModel(candidate, snapshot: snapshot, previous: before?.state)
                store.pendingStates.append(
                    LoadedCandidate(
                        state: candidate.rulesView(), eventsAfterSnapshot: snapshot ? 0 : after,
                        newestPosition: store.insertedInTransaction[candidate.sha]?.newest ?? candidate.lastPosition))
            }
            if let production, let head = store.lastInserted { try store.saveProduction(production, head: head) }
        }
    }

    func insertRow(_ event: RecordedEvent) throws(LedgerError) {
        try session.execute(
            "INSERT INTO events (\(Self.eventColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            [
                .integer(event.position), .text(event.id), .text(event.stream), .integer(event.version),
                .text(event.type),
                .integer(Int64(event.typeVersion)), .text(event.sha), .text(event.data), .text(event.metadata),
                .text(event.recordedAt.description), .text(event.previousHash), .text(event.hash),
                .integer(Int64(event.chainVersion)),
            ])
    }

    /// Writes a candidate's row, its runs that changed since `previous`, and its whole state when
    /// `snapshot` is true (as the SQLite store does).
    func saveReadModel(_ candidate: CandidateState, snapshot: Bool, previous: CandidateState?) throws(LedgerError) {
        let row = Self.candidateRow(candidate)
        if previous.map(Self.candidateRow) != row {
            try session.execute(
                """
                INSERT INTO candidates (sha, frozen_at, acceptance, open_run, last_decision) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (sha) DO UPDATE SET frozen_at = EXCLUDED.frozen_at, acceptance = EXCLUDED.acceptance,
                    open_run = EXCLUDED.open_run, last_decision = EXCLUDED.last_decision
                """, row.map(\.sql))
        }
        if snapshot {
            let text = CanonicalJSON.encode(candidate.rulesView().json)
            let seal = ChainHasher.seal(
                kind: "candidate", key: candidate.sha, position: candidate.lastPosition,
                eventHash: candidate.lastEvent?.hash ?? "", state: text)
            try session.execute(
                """
                INSERT INTO candidate_snapshots (sha, position, state, seal) VALUES ($1, $2, $3, $4)
                ON CONFLICT (sha) DO UPDATE SET position = EXCLUDED.position, state = EXCLUDED.state, seal = EXCLUDED.seal
                """, [.text(candidate.sha), .integer(candidate.lastPosition), .text(text), .text(seal)])
        }
        let firstChanged = previous?.runs.last?.number ?? 1
        for run in candidate.runs where run.number >= firstChanged {
            let summary = RunSummary(sha: candidate.sha, run: run)
            if let before = previous?.runs.first(where: { $0.number == run.number }),
                RunSummary(sha: candidate.sha, run: before) == summary
            {
                continue
            }
            try saveRun(summary)
        }
    }

    /// A candidate's row; `Equatable` so an unchanged row is not rewritten.
    enum Column: Equatable {
        case text(String), integer(Int64), null

        var sql: SQLValue {
            switch self {
            case .text(let s): .text(s)
            case .integer(let n): .integer(n)
            case .null: .null
            }
        }

        var display: String {
            switch self {
            case .text(let s): s
            case .integer(let n): String(n)
            case .null: ""
            }
        }
    }

    static func candidateRow(_ candidate: CandidateState) -> [Column] {
        [
            .text(candidate.sha), candidate.frozen.map { .text($0.event.at.description) } ?? .null,
            candidate.acceptance.map { .text($0.verdict.rawValue) } ?? .null,
            candidate.openRun.map { .integer(Int64($0.number)) } ?? .null,
            candidate.lastDecidedRun?.decision.map { .text($0.decision.rawValue) } ?? .null,
        ]
    }

    func saveRun(_ run: RunSummary) throws(LedgerError) {
        try session.execute(
            """
            INSERT INTO runs (sha, run, kind, replaces, opened_at, opened_position, decision, decided_at, decided_position, actor)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (sha, run) DO UPDATE SET decision = EXCLUDED.decision, decided_at = EXCLUDED.decided_at,
                decided_position = EXCLUDED.decided_position, actor = EXCLUDED.actor
            """,
            [
                .text(run.sha), .integer(Int64(run.run)), .text(run.kind.rawValue),
                run.replaces.map { .text($0) } ?? .null,
                .text(run.openedAt.description), .integer(run.openedPosition),
                run.decision.map { .text($0.rawValue) } ?? .null,
                run.decidedAt.map { .text($0.description) } ?? .null, run.decidedPosition.map { .integer($0) } ?? .null,
                run.actor.map { .text($0) } ?? .null,
            ])
    }
}
