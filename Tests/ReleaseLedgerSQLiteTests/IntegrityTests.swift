import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// Issue 12, "Integrity": the read model the rules trust is guarded, sealed and checked; the
/// envelope of chain version 2 is unambiguous; recorded time never runs backwards.
@Suite struct ReadModelGuardTests {
    /// Every read-model table and the chain head refuse the sqlite3 shell's writes.
    @Test func theSqlite3ShellCannotChangeTheReadModel() throws {
        let store = try RebuildTests.busyLedger()
        try store.rebuildReadModel()  // a snapshot for every candidate
        let good = try store.readModelSnapshot()
        for table in LedgerShell.readModelTables + ["chain_head"] {
            for sql in ["UPDATE \(table) SET rowid = rowid;", "DELETE FROM \(table);"] {
                let result = try SQLiteShell.execute(store.path, sql)
                #expect(result.status != 0, "\(sql) was allowed")
                // chain_head was already never deleted (schema version 1).
                #expect(
                    result.output.contains(
                        sql.hasPrefix("DELETE FROM chain_head") ? "never deleted" : "written_only_by_release_ledger"),
                    "\(sql): \(result.output)")
            }
        }
        #expect(try SQLiteShell.execute(store.path, "INSERT INTO candidates (sha) VALUES ('x');").status != 0)
        #expect(try store.readModelSnapshot() == good)
        // The ledger's own writes still go through.
        _ = try store.append(Array(Fixtures.cleanPromotion(7).prefix(2)))
        try store.rebuildReadModel()
        #expect(try store.readModelProblem() == nil)
    }

    /// The attack of the issue: a candidate accepted NO, its snapshot edited to YES. The snapshot
    /// no longer matches its seal, so the rules fold the events and refuse the deploy.
    @Test func aCandidateAcceptedNoStaysRefusedAfterItsSnapshotIsEdited() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        _ = try store.append([
            Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1)),
            Fixtures.event(.acceptanceRecorded, 1, ["verdict": "NO", "reason": "exploratory tests failed"]),
        ])
        try store.rebuildReadModel()  // writes the snapshot
        try LedgerShell.edit(
            ledger.path, #"UPDATE candidate_snapshots SET state = replace(state, '"verdict":"NO"', '"verdict":"YES"');"#
        )
        #expect(
            try SQLiteShell.execute(ledger.path, "SELECT state FROM candidate_snapshots").output.contains(
                #""verdict":"YES""#))
        let writer = try ledger.open(create: false)
        #expect(throws: LedgerError.self) { try writer.append([Fixtures.cleanPromotion(1)[4]]) }
        #expect(try writer.candidate(Fixtures.sha(1))?.acceptance?.verdict == .no)
        #expect(
            try writer.readModelProblem()
                == "the candidate_snapshots row of candidate \(Fixtures.sha(1)) does not match its seal")
    }

    /// A production row edited (the lock lifted, what is live swapped) or deleted is refused
    /// with exit 4 until `rebuild`, never read as it is or as "nothing in production".
    @Test(arguments: [
        "UPDATE production SET state = '{}';",
        "UPDATE production SET position = position - 1;",
        "DELETE FROM production;",
    ])
    func anEditedProductionRowIsRefused(_ sql: String) throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        _ = try store.append(Fixtures.cleanPromotion(1))
        // run 1 of candidate 2 is open: production is locked
        _ = try store.append(Array(Fixtures.cleanPromotion(2).prefix(5)))
        let good = try store.production()
        try LedgerShell.edit(ledger.path, sql)
        let reader = try ledger.open(create: false)
        #expect {
            try reader.production()
        } throws: { error in
            (error as? LedgerError)?.exitCode == 4 && "\(error)".contains("rebuild")
        }
        #expect(throws: LedgerError.self) { try reader.append([Fixtures.cleanPromotion(3)[0]]) }
        try reader.rebuildReadModel()
        #expect(try reader.production() == good)
        #expect(try reader.readModelProblem() == nil)
    }

    /// Someone who recomputes a seal still does not get past verify: it compares every table
    /// with the fold of the events and names the first differing candidate.
    @Test func verifyNamesTheFirstRowThatDiffersFromTheEvents() throws {
        let ledger = TemporaryLedger()
        let store = try RebuildTests.busyLedger()
        try store.rebuildReadModel()
        #expect(try store.readModelProblem() == nil)
        let sha = Fixtures.sha(1)
        // Swap the frozen API digest and seal the result as the ledger would.
        let row = try SQLiteShell.execute(
            store.path,
            """
            SELECT s.position || char(9) || e.hash || char(9) || s.state FROM candidate_snapshots s JOIN events e ON \
            e.position = s.position WHERE s.sha = '\(sha)'
            """
        ).output.trimmingCharacters(in: .newlines).split(separator: "\t", maxSplits: 2).map(String.init)
        let forged = row[2].replacing(Fixtures.digest("api", 1), with: Fixtures.digest("api", 9))
        #expect(forged != row[2])
        let seal = ChainHasher.seal(
            kind: "candidate", key: sha, position: Int64(row[0])!, eventHash: row[1], state: forged)
        try LedgerShell.edit(
            store.path, "UPDATE candidate_snapshots SET state = '\(forged)', seal = '\(seal)' WHERE sha = '\(sha)';")
        #expect(
            try store.readModelProblem() == "the candidate_snapshots row of candidate \(sha) differs from the events")
        try store.rebuildReadModel()
        try LedgerShell.edit(store.path, "UPDATE runs SET decision = 'YES' WHERE sha = '\(Fixtures.sha(3))';")
        #expect(
            try store.readModelProblem() == "the runs row of candidate \(Fixtures.sha(3)) run 1 differs from the events"
        )
        try store.rebuildReadModel()
        try LedgerShell.edit(store.path, "DELETE FROM candidates WHERE sha = '\(Fixtures.sha(2))';")
        #expect(
            try store.readModelProblem() == "the candidates row of candidate \(Fixtures.sha(2)) differs from the events"
        )
        _ = ledger
    }

    /// `DROP TABLE` cannot be stopped by a trigger; `rebuild` brings the table, its indexes and
    /// its guards back from the events.
    @Test(arguments: ["candidates", "runs", "production", "candidate_snapshots", "time_floors"])
    func rebuildRecreatesADroppedTable(_ table: String) throws {
        let store = try RebuildTests.busyLedger()
        try store.rebuildReadModel()
        let good = try store.readModelSnapshot()
        #expect(try SQLiteShell.execute(store.path, "DROP TABLE \(table);").status == 0)
        try store.rebuildReadModel()
        #expect(try store.readModelSnapshot() == good)
        #expect(try store.readModelProblem() == nil)
        #expect(try SQLiteShell.execute(store.path, "DELETE FROM \(table);").status != 0, "the guards are back")
        #expect(
            try SQLiteShell.execute(
                store.path,
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL"
            ).output == "4\n")
    }
}

