import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// Edits of a ledger behind its back, through the real sqlite3 shell (`SQLiteShell`).
enum LedgerShell {
    /// The read model's tables and their guard triggers (Projections/sqlite/v0003_read_model.sql).
    static let readModelTables = ["candidates", "runs", "production", "candidate_snapshots", "time_floors"]

    /// SQL that drops every trigger guarding the read model and the chain head.
    static let dropGuards =
        readModelTables.flatMap { table in
            ["insert", "update", "delete"].map { "DROP TRIGGER IF EXISTS \(table)_\($0)_by_the_ledger;" }
        }.joined(separator: " ")
        + " DROP TRIGGER IF EXISTS chain_head_is_written_by_the_ledger; DROP TRIGGER IF EXISTS chain_head_is_inserted_by_the_ledger;"

    /// Runs `sql` after dropping the guards, as a determined editor would; the edit must succeed.
    static func edit(_ path: String, _ sql: String) throws {
        let result = try SQLiteShell.execute(path, dropGuards + " " + sql)
        #expect(result.status == 0 && !result.output.contains("Error"), "the edit failed: \(result.output)")
    }

    /// Turns a ledger written by this build (with a version-1 engine) into one of schema version 2,
    /// as the build before chain version 2 left it: no chain versions, unsealed read model.
    static func downgradeToSchema2(_ path: String) throws {
        try edit(
            path,
            """
            ALTER TABLE production DROP COLUMN position;
            ALTER TABLE production DROP COLUMN seal;
            ALTER TABLE candidate_snapshots DROP COLUMN seal;
            DROP TABLE time_floors;
            ALTER TABLE events DROP COLUMN chain_version;
            DROP VIEW IF EXISTS deployments; DROP VIEW IF EXISTS decisions; DROP VIEW IF EXISTS production_timeline;
            DROP TABLE IF EXISTS merkle_subtrees;
            ALTER TABLE chain_head DROP COLUMN open_block;
            PRAGMA user_version = 2;
            """)
    }
}
