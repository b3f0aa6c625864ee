import ReleaseLedgerCore

/// Applies Schema/postgres/ (compiled in) to a database, recording the version in `ledger_schema`.
/// Run by the owner role (`init`); the server role has no right to change the schema. A database
/// written by a newer schema is refused, as with SQLite.
public enum PostgresSchemaMigrator {
    static let migrations: [(version: Int64, sql: [String])] = [
        (1, [String(decoding: PackageResources.v0001_events_sql, as: UTF8.self)])
    ]
    /// The read model's tables and indexes, created when missing by every migration run.
    static let readModelSQL = String(decoding: PackageResources.v0001_read_model_sql, as: UTF8.self)
    /// Grants to the writer and reader roles, when they exist; applied by every `init`.
    static let grantsSQL = String(decoding: PackageResources.grants_sql, as: UTF8.self)
    static let readModelTables = ["candidates", "runs", "production", "candidate_snapshots", "time_floors"]

    public static var latestVersion: Int64 { migrations.last?.version ?? 0 }

    /// Names of the embedded files, so a test can check every file in Schema/postgres is registered.
    public static let embeddedFiles = [
        "Schema/postgres/v0001_events.sql", "Schema/postgres/v0001_read_model.sql", "Schema/postgres/grants.sql",
    ]

    /// Any number would do: it only has to be the same in every process migrating one database.
    static let migrationLockKey: Int64 = 0x524C_4447

    /// The schema version, nil for a database with no ledger in it.
    static func version(_ session: PostgresSession) throws(LedgerError) -> Int64? {
        let tables = try session.rows(
            "SELECT to_regclass('ledger_schema') IS NOT NULL, to_regclass('events') IS NOT NULL")
        guard let row = tables.first else { return nil }
        let hasSchema = (try? row[0].decode(Bool.self)) == true
        let hasEvents = (try? row[1].decode(Bool.self)) == true
        if !hasSchema {
            if hasEvents {
                throw .storage("\(session.target) has an events table of another program, not a release ledger")
            }
            return nil
        }
        let found = try session.rows("SELECT application, version FROM ledger_schema WHERE id = 1")
        guard let first = found.first, try PostgresSession.text(first[0]) == "release-ledger" else {
            throw .storage("\(session.target) has a ledger_schema table of another program, not a release ledger")
        }
        return try PostgresSession.integer(first[1])
    }

    /// Refuses a database this build cannot read; migrates it when `migrate` is true.
    static func prepare(_ session: PostgresSession, migrate: Bool, initializeReadModel: () throws(LedgerError) -> Void)
        throws(LedgerError)
    {
        let found = try version(session)
        if let found, found > latestVersion {
            throw .storage(
                "\(session.target) was written by a newer release-ledger (schema version \(found)); this build reads up to version \(latestVersion)"
            )
        }
        guard migrate else {
            if found == nil {
                throw .storage(
                    "\(session.target) holds no release ledger; run `release-ledger init --postgres URL` first")
            }
            if found! < latestVersion {
                throw .storage(
                    "\(session.target) is at schema version \(found!), older than \(latestVersion); run `init` to migrate it"
                )
            }
            return
        }
        try session.transaction { () throws(LedgerError) in
            // One migrator at a time: a second `init` waits, then finds the work done.
            try session.execute("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLockKey)])
            let current = try version(session) ?? 0
            for migration in migrations where migration.version > current {
                for sql in migration.sql { try run(sql, on: session) }
                try session.execute("UPDATE ledger_schema SET version = $1 WHERE id = 1", [.integer(migration.version)])
            }
            try run(readModelSQL, on: session)
            try run(grantsSQL, on: session)
            try initializeReadModel()
        }
    }

    /// The group roles `grants.sql` grants to that do not exist (init names them).
    static func missingRoles(_ session: PostgresSession) throws(LedgerError) -> [String] {
        let rows = try session.rows(
            "SELECT r FROM unnest(ARRAY['release_ledger_writer', 'release_ledger_reader']) r WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) ORDER BY r"
        )
        var names: [String] = []
        for row in rows { names.append(try PostgresSession.text(row[0])) }
        return names
    }

    /// Runs a file's statements one by one: the extended query protocol takes one statement a message.
    static func run(_ file: String, on session: PostgresSession) throws(LedgerError) {
        for statement in statements(in: file) { try session.execute(statement) }
    }

    /// Splits SQL text at the semicolons that end statements: not those inside quotes, dollar-quoted
    /// function bodies or comments.
    static func statements(in sql: String) -> [String] {
        var statements: [String] = []
        var current: [UInt8] = []
        let bytes = Array(sql.utf8)
        var index = 0
        var dollarTag: [UInt8]?
        var inQuote = false
        while index < bytes.count {
            let byte = bytes[index]
            if let tag = dollarTag {
                if bytes[index...].starts(with: tag) {
                    current += tag
                    index += tag.count
                    dollarTag = nil
                    continue
                }
            } else if inQuote {
                if byte == UInt8(ascii: "'") { inQuote = false }
            } else if byte == UInt8(ascii: "'") {
                inQuote = true
            } else if byte == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            } else if byte == UInt8(ascii: "$"),
                let end = bytes[(index + 1)...].firstIndex(where: {
                    !($0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0))
                }),
                bytes[end] == UInt8(ascii: "$")
            {
                let tag = Array(bytes[index...end])
                dollarTag = tag
                current += tag
                index = end + 1
                continue
            } else if byte == UInt8(ascii: ";") {
                let text = String(decoding: current, as: UTF8.self).trimmingWhitespace()
                if !text.isEmpty { statements.append(text) }
                current.removeAll()
                index += 1
                continue
            }
            current.append(byte)
            index += 1
        }
        let text = String(decoding: current, as: UTF8.self).trimmingWhitespace()
        if !text.isEmpty { statements.append(text) }
        return statements
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