@Suite struct ChainVersionTests {
    /// A note whose payload has "id" and "metadata" keys, and the rewrite that moves bytes between
    /// its data, id and metadata while the version-1 envelope stays byte for byte the same.
    static func moveBytesBetweenFields(ledger: TemporaryLedger, engine: AppendEngine) throws -> (
        before: ChainHead, report: VerificationReport
    ) {
        let store = try ledger.open(engine: engine)
        let note = ProposedEvent(
            id: "note-1", type: "x-note", sha: Fixtures.sha(1), data: ["a": 1, "id": "evil", "metadata": ["m": 1]],
            metadata: EventMetadata(actor: "ci-bot"))
        _ = try store.append([note])
        _ = try store.append([Fixtures.note(1, "later")])
        let head = try store.head()
        let original = try #require(try store.events(EventQuery()).first)
        #expect(original.data == #"{"a":1,"id":"evil","metadata":{"m":1}}"#)
        let metadata = #"{"m":1}},"id":"note-1","metadata":"# + original.metadata
        try LedgerShell.edit(
            ledger.path,
            """
            DROP TRIGGER events_are_immutable; UPDATE events SET data = '{\"a\":1', event_id = 'evil', metadata = \
            '\(metadata)' WHERE position = 1;
            """
        )
        let edited = try #require(try store.events(EventQuery()).first)
        #expect(edited.id == "evil" && edited.data == #"{"a":1"# && edited.hash == original.hash)
        return (head, try store.verify(anchor: head))
    }

    /// The ambiguity of chain version 1, reproduced: the rewrite passes verify --anchor there...
    @Test func version1RowsLetBytesMoveBetweenDataIdAndMetadata() throws {
        let result = try Self.moveBytesBetweenFields(
            ledger: TemporaryLedger(), engine: AppendEngine(clock: FixedClock(Fixtures.start), chainVersion: 1))
        #expect(result.report.isIntact, "the known limit of version-1 rows")
    }

    /// ...and is caught on the rows of version 2, which every new ledger writes from position 1.
    @Test func version2RowsCatchBytesMovedBetweenDataIdAndMetadata() throws {
        let result = try Self.moveBytesBetweenFields(ledger: TemporaryLedger(), engine: Fixtures.engine())
        #expect(result.report.firstBadPosition == 1)
        #expect(result.report.problem == "the row's content does not match its hash")
    }

    @Test func aNewLedgerWritesVersion2FromPosition1() throws {
        let store = try TemporaryLedger().open()
        _ = try store.append(Fixtures.cleanPromotion(1))
        #expect(try store.events(EventQuery()).allSatisfy { $0.chainVersion == 2 })
        #expect(try SQLiteShell.execute(store.path, "SELECT DISTINCT chain_version FROM events").output == "2\n")
        #expect(try store.verify(anchor: nil).isIntact)
    }

    /// A row relabelled as version 1 is hashed by the other layout: its hash no longer matches.
    @Test func aRowRelabelledVersion1IsCaught() throws {
        let store = try TemporaryLedger().open()
        _ = try store.append(Fixtures.cleanPromotion(1))
        try LedgerShell.edit(
            store.path, "DROP TRIGGER events_are_immutable; UPDATE events SET chain_version = 1 WHERE position = 12;")
        #expect(try store.verify(anchor: nil).firstBadPosition == 12)
    }
}

