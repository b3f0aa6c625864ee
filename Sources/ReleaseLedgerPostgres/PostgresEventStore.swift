import PostgresNIO
import ReleaseLedgerCore

/// The event store in a PostgreSQL database, for a ledger several server processes share.
///
/// Every append runs in one transaction that first takes the single `chain_head` row
/// `FOR UPDATE`: appends from every process are serialized there, so positions are gapless and
/// equal commit order, and the release rules read a state no other writer can change before the
/// commit (two servers racing two deploys: exactly one wins). The rules, idempotency, expected
/// versions and the chain come from `AppendEngine`, as for SQLite. The read model (candidates,
/// runs, production, snapshots) is kept in the same transaction.
///
/// One store is one connection, used synchronously from one thread at a time (see `PostgresSession`).
public final class PostgresEventStore: EventStore, Ledger {
    public struct Options: Sendable {
        /// How long an append waits for another writer's head lock before giving up with "busy" (exit 75).
        public var busyTimeoutMilliseconds = 10_000
        /// Create or upgrade the schema when needed (`init`, run by the owner role). Everything
        /// else leaves it off and refuses a database without a current ledger.
        public var migrate = false

        public init() {}
    }

    public let target: PostgresTarget
    /// Where the ledger is, as messages name it (the URL without its password).
    public var location: String { target.description }
    let session: PostgresSession
    /// Nil when opened for reading: such a store never appends.
    let engine: AppendEngine?
    /// Candidate states this connection has read or committed, keyed by SHA; each is checked against
    /// the newest position of its SHA before use, so another process's append is never missed.
    var stateCache: [String: LoadedCandidate] = [:]
    var pendingStates: [LoadedCandidate] = []
    var productionCache: (position: Int64, text: String, seal: String, state: ProductionState)?
    /// The last event the open transaction inserted: production's row is sealed to it.
    var lastInserted: ChainHead?
    var insertedInTransaction: [String: InsertedRows] = [:]

    /// A candidate's state is saved whole after this many of its events (as in SQLite).
    public static let snapshotInterval = 16

    struct LoadedCandidate {
        var state: CandidateState
        var eventsAfterSnapshot: Int
        var newestPosition: Int64
    }

    struct InsertedRows {
        var releaseEvents = 0
        var newest: Int64 = 0
    }

    /// Opens for reading only: no append engine, and never migrates.
    public convenience init(readingAt target: PostgresTarget, options: Options = Options()) throws(LedgerError) {
        var options = options
        options.migrate = false
        try self.init(target: target, appendingWith: nil, options: options)
    }

    public convenience init(target: PostgresTarget, engine: AppendEngine, options: Options = Options())
        throws(LedgerError)
    {
        try self.init(target: target, appendingWith: engine, options: options)
    }

    private init(target: PostgresTarget, appendingWith engine: AppendEngine?, options: Options) throws(LedgerError) {
        self.target = target
        self.engine = engine
        session = PostgresSession(target: target, lockTimeoutMilliseconds: max(1, options.busyTimeoutMilliseconds))
        try PostgresSchemaMigrator.prepare(session, migrate: options.migrate) { () throws(LedgerError) in
            // A new ledger's production row (sealed to the genesis head); an existing one keeps its rows.
            if try session.integer("SELECT count(*) FROM production") == 0 {
                try saveProduction(ProductionState(), head: .genesis)
            }
        }
    }

    /// Closes the connection now rather than when the store is released.
    public func close() { session.close() }

    /// The roles `Schema/postgres/grants.sql` grants to that this cluster lacks (init prints them).
    public func missingRoles() throws(LedgerError) -> [String] { try PostgresSchemaMigrator.missingRoles(session) }

    // MARK: EventStore

