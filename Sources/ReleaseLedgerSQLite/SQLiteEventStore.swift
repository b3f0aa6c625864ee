import CSQLite
import ReleaseLedgerCore
import Transparency

/// The event store in one SQLite file, in WAL mode, safe for many processes at once.
public final class SQLiteEventStore: EventStore, Ledger, TransparencyLog {
    public struct Options: Sendable {
        /// How long a writer waits for another one before giving up with "busy" (exit 75).
        public var busyTimeoutMilliseconds = 10_000
        /// `FULL` by default: an acknowledged append survives power loss (SQLite, "PRAGMA synchronous").
        public var synchronous = SynchronousMode.full.rawValue
        /// Create the file (and its folder) when missing.
        public var create = false
        /// Open without taking any write lock (queries, verify).
        public var readOnly = false
        /// Create or upgrade the schema when needed. Read commands leave it off, so pointing one at
        /// an empty or old file changes nothing.
        public var migrate = true
        /// Off only for the benchmark's "without the tree" arm (W1 with and without it, in one run):
        /// a ledger appended to this way lacks the tree's rows; `verify` and later appends fail on
        /// it until `rebuild`.
        @_spi(Benchmarks) public var maintainsMerkleTree = true

        public init() {}
    }

    public let path: String
    public var location: String { path }
    let connection: SQLiteConnection
    /// Nil when opened for reading: such a store never appends.
    let engine: AppendEngine?
    let maintainsMerkleTree: Bool
    /// States read or committed by earlier calls, each checked before use (`StoreCache`).
    var cache = StoreCache()
    /// The last event the open transaction inserted: production's row is sealed to it.
    var lastInserted: ChainHead?
    /// The Merkle tree's open block after a position (`advanceTree`), kept between appends: the
    /// events up to a committed position never change, so it holds until a transaction that wrote
    /// it rolls back (then it is cleared) or another writer moves the head (then the position differs).
    var openBlock: (position: Int64, leaves: [UInt8])?
    /// What the open transaction inserted for each SHA.
    var insertedInTransaction: [String: InsertedRows] = [:]

    /// A candidate's state is saved whole after this many of its events, so loading one folds at
    /// most this many events after its snapshot, and an append rarely rewrites the whole state.
    public static let snapshotInterval = 16

    struct InsertedRows {
        /// Release events: they count towards the next snapshot.
        var releaseEvents = 0
        /// The newest position, notes included.
        var newest: Int64 = 0
    }

    /// Opens the ledger at `path` for appending with `engine` (and for reading).
    public convenience init(path: String, engine: AppendEngine, options: Options = Options()) throws(LedgerError) {
        try self.init(path: path, appendingWith: engine, options: options)
    }

    /// Opens the ledger at `path` for queries only: no append engine, nothing migrated or created.
    public convenience init(readingAt path: String, options: Options = Options()) throws(LedgerError) {
        var options = options
        options.create = false
        options.migrate = false
        try self.init(path: path, appendingWith: nil, options: options)
    }