@Suite struct RecordedTimeTests {
    /// A clock that steps back a minute on every call.
    @Test func recordedTimeNeverRunsBackwards() throws {
        let store = try TemporaryLedger().open(
            engine: AppendEngine(clock: FixedClock(Fixtures.start, stepMilliseconds: -60_000)))
        _ = try store.append([Fixtures.note(1, "first")])
        _ = try store.append([Fixtures.note(1, "second")])
        _ = try store.append([Fixtures.note(1, "third"), Fixtures.note(1, "fourth")])
        let events = try store.events(EventQuery())
        #expect(events.map(\.recordedAt) == Array(repeating: Fixtures.start, count: 4))
        #expect(
            try events.map { (event) throws(LedgerError) in try event.metadataValue().wallClock } == [nil]
                + (1...3).map { Fixtures.start.adding(milliseconds: -60_000 * Int64($0)).description })
        #expect(try store.lastPosition(atOrBefore: Fixtures.start) == 4)
        #expect(try store.lastPosition(atOrBefore: Fixtures.start.adding(milliseconds: -1)) == 0)
        #expect(try store.verify(anchor: nil).isIntact)
    }

    /// Rows written before the clamp, with times 10:00, 09:00, 09:10: nothing was recorded by
    /// 09:30 (position 1 came at 10:00), and a new event is not recorded before 10:00.
    @Test func atIsRightOnRowsWrittenBeforeTheClamp() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open(
            engine: AppendEngine(clock: FixedClock(Fixtures.start.adding(milliseconds: -40 * 60_000))))
        var previous = ChainHasher.genesisHash
        var inserts: [String] = []
        for (index, minutes) in [0, -60, -50].enumerated() {
            let position = Int64(index + 1)
            let unhashed = RecordedEvent(
                position: position, id: "old-\(position)", stream: "notes", version: position, type: "x-note",
                typeVersion: 1, sha: Fixtures.sha(1),
                data: #"{"text":"old"}"#, metadata: "{}",
                recordedAt: Fixtures.start.adding(milliseconds: Int64(minutes) * 60_000),
                previousHash: previous, hash: "", chainVersion: 1)
            let hash = ChainHasher.hash(of: unhashed)
            inserts.append(
                """
                INSERT INTO events VALUES (\(position), 'old-\(position)', 'notes', \(position), 'x-note', 1, \
                '\(Fixtures.sha(1))', '{\"text\":\"old\"}', '{}', '\(unhashed.recordedAt)', '\(previous)', '\(hash)', \
                1);
                """
            )
            inserts.append(
                "INSERT INTO chain_head (id, position, hash) VALUES (1, \(position), '\(hash)') "
                    + "ON CONFLICT (id) DO UPDATE SET position = excluded.position, hash = excluded.hash;"
            )
            previous = hash
        }
        try LedgerShell.edit(ledger.path, inserts.joined(separator: "\n"))
        try store.rebuildReadModel()  // what the migration to schema version 3 runs
        #expect(try store.verify(anchor: nil).isIntact)
        #expect(try store.lastPosition(atOrBefore: Fixtures.start.adding(milliseconds: -30 * 60_000)) == 0)
        #expect(try store.lastPosition(atOrBefore: Fixtures.start) == 3)
        // The clock now says 09:20: the event is recorded at 10:00, the greatest time so far.
        _ = try store.append([Fixtures.note(1, "new")])
        let new = try #require(try store.events(EventQuery(afterPosition: 3)).first)
        #expect(new.recordedAt == Fixtures.start)
        #expect((try new.metadataValue()).wallClock == Fixtures.start.adding(milliseconds: -40 * 60_000).description)
        #expect(try store.lastPosition(atOrBefore: Fixtures.start) == 4)
        #expect(try store.readModelProblem() == nil)
    }
}

/// Issue 13: a stored value the ledger could not have written is an error naming its place,
/// never a default (an unknown run kind is not `promotion`, a bad time is not the epoch).
@Suite struct StrictReadBackTests {
    @Test(arguments: [
        ("kind = 'canary'", "kind, holds 'canary', not a run kind"),
        ("opened_at = 'yesterday'", "opened_at, holds 'yesterday', not an RFC 3339 time"),
        ("decision = 'MAYBE'", "decision, holds 'MAYBE', not YES or NO"),
        ("decided_at = '2026-02-30T00:00:00Z'", "decided_at, holds '2026-02-30T00:00:00Z', not an RFC 3339 time"),
    ])
    func aRunsRowTheLedgerCouldNotHaveWrittenIsDamageNamingItsPlace(_ edit: String, _ message: String) throws {
        let store = try RebuildTests.busyLedger()
        try LedgerShell.edit(store.path, "UPDATE runs SET \(edit) WHERE sha = '\(Fixtures.sha(1))' AND run = 1;")
        do {
            _ = try store.runs(RunFilter(sha: Fixtures.sha(1)))
            Issue.record("a damaged runs row was read")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("runs row \(Fixtures.sha(1).prefix(12)) run 1, \(message)"), "\(error)")
        }
    }
}