    public func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt] {
        guard let engine else { throw .usage("\(location) was opened for reading; nothing was appended") }
        try engine.validate(batch)
        pendingStates.removeAll()
        insertedInTransaction.removeAll()
        lastInserted = nil
        do {
            let receipts = try session.transaction { () throws(LedgerError) in
                // The one lock every writer of this database takes, first: see the type's comment.
                let locked = try session.rows("SELECT position, hash FROM chain_head WHERE id = 1 FOR UPDATE")
                guard let row = locked.first else {
                    throw LedgerError.storage(
                        "\(target): the chain head row is missing; the ledger was damaged outside release-ledger")
                }
                var transaction = Transaction(
                    store: self,
                    head: ChainHead(
                        position: try PostgresSession.integer(row[0]), hash: try PostgresSession.text(row[1])))
                return try engine.append(batch, in: &transaction)
            }
            for loaded in pendingStates { stateCache[loaded.state.sha] = loaded }
            pendingStates.removeAll()
            return receipts
        } catch {
            pendingStates.removeAll()
            for sha in insertedInTransaction.keys { stateCache[sha] = nil }
            productionCache = nil
            throw error
        }
    }

    public func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent] {
        var conditions = ["position > $1"]
        var values: [SQLValue] = [.integer(query.afterPosition)]
        if let sha = query.sha {
            values.append(.text(sha))
            conditions.append("sha = $\(values.count)")
        }
        if let type = query.type {
            values.append(.text(type))
            conditions.append("type = $\(values.count)")
        }
        if let stream = query.stream {
            values.append(.text(stream))
            conditions.append("stream = $\(values.count)")
        }
        if let upTo = query.upToPosition {
            values.append(.integer(upTo))
            conditions.append("position <= $\(values.count)")
        }
        var sql =
            "SELECT \(Self.eventColumns) FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY position"
        if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
        var events: [RecordedEvent] = []
        for row in try session.rows(sql, values) { events.append(try Self.event(from: row)) }
        return events
    }

    /// Streams events in position order, a page at a time, without holding them all; `body`
    /// returns false to stop. Pages are read by position, so a page never repeats or skips a row.
    public func forEachEvent(_ query: EventQuery, _ body: (RecordedEvent) -> Bool) throws(LedgerError) {
        let pageSize = 4096
        var page = query
        var remaining = query.limit
        while true {
            page.limit = min(pageSize, remaining ?? pageSize)
            let events = try events(page)
            for event in events where !body(event) { return }
            if let left = remaining { remaining = left - events.count }
            guard events.count == page.limit, remaining.map({ $0 > 0 }) ?? true, let last = events.last else { return }
            page.afterPosition = last.position
        }
    }

    public func head() throws(LedgerError) -> ChainHead {
        let rows = try session.rows("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
        guard let row = rows.first else { return .genesis }
        return ChainHead(position: try PostgresSession.integer(row[0]), hash: try PostgresSession.text(row[1]))
    }

    public func streamVersion(_ stream: String) throws(LedgerError) -> Int64 {
        try session.integer("SELECT max(version) FROM events WHERE stream = $1", [.text(stream)]) ?? 0
    }

    func forgetCachedStates() { stateCache.removeAll() }

    public func candidate(_ sha: String) throws(LedgerError) -> CandidateState? {
        try loadCandidate(sha)?.state
    }

    /// The candidate's sealed snapshot, then its events recorded after it, folded.
    func loadCandidate(_ sha: String) throws(LedgerError) -> LoadedCandidate? {
        guard let newest = try session.integer("SELECT max(position) FROM events WHERE sha = $1", [.text(sha)]) else {
            stateCache[sha] = nil
            return nil
        }
        if let cached = stateCache[sha], cached.newestPosition == newest { return cached }
        var snapshot = try sealedSnapshot(sha)
        let damaged = LedgerError.storage(
            "\(target): the read model row of \(sha) is damaged; run `release-ledger rebuild`")
        var state: CandidateState?
        if let saved = snapshot {
            let json: JSONValue
            do { json = try JSONParser.parse(saved.text, field: "state", limits: .internal) } catch { throw damaged }
            if json["foldVersion"]?.intValue == CandidateState.foldVersion {
                do { state = try CandidateState(json: json) } catch { throw damaged }
                guard state?.sha == sha, state?.lastPosition == saved.position else { throw damaged }
            } else {
                snapshot = nil
            }
        }
        var production = ProductionState()
        var folded = 0
        let rows = try session.rows(
            "SELECT \(Self.storedRowColumns) FROM events WHERE sha = $1 AND position > $2 ORDER BY position",
            [.text(sha), .integer(snapshot?.position ?? 0)])
        for row in rows {
            try Self.withStoredRow(row) { stored throws(LedgerError) in
                try LedgerFold.apply(stored: stored, to: &state, production: &production)
            }
            folded += 1
        }
        guard let state else { return nil }
        let loaded = LoadedCandidate(state: state.rulesView(), eventsAfterSnapshot: folded, newestPosition: newest)
        stateCache[sha] = loaded
        return loaded
    }

    public func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState? {
        var state: CandidateState?
        var production = ProductionState()
        let rows = try session.rows(
            "SELECT \(Self.storedRowColumns) FROM events WHERE sha = $1 ORDER BY position", [.text(sha)])
        for row in rows {
            try Self.withStoredRow(row) { stored throws(LedgerError) in
                try LedgerFold.apply(stored: stored, to: &state, production: &production)
            }
        }
        return state
    }

    /// The candidate's snapshot when its seal matches; nil otherwise (the state is then folded).
    func sealedSnapshot(_ sha: String) throws(LedgerError) -> (position: Int64, text: String)? {
        let rows = try session.rows(
            "SELECT s.position, s.state, s.seal, e.hash FROM candidate_snapshots s LEFT JOIN events e ON e.position = s.position WHERE s.sha = $1",
            [.text(sha)])
        guard let row = rows.first else { return nil }
        let position = try PostgresSession.integer(row[0])
        let text = try PostgresSession.text(row[1])
        let seal = ChainHasher.seal(
            kind: "candidate", key: sha, position: position, eventHash: try PostgresSession.optionalText(row[3]) ?? "",
            state: text)
        return seal == (try PostgresSession.text(row[2])) ? (position, text) : nil
    }

    /// The production row, refused (exit 4) when missing or not matching its seal.
    public func production() throws(LedgerError) -> ProductionState {
        let rows = try session.rows(
            "SELECT p.position, p.state, p.seal, e.hash FROM production p LEFT JOIN events e ON e.position = p.position WHERE p.id = 1"
        )
        let refused = LedgerError.integrity(
            "\(target): the read model's production row was changed outside release-ledger (it does not match its seal); run `release-ledger rebuild`",
            firstBadPosition: nil)
        guard let row = rows.first else { throw refused }
        let position = try PostgresSession.integer(row[0])
        let text = try PostgresSession.text(row[1])
        let seal = try PostgresSession.text(row[2])
        let eventHash = try PostgresSession.optionalText(row[3])
        if let cached = productionCache, cached.position == position, cached.seal == seal, cached.text == text {
            return cached.state
        }
        let expected = position == 0 ? ChainHasher.genesisHash : eventHash ?? ""
        guard
            ChainHasher.seal(
                kind: "production", key: "production", position: position, eventHash: expected, state: text) == seal
        else { throw refused }
        do {
            let state = try ProductionState(json: JSONParser.parse(text, field: "state", limits: .internal))
            productionCache = (position, text, seal, state)
            return state
        } catch {
            throw .storage("\(target): the read model's production row is damaged; run `release-ledger rebuild`")
        }
    }

    func saveProduction(_ production: ProductionState, head: ChainHead) throws(LedgerError) {
        let text = CanonicalJSON.encode(production.json)
        let seal = ChainHasher.seal(
            kind: "production", key: "production", position: head.position, eventHash: head.hash, state: text)
        try session.execute(
            """
            INSERT INTO production (id, position, state, seal) VALUES (1, $1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, state = EXCLUDED.state, seal = EXCLUDED.seal
            """, [.integer(head.position), .text(text), .text(seal)])
    }

    // MARK: Rows

    static let eventColumns =
        "position, event_id, stream, version, type, type_version, sha, data, metadata, recorded_at, previous_hash, hash, chain_version"

    static func event(from row: PostgresRandomAccessRow) throws(LedgerError) -> RecordedEvent {
        let position = try PostgresSession.integer(row[0])
        let recordedText = try PostgresSession.text(row[9])
        let recordedAt: Timestamp
        do throws(StoredValueError) {
            recordedAt = try StoredValue.timestamp(recordedText, at: "the event at position \(position), recorded_at,")
        } catch {
            throw .storage("the ledger is damaged: \(error)")
        }
        return RecordedEvent(
            position: position, id: try PostgresSession.text(row[1]),
            stream: try PostgresSession.text(row[2]),
            version: try PostgresSession.integer(row[3]), type: try PostgresSession.text(row[4]),
            typeVersion: Int(try PostgresSession.integer(row[5])), sha: try PostgresSession.text(row[6]),
            data: try PostgresSession.text(row[7]),
            metadata: try PostgresSession.text(row[8]),
            recordedAt: recordedAt,
            previousHash: try PostgresSession.text(row[10]), hash: try PostgresSession.text(row[11]),
            chainVersion: Int(try PostgresSession.integer(row[12])))
    }

    /// The columns a fold reads, in `StoredRow` order.
    static let storedRowColumns = "position, type, sha, data, metadata, recorded_at, hash"

    /// Lends a row's text columns to the fold as bytes, in one buffer, for the call only.
    static func withStoredRow(_ row: PostgresRandomAccessRow, _ body: (StoredRow) throws(LedgerError) -> Void)
        throws(LedgerError)
    {
        let position = try PostgresSession.integer(row[0])
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for column in 1...6 {
            guard let buffer = row[column].bytes else {
                throw .storage("the event at position \(position) has a NULL column")
            }
            bytes.append(contentsOf: buffer.readableBytesView)
            ends.append(bytes.count)
        }
        try bytes.withUnsafeBufferPointer { all throws(LedgerError) in
            func column(_ n: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: all[(n == 0 ? 0 : ends[n - 1])..<ends[n]])
            }
            try body(
                StoredRow(
                    position: position, type: column(0), sha: column(1), data: column(2), metadata: column(3),
                    recordedAt: column(4),
                    hash: column(5)))
        }
    }
}
