import CSQLite
import ReleaseLedgerCore

/// Applies the versioned schema files compiled into the binary, recording the version in
/// `PRAGMA user_version`. A ledger written by a newer schema is refused rather than guessed at.
public enum SchemaMigrator {
    /// Marks the file as a release ledger ("RLDG"), so a database of another program is recognised.
    public static let applicationID: Int64 = 0x524C_4447

    /// Each migration: its version and the SQL files applied for it, in order.
    static let migrations: [(version: Int64, sql: [String])] = [
        (
            1,
            [
                String(decoding: PackageResources.v0001_events_sql, as: UTF8.self),
                String(decoding: PackageResources.v0001_read_model_sql, as: UTF8.self),
            ]
        ),
        (2, [String(decoding: PackageResources.v0002_candidate_snapshots_sql, as: UTF8.self)]),
        // The read model of version 3 is not altered in place: `rebuild` (run by the migration)
        // drops it and folds it again from the events, sealed and guarded.
        (3, [String(decoding: PackageResources.v0003_chain_v2_sql, as: UTF8.self)]),
        // Views only (deployments, decisions, production_timeline): nothing to rebuild.
        (4, [String(decoding: PackageResources.v0004_views_sql, as: UTF8.self)]),
        // The Merkle tree: filled from the existing events by the rebuild that follows.
        (5, [String(decoding: PackageResources.v0005_merkle_tree_sql, as: UTF8.self)]),
        // Drops the tree's levels below 4 (hashed from the events when needed); the rest stands.
        (6, [String(decoding: PackageResources.v0006_merkle_blocks_sql, as: UTF8.self)]),
    ]

    /// The read model's tables, indexes and triggers, created if missing: run by every rebuild.
    static let readModelSQL = String(decoding: PackageResources.v0003_read_model_sql, as: UTF8.self)
    static let readModelTables = ["candidates", "runs", "production", "candidate_snapshots", "time_floors"]

    /// Migrations after which the read model is rebuilt, in the migration's transaction.
    static let rebuildsReadModel: Set<Int64> = [3, 5]

    public static var latestVersion: Int64 { migrations.last?.version ?? 0 }

    /// Names of the embedded files, so a test can check every file in Schema/ is registered.
    public static let embeddedFiles = [
        "Schema/sqlite/v0001_events.sql", "Projections/sqlite/v0001_read_model.sql",
        "Projections/sqlite/v0002_candidate_snapshots.sql",
        "Schema/sqlite/v0003_chain_v2.sql", "Projections/sqlite/v0003_read_model.sql",
        "Projections/sqlite/v0004_views.sql", "Schema/sqlite/v0005_merkle_tree.sql",
        "Schema/sqlite/v0006_merkle_blocks.sql",
    ]

    static func version(of connection: SQLiteConnection) throws(SQLiteError) -> (
        user: Int64, application: Int64, tables: Int64
    ) {
        // Reading the schema is the validating read: a file that is not a database fails here.
        (
            try connection.integer("PRAGMA user_version") ?? 0, try connection.integer("PRAGMA application_id") ?? 0,
            try connection.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        )
    }

    /// Refuses a file that is not a ledger this build can read. Runs before anything is written to
    /// the file, even the switch to WAL, which would rewrite another program's database header.
    @discardableResult
    static func checkIdentity(_ connection: SQLiteConnection, path: String) throws(LedgerError) -> (
        user: Int64, application: Int64, tables: Int64
    ) {
        // One snapshot: read separately, the three could straddle another process's migration.
        let found = try connection.read(path: path) { () throws(SQLiteError) in try version(of: connection) }
        if found.tables > 0, found.application != applicationID {
            throw .storage("\(path) is a SQLite database of another program, not a release ledger")
        }
        if found.user > latestVersion {
            throw .storage(
                "\(path) was written by a newer release-ledger (schema version \(found.user)); this build reads up to version \(latestVersion)"
            )
        }
        return found
    }

    /// For readers, which change nothing: an empty or older file is refused, not migrated.
    static func requireCurrent(_ found: (user: Int64, application: Int64, tables: Int64), path: String)
        throws(LedgerError)
    {
        guard found.user < latestVersion else { return }
        if found.tables == 0 {
            throw .storage("\(path) is not a release ledger (it is empty); run `release-ledger init` first")
        }
        throw .storage(
            "\(path) is at schema version \(found.user), older than \(latestVersion); run any write command to migrate it"
        )
    }

    /// Checks the file is a ledger this build can read; migrates it when `migrate` is true.
    /// `rebuild` refolds the read model inside the migration's transaction.
    static func prepare(
        _ connection: SQLiteConnection, path: String, migrate: Bool, rebuild: () throws(LedgerError) -> Void
    ) throws(LedgerError) {
        let found = try checkIdentity(connection, path: path)
        guard found.user < latestVersion else { return }
        guard migrate else { return try requireCurrent(found, path: path) }
        // SQLite's failures, the rebuild's and the migration's own refusals all arrive as LedgerError.
        try connection.write(path: path) { () throws in
            // Re-read inside the write lock: another process may have migrated meanwhile.
            let current = try version(of: connection)
            if current.tables > 0, current.application != applicationID, current.user == 0 {
                throw LedgerError.storage("\(path) is a SQLite database of another program, not a release ledger")
            }
            var needsRebuild = false
            for migration in migrations where migration.version > current.user {
                for sql in migration.sql { try connection.execute(sql) }
                try connection.execute("PRAGMA user_version = \(migration.version)")
                if rebuildsReadModel.contains(migration.version) { needsRebuild = true }
            }
            try connection.execute("PRAGMA application_id = \(applicationID)")
            if needsRebuild { try rebuild() }
        }
    }
}
