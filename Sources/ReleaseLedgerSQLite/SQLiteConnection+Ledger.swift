import CSQLite
import ReleaseLedgerCore

/// Where SQLite's failures become the ledger's: every transaction and statement of the store
/// goes through `read`, `write` or `run`, so the result codes are mapped in one place
/// (`ledgerError`) and the core's API keeps its typed throws.
extension SQLiteConnection {
    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), rolled back on any throw.
    func write<T, E: Error>(path: String, _ body: () throws(E) -> T) throws(LedgerError) -> T {
        do { return try writeTransaction(body) } catch { throw Self.ledgerError(error, path: path) }
    }

    /// Runs `body` in a read transaction: every read sees one snapshot.
    func read<T, E: Error>(path: String, _ body: () throws(E) -> T) throws(LedgerError) -> T {
        do { return try readTransaction(body) } catch { throw Self.ledgerError(error, path: path) }
    }

    /// Runs statements outside a transaction of its own.
    func run<T>(path: String, _ body: () throws(SQLiteError) -> T) throws(LedgerError) -> T {
        do { return try body() } catch { throw Self.ledgerError(error, path: path) }
    }

    private static func ledgerError<E>(_ error: TransactionError<E>, path: String) -> LedgerError {
        switch error {
        case .sqlite(let error): ledgerError(error, path: path)
        case .body(let error as LedgerError): error
        case .body(let error as SQLiteError): ledgerError(error, path: path)
        case .body(let error): .storage("\(path): \(error)")
        }
    }

    /// Turns SQLite's result codes into the ledger's documented failures.
    static func ledgerError(_ error: SQLiteError, path: String) -> LedgerError {
        switch error.code {
        // SQLITE_PROTOCOL: WAL-index lock races that SQLite gave up retrying; nothing was written.
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL:
            return .busy("\(path) stayed locked by another writer past the busy timeout; nothing was written, retry")
        case SQLITE_FULL:
            return .storage("\(path): the disk is full; nothing was written")
        case SQLITE_NOTADB:
            return .storage("\(path) is not a SQLite database")
        case SQLITE_CORRUPT:
            return .storage("\(path) is damaged (truncated or corrupt): \(error.message)")
        case SQLITE_READONLY:
            return .storage("\(path) is read-only; appending needs write access to the file and its folder")
        case SQLITE_CANTOPEN:
            return .storage("cannot open \(path): \(error.message)")
        case SQLITE_IOERR:
            return .storage("\(path): I/O error: \(error.message)")
        default:
            return .storage("\(path): \(error.description)")
        }
    }
}

extension SQLiteEventStore {
    func write<T, E: Error>(_ body: () throws(E) -> T) throws(LedgerError) -> T {
        try connection.write(path: path, body)
    }
    func read<T, E: Error>(_ body: () throws(E) -> T) throws(LedgerError) -> T { try connection.read(path: path, body) }
    func sqlite<T>(_ body: () throws(SQLiteError) -> T) throws(LedgerError) -> T {
        try connection.run(path: path, body)
    }
}
