import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

@Suite struct SchemaMigratorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func everySQLFileIsCompiledIn() throws {
        var found: [String] = []
        for folder in ["Schema/sqlite", "Projections/sqlite"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/\(folder)")
            where name.hasSuffix(".sql") {
                found.append("\(folder)/\(name)")
            }
        }
        #expect(
            found.sorted() == SchemaMigrator.embeddedFiles.sorted(),
            "register new .sql files in Package.swift and SchemaMigrator")
    }

    @Test func aNewLedgerRecordsTheSchemaVersion() throws {
        let ledger = TemporaryLedger()
        _ = try ledger.open()
        let lines = try SQLiteShell.rows(
            ledger.path, "PRAGMA user_version; PRAGMA application_id; PRAGMA journal_mode;")
        #expect(lines == [String(SchemaMigrator.latestVersion), String(SchemaMigrator.applicationID), "wal"])
    }

    @Test func aLedgerFromANewerSchemaIsRefused() throws {
        let ledger = TemporaryLedger()
        _ = try ledger.open().append([Fixtures.note(1, "x")])
        try SQLiteShell.run(ledger.path, "PRAGMA user_version = 99;")
        do {
            _ = try ledger.open(create: false)
            Issue.record("a ledger written by a newer schema was opened")
        } catch let error as LedgerError {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("newer release-ledger (schema version 99)"))
        }
    }

    /// Schema version 4 adds only views: a version-3 ledger gains them on its next write, and a
    /// reader asks for that write first.
    @Test func aVersion3LedgerGainsTheViewsOnTheNextWrite() throws {
        let ledger = TemporaryLedger()
        _ = try ledger.open().append([Fixtures.note(1, "x")])
        try SQLiteShell.run(
            ledger.path,
            "DROP VIEW deployments; DROP VIEW decisions; DROP VIEW production_timeline; DROP TABLE merkle_subtrees; "
                + "ALTER TABLE chain_head DROP COLUMN open_block; PRAGMA user_version = 3;"
        )
        var readOnly = SQLiteEventStore.Options()
        readOnly.migrate = false
        #expect(throws: LedgerError.self) {
            try SQLiteEventStore(path: ledger.path, engine: Fixtures.engine(), options: readOnly)
        }
        let migrated = try ledger.open(create: false)
        #expect(SchemaMigrator.latestVersion == 6)
        let views = try SQLiteShell.execute(
            ledger.path, "PRAGMA user_version; SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name;")
        #expect(views.output == "6\ndecisions\ndeployments\nproduction_timeline\n")
        #expect(try migrated.verify(anchor: nil).isIntact)
    }

    @Test func reopeningMigratesNothingTwice() throws {
        let ledger = TemporaryLedger()
        _ = try ledger.open().append([Fixtures.note(1, "x")])
        let again = try ledger.open(create: false)
        #expect(try again.head().position == 1)
        #expect(try again.verify(anchor: nil).isIntact)
    }
}
