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
        let output = try SQLiteShell.run(
            cli.defaultLedger, "DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_never_deleted; " + sql)
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
        try Self.expectDetected(
            "UPDATE events SET recorded_at = replace(recorded_at, 'Z', '+00:00') WHERE position = 5;", at: 5)
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
            position: head.position + 1, id: "forged", stream: "candidate-\(Fixtures.sha(1))", version: 5,
            type: "acceptance.recorded",
            typeVersion: 1, sha: Fixtures.sha(1), data: #"{"verdict":"YES"}"#, metadata: "{}",
            recordedAt: Fixtures.start,
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

    /// The issue's attack on the read model: the frozen API digest swapped in a snapshot, its seal
    /// recomputed. The rules would read the forged state; `materialize` writes files from the
    /// SHA's events, and `materialize --check` and `verify` compare the read model with them: both exit 4.
    @Test func aForgedSnapshotFailsVerifyAndMaterializeCheck() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        #expect(cli.run("rebuild").exitCode == 0)  // a snapshot for the candidate
        let sha = Fixtures.sha(1)
        let row = try SQLiteShell.run(
            cli.defaultLedger,
            "SELECT s.position || char(9) || e.hash || char(9) || s.state FROM candidate_snapshots s JOIN events e ON e.position = s.position WHERE s.sha = '\(sha)'"
        ).trimmingCharacters(in: .newlines).split(separator: "\t", maxSplits: 2).map(String.init)
        try #require(row.count == 3)
        let forged = row[2].replacing(Fixtures.digest("api", 1), with: Fixtures.digest("api", 9))
        let seal = ChainHasher.seal(
            kind: "candidate", key: sha, position: Int64(row[0])!, eventHash: row[1], state: forged)
        let edit = try SQLiteShell.run(
            cli.defaultLedger,
            "DROP TRIGGER candidate_snapshots_update_by_the_ledger; UPDATE candidate_snapshots SET state = '\(forged)', seal = '\(seal)' WHERE sha = '\(sha)';"
        )
        #expect(!edit.contains("Error"), "\(edit)")
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out"]).exitCode == 0)
        let manifest = try String(contentsOfFile: cli.folder + "/out/candidate/\(sha)/manifest.json", encoding: .utf8)
        #expect(!manifest.contains(Fixtures.digest("api", 9)), "artifacts come from the events, not the read model")
        #expect(
            try cli.store().candidate(sha)?.frozen?.images.api == Fixtures.digest("api", 9), "what the rules would read"
        )

        let check = cli.run(["materialize", "--sha", sha, "--out", "out", "--check"])
        #expect(check.exitCode == 4)
        #expect(check.stderr.contains("the read model of \(sha) differs from its events"), "\(check.stderr)")
        #expect(cli.run(["verify", "--chain-only"]).exitCode == 0, "the events themselves are intact")
        let verify = cli.run("verify")
        #expect(verify.exitCode == 4)
        #expect(
            verify.stderr.contains(
                "read model: the candidate_snapshots row of candidate \(sha) differs from the events"),
            "\(verify.stderr)")

        #expect(cli.run("rebuild").exitCode == 0)
        #expect(cli.run("verify").exitCode == 0)
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out", "--check"]).exitCode == 0)
        #expect(try cli.store().candidate(sha)?.frozen?.images.api == Fixtures.digest("api", 1))
    }

    /// A production row edited with the shell (its guards dropped) is refused by every command
    /// that reads it, with exit 4 and the way out.
    @Test func anEditedProductionRowIsRefusedUntilARebuild() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        let edit = try SQLiteShell.run(
            cli.defaultLedger, "DROP TRIGGER production_update_by_the_ledger; UPDATE production SET state = '{}';")
        #expect(!edit.contains("Error"), "\(edit)")
        let status = cli.run("status")
        #expect(status.exitCode == 4, "\(status.stderr)")
        #expect(status.stderr.contains("rebuild"))
        #expect(cli.run("verify").exitCode == 4)
        #expect(cli.run("rebuild").exitCode == 0)
        #expect(cli.run("status").exitCode == 0)
        #expect(cli.run("verify").exitCode == 0)
    }

    @Test func theTriggersRefuseUpdatesAndDeletes() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        #expect(
            try SQLiteShell.run(cli.defaultLedger, "UPDATE events SET type = 'x' WHERE position = 1;").contains(
                "immutable"))
        #expect(
            try SQLiteShell.run(cli.defaultLedger, "DELETE FROM events WHERE position = 1;").contains("never deleted"))
        #expect(cli.run("verify").exitCode == 0)
    }
}
