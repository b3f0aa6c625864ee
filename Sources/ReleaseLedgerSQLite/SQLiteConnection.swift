import CSQLite

#if canImport(Glibc)
import Glibc
#endif

// Swift cannot import function-like macros: SQLITE_TRANSIENT is ((sqlite3_destructor_type)-1).
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// One connection to a database file. Closes its handle when released.
public final class SQLiteConnection {
    public enum Mode { case readOnly, readWrite, readWriteCreate }

    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private let busyWait: UnsafeMutablePointer<BusyWait>

    /// Opens `path`. `busyTimeoutMilliseconds` bounds how long a locked database is waited for.
    public init(path: String, mode: Mode, busyTimeoutMilliseconds: Int) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags: Int32 =
            switch mode {
            case .readOnly: SQLITE_OPEN_READONLY
            case .readWrite: SQLITE_OPEN_READWRITE
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            }
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc & 0xFF, extendedCode: code, message: message, sql: nil)
        }
        handle = db
        busyWait = .allocate(capacity: 1)
        // Saturating: a caller's huge timeout waits "forever" rather than trapping on overflow.
        let (nanoseconds, overflow) = UInt64(max(0, busyTimeoutMilliseconds)).multipliedReportingOverflow(by: 1_000_000)
        busyWait.initialize(to: BusyWait(timeoutNanoseconds: overflow ? .max : nanoseconds))
        // Statements run outside a transaction (opening checks, pragmas) wait from the time of opening.
        busyWait.pointee.start()
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_handler(db, busyHandler, UnsafeMutableRawPointer(busyWait))
        // The read model's triggers call this; other programs' connections lack it, so their
        // writes to those tables fail (Projections/sqlite/v0003_read_model.sql). INNOCUOUS lets
        // triggers call it even where PRAGMA trusted_schema is off.
        sqlite3_create_function_v2(
            db, "written_only_by_release_ledger", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            writerMarker, nil, nil, nil)
    }

    deinit {
        statements.values.forEach { $0.finalize() }
        sqlite3_close_v2(handle)
        busyWait.deinitialize(count: 1)
        busyWait.deallocate()
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// A prepared statement, cached for the life of the connection.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var pointer: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard rc == SQLITE_OK, let pointer else { throw error(rc, sql: sql) }
        let statement = SQLiteStatement(pointer, connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// The integer in the first column of the first row (nil when there is no row, or it is NULL).
    public func integer(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int64? {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.optionalInt64(0) : nil
    }

    /// Runs `body` in `BEGIN IMMEDIATE` ... `COMMIT`, rolling back on any throw. IMMEDIATE takes
    /// the write lock up front: a deferred transaction that reads then writes fails with
    /// SQLITE_BUSY_SNAPSHOT in WAL mode, whatever the busy timeout.
    public func writeTransaction<T, E: Error>(_ body: () throws(E) -> T) throws(TransactionError<E>) -> T {
        do { try execute("BEGIN IMMEDIATE") } catch { throw .sqlite(error) }
        let result: T
        do {
            result = try body()
        } catch {
            try? execute("ROLLBACK")
            throw .body(error)
        }
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw .sqlite(error)
        }
        return result
    }

    /// Runs `body` in a read transaction, so every read sees one snapshot.
    public func readTransaction<T, E: Error>(_ body: () throws(E) -> T) throws(TransactionError<E>) -> T {
        do { try execute("BEGIN DEFERRED") } catch { throw .sqlite(error) }
        defer { try? execute("COMMIT") }
        do { return try body() } catch { throw .body(error) }
    }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(
            code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// The failure of a transaction: SQLite's, or the body's own error.
public enum TransactionError<E: Error>: Error {
    case sqlite(SQLiteError)
    case body(E)
}

/// A fair-ish busy handler: sleeps of 1-4 ms with jitter instead of SQLite's default back-off,
/// whose waits grow to 100 ms and let later writers overtake earlier ones (one append waited 3.7 s
/// behind fifteen others with it). Not shorter: with 16 writers on 2 cores, every wake-up takes
/// CPU from the one writer holding the lock. W3 (16 processes): sleeps of 0.05-0.3 ms gave 0.47x
/// the C baseline, 0.2-1.2 ms 0.57x, 1-4 ms 1.11x-1.23x in four runs, longest wait under 230 ms.
/// Gives up after the timeout, and the caller reports "busy".
struct BusyWait {
    let timeoutNanoseconds: UInt64
    var startedAt: UInt64 = 0

    init(timeoutNanoseconds: UInt64) { self.timeoutNanoseconds = timeoutNanoseconds }

    mutating func start() { startedAt = monotonicNanoseconds() }

    /// Whether to try again. SQLite counts the calls for one lock attempt from 0: the first call
    /// starts the clock.
    mutating func shouldRetry(attempt: Int32) -> Bool {
        if attempt == 0 { start() }
        guard monotonicNanoseconds() - startedAt < timeoutNanoseconds else { return false }
        usleep(UInt32.random(in: 1_000...4_000))
        return true
    }
}

private let writerMarker: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
    context, _, _ in
    sqlite3_result_int(context, 1)
}

private let busyHandler: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { context, attempt in
    guard let wait = context?.assumingMemoryBound(to: BusyWait.self) else { return 0 }
    return wait.pointee.shouldRetry(attempt: attempt) ? 1 : 0
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
