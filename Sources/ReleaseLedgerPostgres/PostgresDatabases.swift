import ReleaseLedgerCore

/// Creating and dropping whole databases on a server: what tests (one database each) and the
/// benchmark use. The target's user needs CREATEDB.
public enum PostgresDatabases {
    public static func create(_ name: String, on server: PostgresTarget) throws(LedgerError) {
        try checkName(name)
        try execute("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'", on: server)
    }

    public static func drop(_ name: String, on server: PostgresTarget) throws(LedgerError) {
        try checkName(name)
        try execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
    }

    /// One statement on its own connection: role set-up in tests, a tampering test's edit.
    public static func execute(_ sql: String, on target: PostgresTarget) throws(LedgerError) {
        let session = PostgresSession(target: target, lockTimeoutMilliseconds: 10_000)
        defer { session.close() }
        try session.execute(sql)
    }

    /// The first column of every row, as text (tests read what they check this way).
    public static func texts(_ sql: String, on target: PostgresTarget) throws(LedgerError) -> [String] {
        let session = PostgresSession(target: target, lockTimeoutMilliseconds: 10_000)
        defer { session.close() }
        var texts: [String] = []
        for row in try session.rows(sql) { texts.append(try PostgresSession.optionalText(row[0]) ?? "NULL") }
        return texts
    }

    static func checkName(_ name: String) throws(LedgerError) {
        guard !name.isEmpty, name.utf8.count <= 63,
            name.utf8.allSatisfy({
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
            })
        else {
            throw .invalidInput(field: "database", rule: "must be 1 to 63 lowercase letters, digits or underscores")
        }
    }
}