    private init(path: String, appendingWith engine: AppendEngine?, options: Options) throws(LedgerError) {
        self.path = path
        self.engine = engine
        maintainsMerkleTree = options.maintainsMerkleTree
        let mode: SQLiteConnection.Mode = options.readOnly ? .readOnly : options.create ? .readWriteCreate : .readWrite
        do {
            connection = try SQLiteConnection(
                path: path, mode: mode, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        } catch {
            throw SQLiteConnection.ledgerError(error, path: path)
        }
        // Identify the file first: nothing, not even the journal mode, is changed in a file that is not a ledger.
        let writes = options.migrate && !options.readOnly
        // SQLite opens a file it may not write read-only without a word (a read-only mount, say):
        // a writer must fail here, not report "ready" and fail at its first append.
        if writes, sqlite3_db_readonly(connection.handle, "main") == 1 {
            throw .storage("\(path) is read-only; appending needs write access to the file and its folder")
        }
        let found = try SchemaMigrator.checkIdentity(connection, path: path)
        if !writes { try SchemaMigrator.requireCurrent(found, path: path) }
        // WAL is a property of the file (it persists): writers set it, readers never change the file.
        if writes {
            // WAL lets readers run beside the one writer; verify it took effect (it silently
            // stays "delete" on file systems without shared memory).
            let mode = try sqlite { () throws(SQLiteError) in
                let journal = try connection.statement("PRAGMA journal_mode=WAL")
                defer { journal.reset() }
                _ = try journal.step()
                return journal.text(0)
            }
            guard mode.lowercased() == "wal" else {
                throw .storage("\(path): WAL journal mode could not be enabled (got \(mode))")
            }
        }
        // An unknown value is refused, not taken as FULL: whoever set it meant something else.
        guard let synchronous = SynchronousMode(rawValue: options.synchronous.uppercased()) else {
            throw .usage(
                "synchronous must be one of \(SynchronousMode.allCases.map(\.rawValue).joined(separator: ", ")), not "
                    + "'\(options.synchronous.prefix(20))' (RELEASE_LEDGER_SYNCHRONOUS sets it)")
        }
        try sqlite { () throws(SQLiteError) in try connection.execute("PRAGMA synchronous=\(synchronous.rawValue)") }
        try SchemaMigrator.prepare(connection, path: path, migrate: options.migrate && !options.readOnly) {
            () throws(LedgerError) in
            try rebuildInTransaction()
        }
    }

    /// Moves the chain head's row to the last event the open transaction inserted, with the
    /// Merkle tree's open block after it: once per transaction, not once per event (a batch of 100
    /// rewrote the row 100 times). Nothing when the transaction inserted nothing.
    func writeHead() throws(LedgerError) {
        guard let head = lastInserted else { return }
        let open = maintainsMerkleTree ? try openBlock(after: head.position) : []
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(
                """
                INSERT INTO chain_head (id, position, hash, open_block) VALUES (1, ?1, ?2, ?3)
                ON CONFLICT (id) DO UPDATE SET position = ?1, hash = ?2, open_block = ?3
                """
            )
            try statement.bind([.integer(head.position), .text(head.hash)])
            try statement.bindBlob(3, open)
            while try statement.step() {}
            statement.reset()
        }
    }

    // MARK: EventStore

