import PostgresNIO
import ReleaseLedgerCore

/// A value bound to a `$n` parameter.
enum SQLValue {
    case integer(Int64)
    case text(String)
    case null
}

/// One PostgreSQL connection used synchronously. The store protocols are synchronous (the CLI is a
/// short process; the server calls its stores from its own threads), so each call sends a query
/// through postgres-nio and blocks the calling thread on the result (`EventLoopFuture.wait()`).
/// That is never done on a NIO event loop: `wait()` traps there, and nothing in this package calls
/// a store from one. The connection's I/O runs on postgres-nio's shared event loop group.
///
/// A connection that dropped (PostgreSQL restarted, a network fault) is reopened by the next call;
/// the call that saw it fail reports `busy` (exit 75), which callers retry.
final class PostgresSession {
    let target: PostgresTarget
    /// How long a statement waits for a lock (the chain head) before giving up with `busy`.
    let lockTimeoutMilliseconds: Int
    private var connection: PostgresConnection?
    private var nextID = 1
    private let logger: Logger = {
        var logger = Logger(label: "release-ledger.postgres")
        logger.logLevel = .critical  // never log queries: they carry payloads
        return logger
    }()

    init(target: PostgresTarget, lockTimeoutMilliseconds: Int) {
        self.target = target
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
    }

    deinit {
        if let connection { _ = try? connection.close().wait() }
    }

    func close() { drop() }

    /// Closes the connection before letting it go: a connection released while its channel is
    /// still open leaks the socket (and trips postgres-nio's assertion in a debug build, which
    /// crashed a server when PostgreSQL restarted under load). The next call opens a new one.
    private func drop() {
        if let connection, !connection.isClosed { _ = try? connection.close().wait() }
        connection = nil
    }

    private func open() throws(LedgerError) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        drop()
        let configuration = try target.configuration()
        let group = PostgresConnection.defaultEventLoopGroup
        do {
            let opened = try PostgresConnection.connect(
                on: group.any(), configuration: configuration, id: nextID, logger: logger
            ).wait()
            nextID += 1
            connection = opened
            // A writer waiting on the head lock gives up like a SQLite writer past its busy timeout.
            _ = try opened.query(
                PostgresQuery(unsafeSQL: "SET lock_timeout = \(lockTimeoutMilliseconds)"), logger: logger
            ).wait()
            return opened
        } catch {
            drop()
            throw mapped(error)
        }
    }

    /// Every row of a query's result.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws(LedgerError) -> [PostgresRandomAccessRow] {
        let connection = try open()
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let n): bindings.append(n)
            case .text(let s): bindings.append(s)
            case .null: bindings.appendNull()
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait().rows.map
            {
                $0.makeRandomAccess()
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Runs a statement whose rows (if any) are not wanted.
    func execute(_ sql: String, _ values: [SQLValue] = []) throws(LedgerError) {
        _ = try rows(sql, values)
    }

    /// The first column of the first row as an integer, nil when there is no row or it is NULL.
    func integer(_ sql: String, _ values: [SQLValue] = []) throws(LedgerError) -> Int64? {
        guard let row = try rows(sql, values).first else { return nil }
        return try Self.optionalInteger(row[0])
    }

    /// `body` inside BEGIN ... COMMIT; any throw rolls back. READ COMMITTED: after an append takes
    /// the head row's lock, every later statement sees what the writers before it committed.
    func transaction<T>(readOnly: Bool = false, _ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try execute(
            readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if let connection, !connection.isClosed { _ = try? connection.query("ROLLBACK", logger: logger).wait() }
            throw error
        }
    }

    // MARK: Cells

    static func integer(_ cell: PostgresCell) throws(LedgerError) -> Int64 {
        guard let value = try optionalInteger(cell) else { throw .storage("column \(cell.columnName) is NULL") }
        return value
    }

    static func optionalInteger(_ cell: PostgresCell) throws(LedgerError) -> Int64? {
        do { return try cell.decode(Int64?.self) } catch {
            throw .storage("column \(cell.columnName) is not an integer")
        }
    }

    static func text(_ cell: PostgresCell) throws(LedgerError) -> String {
        guard let value = try optionalText(cell) else { throw .storage("column \(cell.columnName) is NULL") }
        return value
    }

    static func optionalText(_ cell: PostgresCell) throws(LedgerError) -> String? {
        do { return try cell.decode(String?.self) } catch { throw .storage("column \(cell.columnName) is not text") }
    }

    // MARK: Errors

    /// PostgreSQL's failures as the ledger's documented ones. Lost connections, shutdowns, lock
    /// timeouts and serialization failures are `busy` (exit 75: retry); the connection is dropped so
    /// the next call opens a new one.
    func mapped(_ error: any Error) -> LedgerError {
        if let error = error as? LedgerError { return error }
        guard let error = error as? PSQLError else { return .storage("\(target): \(error)") }
        if error.code != .server {
            drop()
            return .busy(
                "\(target): the connection to PostgreSQL failed (\(error.code)); an append in flight may not have been recorded, "
                    + "retry (a retry with the same event id is answered \"already recorded\")")
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        switch state {
        case "40001", "40P01", "55P03", "57014", "53300", "57P01", "57P02", "57P03", "08000", "08003", "08006":
            if state.hasPrefix("57P") || state.hasPrefix("08") { drop() }
            return .busy("\(target): \(message); nothing was written, retry")
        case "3D000":
            return .storage(
                "\(target): the database does not exist; create it, then run `release-ledger init --postgres URL`")
        case "28000", "28P01":
            return .storage("\(target): PostgreSQL refused the login (\(message))")
        case "42501":
            return .storage("\(target): permission denied (\(message)); see the roles in Schema/postgres/grants.sql")
        case "42P01":
            return .storage(
                "\(target) is not a release ledger (\(message)); run `release-ledger init --postgres URL` first")
        case "23505":
            return .conflict("\(target): \(message)")
        default:
            return .storage("\(target): \(message) (SQLSTATE \(state))")
        }
    }
}
