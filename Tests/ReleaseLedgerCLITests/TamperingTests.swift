import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// Edits made with the sqlite3 shell behind the ledger's back (dropping the triggers first):
/// `verify` exits 4 and names the first bad position every time.
@Suite struct TamperingTests {
    /// A ledger of two promotions (24 events) and what verify says after `sql` ran on it.
    static func tamper(_ sql: String) throws -> (result: CommandResult, cli: CLIHarness) {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2)
        #expect(cli.setupFailures.isEmpty)
        #expect(cli.run("verify").exitCode == 0)
        let output = try SQLiteShell.run(cli.defaultLedger, "DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_never_deleted; " + sql)
        #expect(!output.contains("Error"), "the tampering itself failed: \(output)")
        return (cli.run("verify"), cli)
    }

    static func expectDetected(_ sql: String, at position: Int) throws {
        let (result, _) = try tamper(sql)
        #expect(result.exitCode == 4, "\(sql)")
        #expect(result.stderr.contains("position \(position):"), "\(sql): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aChangedPayloadByte() throws {
        try Self.expectDetected("UPDATE events SET data = replace(data, 'YES', 'NO!') WHERE position = 14;", at: 14)
    }

    /// The same instant written another way is still an edit: verify hashes the stored text.
    @Test func aTimestampRewrittenInAnotherForm() throws {
        try Self.expectDetected("UPDATE events SET recorded_at = replace(recorded_at, 'Z', '+00:00') WHERE position = 5;", at: 5)
    }

    @Test func aChangedType() throws {
        try Self.expectDetected("UPDATE events SET type = 'x-innocent' WHERE position = 9;", at: 9)
    }

    @Test func aDeletedRow() throws {
        try Self.expectDetected("DELETE FROM events WHERE position = 7;", at: 7)
    }

    @Test func deletedLastRows() throws {
        // The chain that is left is intact; the recorded head is what gives it away.
        try Self.expectDetected("DELETE FROM events WHERE position > 21;", at: 22)
    }

    @Test func deletedLastRowsAndHeadAreCaughtByAnAnchor() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        let head = try cli.store().head()
        try SQLiteShell.run(
            cli.defaultLedger,
            """
            DROP TRIGGER events_are_never_deleted; DROP TRIGGER chain_head_only_moves_forward; DROP TRIGGER chain_head_is_written_by_the_ledger;
            DELETE FROM events WHERE position > 10; UPDATE chain_head SET position = 10, hash = (SELECT hash FROM events WHERE position = 10);
            """)
        #expect(cli.run("verify").exitCode == 4, "the read model still holds the deleted events")
        #expect(cli.run("rebuild").exitCode == 0)
        #expect(cli.run("verify").exitCode == 0, "without an outside anchor the shortened chain is self-consistent")
        let anchored = cli.run(["verify", "--anchor", "\(head.position):\(head.hash)"])
        #expect(anchored.exitCode == 4)
        #expect(anchored.stderr.contains("position 11:"))
    }

    @Test func twoReorderedRows() throws {
        try Self.expectDetected(
            """
            UPDATE events SET position = -1 WHERE position = 5;
            UPDATE events SET position = 5 WHERE position = 6;
            UPDATE events SET position = 6 WHERE position = -1;
            """, at: 5)
    }

    @Test func aForgedRowWithARecomputedHashButABrokenLink() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        let head = try cli.store().head()
        // A forger computes a valid hash for the row's own content but cannot link it to the chain
        // without rewriting every later row.
        let forged = RecordedEvent(
            position: head.position + 1, id: "forged", stream: "candidate-\(Fixtures.sha(1))", version: 5, type: "acceptance.recorded",
            typeVersion: 1, sha: Fixtures.sha(1), data: #"{"verdict":"YES"}"#, metadata: "{}", recordedAt: Fixtures.start,
            previousHash: String(repeating: "f", count: 64), hash: "")
        let hash = ChainHasher.hash(of: forged)
        try SQLiteShell.run(
            cli.defaultLedger,
            """
            DROP TRIGGER chain_head_is_written_by_the_ledger;
            INSERT INTO events VALUES (\(forged.position), 'forged', '\(forged.stream)', 5, 'acceptance.recorded', 1, '\(forged.sha)',
              '{"verdict":"YES"}', '{}', '\(Fixtures.start)', '\(forged.previousHash)', '\(hash)', 2);
            UPDATE chain_head SET position = \(forged.position), hash = '\(hash)';
            """)
        let result = cli.run("verify")
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("position \(forged.position):"))
        #expect(result.stderr.contains("link"))
    }

    @Test func aTruncatedCopyIsAClearErrorNotACrash() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        #expect(cli.run("verify").exitCode == 0)
        // Fold the WAL into the main file, then copy half of it.
        try SQLiteShell.run(cli.defaultLedger, "PRAGMA wal_checkpoint(TRUNCATE);")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.defaultLedger))
        let copy = cli.folder + "/truncated.sqlite"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: copy))
        for command in [["verify"], ["events"], ["status"]] {
            let result = cli.run(command + ["--db", copy])
            #expect([4, 74].contains(result.exitCode), "\(command): \(result.exitCode) \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(result.stderr.contains("truncated.sqlite"))
        }
    }

    @Test func theTriggersRefuseUpdatesAndDeletes() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        #expect(try SQLiteShell.run(cli.defaultLedger, "UPDATE events SET type = 'x' WHERE position = 1;").contains("immutable"))
        #expect(try SQLiteShell.run(cli.defaultLedger, "DELETE FROM events WHERE position = 1;").contains("never deleted"))
        #expect(cli.run("verify").exitCode == 0)
    }
}
