import CSQLite

/// A failed SQLite call: the result codes, SQLite's message and the SQL. Bound values are never
/// included, so an error can be logged without leaking payloads.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32
    public let extendedCode: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        "SQLite error \(extendedCode) (\(String(cString: sqlite3_errstr(extendedCode)))): \(message)"
            + (sql.map { " in «\($0)»" } ?? "")
    }
}

extension SQLiteError {
    /// A row that holds what the ledger could not have written: reported as a damaged file.
    static func corrupt(_ message: String) -> SQLiteError {
        SQLiteError(code: SQLITE_CORRUPT, extendedCode: SQLITE_CORRUPT, message: message, sql: nil)
    }
}