    public func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt] {
        guard let engine else { throw .usage("\(path) was opened for reading; nothing was appended") }
        try engine.validate(batch)
        cache.beginTransaction()
        insertedInTransaction.removeAll()
        lastInserted = nil
        do {
            let receipts = try write { () throws(LedgerError) in
                var transaction = Transaction(store: self)
                let receipts = try engine.append(batch, in: &transaction)
                try writeHead()
                return receipts
            }
            // Committed: what was saved is now what the file holds.
            cache.commit()
            return receipts
        } catch {
            cache.rollBack(insertedFor: insertedInTransaction.keys)
            openBlock = nil
            throw error
        }
    }

    public func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(query) {
            events.append($0)
            return true
        }
        return events
    }

    /// Streams events in position order without holding them all; `body` returns false to stop.
    public func forEachEvent(_ query: EventQuery, _ body: (RecordedEvent) -> Bool) throws(LedgerError) {
        var conditions = ["position > ?1"]
        var values: [SQLiteValue] = [.integer(query.afterPosition)]
        if let sha = query.sha {
            values.append(.text(sha))
            conditions.append("sha = ?\(values.count)")
        }
        if let type = query.type {
            values.append(.text(type))
            conditions.append("type = ?\(values.count)")
        }
        if let stream = query.stream {
            values.append(.text(stream))
            conditions.append("stream = ?\(values.count)")
        }
        if let upTo = query.upToPosition {
            values.append(.integer(upTo))
            conditions.append("position <= ?\(values.count)")
        }
        var sql =
            "SELECT \(Self.eventColumns) FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY position"
        if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(sql)
            try statement.bind(values)
            defer { statement.reset() }
            var previous = query.afterPosition
            while try statement.step() {
                previous = try Self.checkedPosition(statement, after: previous)
                if !body(try Self.event(from: statement)) { break }
            }
        }
    }

    public func head() throws(LedgerError) -> ChainHead {
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            defer { statement.reset() }
            return try statement.step() ? ChainHead(position: statement.int64(0), hash: statement.text(1)) : .genesis
        }
    }

    public func streamVersion(_ stream: String) throws(LedgerError) -> Int64 {
        try sqlite { () throws(SQLiteError) in try Self.streamVersion(stream, on: connection) }
    }

    func forgetCachedStates() { cache.forgetCandidates() }

    public func candidate(_ sha: String) throws(LedgerError) -> CandidateState? {
        try loadCandidate(sha)?.state
    }

    /// The candidate's snapshot, then its events recorded after it, folded. The newest event of
    /// the SHA (one step of `events_by_sha`) tells whether a cached state is still current.
    func loadCandidate(_ sha: String) throws(LedgerError) -> StoreCache.Candidate? {
        let newest = try sqlite { () throws(SQLiteError) in
            try connection.integer("SELECT max(position) FROM events WHERE sha = ?1", [.text(sha)])
        }
        guard let newest else {
            cache.forget(sha)
            return nil
        }
        if let cached = cache.candidate(sha, newestPosition: newest) { return cached }
        var snapshot = try sealedSnapshot(sha)
        // Never guess: a damaged read model must not make the rules see a fresh candidate.
        let damaged = LedgerError.storage(
            "\(path): the read model row of \(sha) is damaged; run `release-ledger rebuild`")
        var state: CandidateState?
        if let saved = snapshot {
            let json: JSONValue
            do { json = try JSONParser.parse(saved.text, field: "state", limits: .internal) } catch { throw damaged }
            if json["foldVersion"]?.intValue == CandidateState.foldVersion {
                do { state = try CandidateState(json: json) } catch { throw damaged }
                guard state?.sha == sha, state?.lastPosition == saved.position else { throw damaged }
            } else {
                snapshot = nil  // written by another version of the fold: fold this candidate from its events
            }
        }
        var production = ProductionState()  // not kept: only this candidate's state is wanted here
        var folded = 0
        var unreadable: LedgerError?
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(
                "SELECT \(Self.storedRowColumns) FROM events WHERE sha = ?1 AND position > ?2 ORDER BY position")
            try statement.bind([.text(sha), .integer(snapshot?.position ?? 0)])
            defer { statement.reset() }
            var previous = snapshot?.position ?? 0
            while try statement.step() {
                previous = try Self.checkedPosition(statement, after: previous, columns: 7)
                do throws(LedgerError) {
                    try LedgerFold.apply(stored: Self.storedRow(statement), to: &state, production: &production)
                } catch {
                    unreadable = error
                    return
                }
                folded += 1
            }
        }
        if let unreadable { throw unreadable }
        // Notes (x- events) alone make no candidate.
        guard let state else { return nil }
        let loaded = StoreCache.Candidate(state: state.rulesView(), eventsAfterSnapshot: folded, newestPosition: newest)
        cache.remember(loaded)
        return loaded
    }

    /// Every run of a candidate: its events folded from the first, snapshots aside. It costs what
    /// the SHA's history costs, so only queries over that history call it.
    public func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState? {
        var state: CandidateState?
        var production = ProductionState()
        var unreadable: LedgerError?
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(
                "SELECT \(Self.storedRowColumns) FROM events WHERE sha = ?1 ORDER BY position")
            try statement.bind([.text(sha)])
            defer { statement.reset() }
            var previous: Int64 = 0
            while try statement.step() {
                previous = try Self.checkedPosition(statement, after: previous, columns: 7)
                do throws(LedgerError) {
                    try LedgerFold.apply(stored: Self.storedRow(statement), to: &state, production: &production)
                } catch {
                    unreadable = error
                    return
                }
            }
        }
        if let unreadable { throw unreadable }
        return state
    }

    /// The candidate's snapshot when its seal matches; nil when there is none or it does not
    /// match (an edit behind the ledger's back): the state is then folded from the events alone.
    func sealedSnapshot(_ sha: String) throws(LedgerError) -> (position: Int64, text: String)? {
        try sqlite { () throws(SQLiteError) in
            let statement = try connection.statement(
                """
                SELECT s.position, s.state, s.seal, e.hash FROM candidate_snapshots s LEFT JOIN events e ON \
                e.position = s.position WHERE s.sha = ?1
                """
            )
            try statement.bind([.text(sha)])
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            let position = statement.int64(0)
            let text = statement.text(1)
            let seal = ChainHasher.seal(
                kind: "candidate", key: sha, position: position, eventHash: statement.optionalText(3) ?? "", state: text
            )
            return seal == statement.text(2) ? (position, text) : nil
        }
    }

    /// The production row, refused (exit 4) when missing or not matching its seal: the lock and
    /// what is live cannot be folded from one candidate's events, and must never be guessed.
    public func production() throws(LedgerError) -> ProductionState {
        let row: (position: Int64, text: String, seal: String, eventHash: String?)? = try sqlite {
            () throws(SQLiteError) in
            let statement = try connection.statement(
                """
                SELECT p.position, p.state, p.seal, e.hash FROM production p LEFT JOIN events e ON e.position = \
                p.position WHERE p.id = 1
                """
            )
            defer { statement.reset() }
            return try statement.step()
                ? (statement.int64(0), statement.text(1), statement.text(2), statement.optionalText(3)) : nil
        }
        let refused = LedgerError.integrity(
            """
            \(path): the read model's production row was changed outside release-ledger (it does not match its seal); \
            run `release-ledger rebuild`
            """,
            firstBadPosition: nil)
        guard let row else { throw refused }
        // The row's text is its own version: parse it only when it is not what was parsed last.
        if let cached = cache.production(position: row.position, text: row.text, seal: row.seal) { return cached }
        let eventHash = row.position == 0 ? ChainHasher.genesisHash : row.eventHash ?? ""
        guard
            ChainHasher.seal(
                kind: "production", key: "production", position: row.position, eventHash: eventHash, state: row.text)
                == row.seal
        else { throw refused }
        do {
            let state = try ProductionState(json: JSONParser.parse(row.text, field: "state", limits: .internal))
            cache.remember(production: state, position: row.position, text: row.text, seal: row.seal)
            return state
        } catch {
            throw .storage("\(path): the read model's production row is damaged; run `release-ledger rebuild`")
        }
    }

    /// Writes production's row, sealed to the event at `head`.
    func saveProduction(_ production: ProductionState, head: ChainHead) throws(SQLiteError) {
        let text = CanonicalJSON.encode(production.json)
        let seal = ChainHasher.seal(
            kind: "production", key: "production", position: head.position, eventHash: head.hash, state: text)
        try connection.statement(
            """
            INSERT INTO production (id, position, state, seal) VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET \
            position = ?1, state = ?2, seal = ?3
            """
        ).run([.integer(head.position), .text(text), .text(seal)])
    }

    // MARK: Rows

    /// The table is STRICT and NOT NULL, and rows come in position order: a NULL or a position out
    /// of order is a page SQLite read without noticing it is damaged (a file cut short).
    static func checkedPosition(_ row: SQLiteStatement, after previous: Int64, columns: Int32 = 13) throws(SQLiteError)
        -> Int64
    {
        let position = row.int64(0)
        guard position > previous, !(0..<columns).contains(where: { row.isNull($0) }) else {
            throw SQLiteError(
                code: SQLITE_CORRUPT, extendedCode: SQLITE_CORRUPT,
                message: "the event after position \(previous) cannot be read", sql: nil)
        }
        return position
    }

    static let eventColumns =
        """
        position, event_id, stream, version, type, type_version, sha, data, metadata, recorded_at, previous_hash, \
        hash, chain_version
        """

    static func event(from s: SQLiteStatement) throws(SQLiteError) -> RecordedEvent {
        let position = s.int64(0)
        let recordedAt: Timestamp
        do throws(StoredValueError) {
            recordedAt = try StoredValue.timestamp(s.text(9), at: "the event at position \(position), recorded_at,")
        } catch {
            throw .corrupt(error.description)
        }
        return RecordedEvent(
            position: position, id: s.text(1), stream: s.text(2), version: s.int64(3), type: s.text(4),
            typeVersion: Int(s.int64(5)), sha: s.text(6), data: s.text(7), metadata: s.text(8),
            recordedAt: recordedAt, previousHash: s.text(10), hash: s.text(11), chainVersion: Int(s.int64(12)))
    }

    /// The columns a fold reads, in `StoredRow` order.
    static let storedRowColumns = "position, type, sha, data, metadata, recorded_at, hash"

    /// The statement's current row as `StoredRow` (its bytes live until the next step).
    static func storedRow(_ s: SQLiteStatement) -> StoredRow {
        StoredRow(
            position: s.int64(0), type: s.bytes(1), sha: s.bytes(2), data: s.bytes(3), metadata: s.bytes(4),
            recordedAt: s.bytes(5),
            hash: s.bytes(6))
    }

    static func streamVersion(_ stream: String, on connection: SQLiteConnection) throws(SQLiteError) -> Int64 {
        try connection.integer("SELECT max(version) FROM events WHERE stream = ?1", [.text(stream)]) ?? 0
    }

    func loadState(_ sql: String, _ values: [SQLiteValue]) throws(SQLiteError) -> String? {
        let statement = try connection.statement(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : nil
    }

    /// Writes a candidate's row, the rows of its runs that changed since `previous` (all of them
    /// when there is no previous state), and its whole state when `snapshot` is true.
    func saveReadModel(_ candidate: CandidateState, snapshot: Bool, previous: CandidateState?) throws(SQLiteError) {
        // Most events change none of the row's columns: the row is then not rewritten.
        let row = Self.candidateRow(candidate)
        if previous.map(Self.candidateRow) != row {
            try connection.statement(
                """
                INSERT INTO candidates (sha, frozen_at, acceptance, open_run, last_decision) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (sha) DO UPDATE SET frozen_at = ?2, acceptance = ?3, open_run = ?4, last_decision = ?5
                """
            ).run(row)
        }
        if snapshot {
            // The state's last event is the one just folded in, by this process: its hash is the chain's.
            let text = CanonicalJSON.encode(candidate.rulesView().json)
            let seal = ChainHasher.seal(
                kind: "candidate", key: candidate.sha, position: candidate.lastPosition,
                eventHash: candidate.lastEvent?.hash ?? "", state: text)
            try connection.statement(
                """
                INSERT INTO candidate_snapshots (sha, position, state, seal) VALUES (?1, ?2, ?3, ?4) ON CONFLICT \
                (sha) DO UPDATE SET position = ?2, state = ?3, seal = ?4
                """
            ).run([.text(candidate.sha), .integer(candidate.lastPosition), .text(text), .text(seal)])
        }
        // An append changes the run that was open and any it opens (one batch can decide a run and
        // open the next); a run row that would not change is not rewritten.
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

    static func candidateRow(_ candidate: CandidateState) -> [SQLiteValue] {
        [
            .text(candidate.sha), candidate.frozen.map { .text($0.event.at.description) } ?? .null,
            candidate.acceptance.map { .text($0.verdict.rawValue) } ?? .null,
            candidate.openRun.map { .integer(Int64($0.number)) } ?? .null,
            candidate.lastDecidedRun?.decision.map { .text($0.decision.rawValue) } ?? .null,
        ]
    }

    func saveRun(_ run: RunSummary) throws(SQLiteError) {
        try connection.statement(
            """
            INSERT INTO runs (sha, run, kind, replaces, opened_at, opened_position, decision, decided_at, \
            decided_position, actor)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (sha, run) DO UPDATE SET decision = ?7, decided_at = ?8, decided_position = ?9, actor = ?10
            """
        ).run(Self.values(of: run))
    }

    static func values(of run: RunSummary) -> [SQLiteValue] {
        [
            .text(run.sha), .integer(Int64(run.run)), .text(run.kind.rawValue), run.replaces.map { .text($0) } ?? .null,
            .text(run.openedAt.description), .integer(run.openedPosition),
            run.decision.map { .text($0.rawValue) } ?? .null,
            run.decidedAt.map { .text($0.description) } ?? .null, run.decidedPosition.map { .integer($0) } ?? .null,
            run.actor.map { .text($0) } ?? .null,
        ]
    }

    struct Transaction: AppendTransaction {
        let store: SQLiteEventStore

        func head() throws(LedgerError) -> ChainHead { try store.head() }

        func event(withID id: String) throws(LedgerError) -> RecordedEvent? {
            try store.sqlite { () throws(SQLiteError) in
                let statement = try store.connection.statement(
                    "SELECT \(SQLiteEventStore.eventColumns) FROM events WHERE event_id = ?1")
                try statement.bind([.text(id)])
                defer { statement.reset() }
                return try statement.step() ? try SQLiteEventStore.event(from: statement) : nil
            }
        }

        func event(at position: Int64) throws(LedgerError) -> RecordedEvent? {
            try store.events(EventQuery(afterPosition: position - 1, limit: 1)).first.flatMap {
                $0.position == position ? $0 : nil
            }
        }

        func streamVersion(_ stream: String) throws(LedgerError) -> Int64 { try store.streamVersion(stream) }

        func lastEvent(inStream stream: String) throws(LedgerError) -> RecordedEvent? {
            try store.sqlite { () throws(SQLiteError) in
                let statement = try store.connection.statement(
                    """
                    SELECT \(SQLiteEventStore.eventColumns) FROM events WHERE stream = ?1 \
                    ORDER BY version DESC LIMIT 1
                    """
                )
                try statement.bind([.text(stream)])
                defer { statement.reset() }
                return try statement.step() ? try SQLiteEventStore.event(from: statement) : nil
            }
        }

        func candidate(_ sha: String) throws(LedgerError) -> CandidateState? { try store.candidate(sha) }
        func production() throws(LedgerError) -> ProductionState { try store.production() }

        func timeFloor() throws(LedgerError) -> Timestamp? {
            try store.sqlite { () throws(SQLiteError) in
                let statement = try store.connection.statement(
                    """
                    SELECT ifnull((SELECT recorded_at FROM time_floors f WHERE f.position = e.position), \
                    e.recorded_at) FROM events e ORDER BY position DESC LIMIT 1
                    """
                )
                defer { statement.reset() }
                return try statement.step() ? Timestamp(rfc3339: statement.text(0)) : nil
            }
        }

        func insert(_ event: RecordedEvent) throws(LedgerError) {
            try insert(event, envelope: event.envelopeBytes)
        }

        func insert(_ event: RecordedEvent, envelope: [UInt8]) throws(LedgerError) {
            try store.sqlite { () throws(SQLiteError) in
                try store.connection.statement(
                    """
                    INSERT INTO events (\(SQLiteEventStore.eventColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
                    ?10, ?11, ?12, ?13)
                    """
                ).run([
                    .integer(event.position), .text(event.id), .text(event.stream), .integer(event.version),
                    .text(event.type),
                    .integer(Int64(event.typeVersion)), .text(event.sha), .text(event.data), .text(event.metadata),
                    .text(event.recordedAt.description), .text(event.previousHash), .text(event.hash),
                    .integer(Int64(event.chainVersion)),
                ])
            }
            // The chain head's row moves once per transaction, after the last insert (`writeHead`).
            if store.maintainsMerkleTree {
                try store.advanceTree(with: event, leafHash: RFC6962.leafHash(envelope))
            }
            store.lastInserted = ChainHead(position: event.position, hash: event.hash)
            if EventType(rawValue: event.type) != nil {
                store.insertedInTransaction[event.sha, default: InsertedRows()].releaseEvents += 1
            }
            store.insertedInTransaction[event.sha, default: InsertedRows()].newest = event.position
        }

        func save(candidates: [CandidateState], production: ProductionState?) throws(LedgerError) {
            try store.sqlite { () throws(SQLiteError) in
                for candidate in candidates {
                    // Loaded (or cached) at the start of this transaction, then these events were folded in.
                    let before = store.cache.loaded(candidate.sha)
                    let after =
                        (before?.eventsAfterSnapshot ?? 0)
                        + (store.insertedInTransaction[candidate.sha]?.releaseEvents ?? 0)
                    let snapshot = after >= SQLiteEventStore.snapshotInterval
                    try store.saveReadModel(candidate, snapshot: snapshot, previous: before?.state)
                    store.cache.stage(
                        StoreCache.Candidate(
                            state: candidate.rulesView(), eventsAfterSnapshot: snapshot ? 0 : after,
                            newestPosition: store.insertedInTransaction[candidate.sha]?.newest ?? candidate.lastPosition
                        ))
                }
                if let production, let head = store.lastInserted { try store.saveProduction(production, head: head) }
            }
        }
    }
}
