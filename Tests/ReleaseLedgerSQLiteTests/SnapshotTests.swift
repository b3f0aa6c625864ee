import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// Schema version 2 keeps a candidate's whole state in `candidate_snapshots`, saved every few of
/// its events; loading folds the events after the snapshot. These tests check that what loads is
/// always the fold of every event, in a fresh process as in the writer.
@Suite struct SnapshotTests {
    static func foldFromNothing(_ store: SQLiteEventStore) throws -> LedgerFold {
        var fold = LedgerFold()
        for event in try store.events(EventQuery()) { try fold.apply(event) }
        return fold
    }

    @Test func aFreshProcessLoadsTheFoldOfEveryEvent() throws {
        let writer = try RebuildTests.busyLedger()
        let fold = try Self.foldFromNothing(writer)
        // Another process has no cache: it reads the snapshot and folds what came after.
        let reader = try SQLiteEventStore(path: writer.path, engine: Fixtures.engine())
        for sha in try reader.candidateSHAs() {
            #expect(try reader.candidate(sha) == fold.candidates[sha]?.rulesView())
            #expect(try writer.candidate(sha) == fold.candidates[sha]?.rulesView())
        }
        // The bound that keeps loading cheap: fewer release events after a snapshot than the interval.
        let lag = try SQLiteShell.rows(
            writer.path,
            """
            SELECT c.sha, (SELECT count(*) FROM events e WHERE e.sha = c.sha AND e.type NOT LIKE 'x-%'
                AND e.position > ifnull((SELECT position FROM candidate_snapshots s WHERE s.sha = c.sha), 0)) FROM candidates c;
            """)
        #expect(lag.count == fold.candidates.count)
        for row in lag { #expect(Int(row.split(separator: "|")[1])! < SQLiteEventStore.snapshotInterval, "\(row)") }
        #expect(try SQLiteShell.rows(writer.path, "SELECT count(*) FROM candidate_snapshots") != ["0"])
    }

    @Test func anAppendSavesTheWholeStateOnlyEveryFewEvents() throws {
        let store = try TemporaryLedger().open()
        var snapshotPositions: [String] = []
        // A promotion, then two replays of the same candidate, one event per append.
        let replay =
            [Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "again"])]
            + Array(Fixtures.cleanPromotion(1)[4...])
        let events = Fixtures.cleanPromotion(1) + replay + replay + replay
        for event in events {
            _ = try store.append([event])
            snapshotPositions += try SQLiteShell.rows(store.path, "SELECT position FROM candidate_snapshots")
        }
        #expect(events.count >= 2 * SQLiteEventStore.snapshotInterval)
        #expect(
            Set(snapshotPositions).count == events.count / SQLiteEventStore.snapshotInterval,
            "snapshots at \(snapshotPositions)")
        #expect(
            try store.candidate(Fixtures.sha(1)) == Self.foldFromNothing(store).candidates[Fixtures.sha(1)]?.rulesView()
        )
    }

    /// A snapshot whose seal does not match is never used: the state is folded from the events,
    /// verify names the row, and a rebuild writes it again.
    @Test func aDamagedSnapshotIsNotUsed() throws {
        let store = try RebuildTests.busyLedger()
        let sha = try #require(try SQLiteShell.rows(store.path, "SELECT sha FROM candidate_snapshots LIMIT 1").first)
        try LedgerShell.edit(store.path, "UPDATE candidate_snapshots SET state = '{\"sha\":1}' WHERE sha = '\(sha)'")
        let reader = try SQLiteEventStore(path: store.path, engine: Fixtures.engine())
        #expect(try reader.candidate(sha) == Self.foldFromNothing(reader).candidates[sha]?.rulesView())
        #expect(
            try reader.readModelProblem() == "the candidate_snapshots row of candidate \(sha) does not match its seal")
        try reader.rebuildReadModel()
        #expect(try reader.readModelProblem() == nil)
        #expect(try reader.candidate(sha) == Self.foldFromNothing(reader).candidates[sha]?.rulesView())
    }

    /// A snapshot carries the version of the fold that wrote it. One written by another version
    /// (here: sealed correctly, but saying `earlierRuns` is 100 more) is not trusted: the state is
    /// folded from the events. The same snapshot marked with this fold's version is read as it
    /// is, which shows that the version, not the seal, is what turned the other one away.
    @Test(arguments: [CandidateState.foldVersion - 1, CandidateState.foldVersion + 1, CandidateState.foldVersion])
    func aSnapshotOfAnotherFoldVersionIsRebuiltNotTrusted(version: Int64) throws {
        let store = try RebuildTests.busyLedger()
        let row = try #require(
            try SQLiteShell.rows(
                store.path,
                "SELECT s.sha, s.position, e.hash FROM candidate_snapshots s JOIN events e ON e.position = s.position LIMIT 1"
            ).first)
        let fields = row.split(separator: "|").map(String.init)
        let (sha, position, eventHash) = (fields[0], try #require(Int64(fields[1])), fields[2])
        let saved = try #require(
            try SQLiteShell.rows(store.path, "SELECT state FROM candidate_snapshots WHERE sha = '\(sha)'").first)
        guard case .object(var state) = try JSONParser.parse(saved, limits: .internal) else {
            Issue.record("the snapshot is not an object")
            return
        }
        state["foldVersion"] = .number(.integer(version))
        state["earlierRuns"] = .number(.integer((state["earlierRuns"]?.intValue ?? 0) + 100))
        let doctored = CanonicalJSON.encode(.object(state))
        let seal = ChainHasher.seal(
            kind: "candidate", key: sha, position: position, eventHash: eventHash, state: doctored)
        try LedgerShell.edit(
            store.path, "UPDATE candidate_snapshots SET state = '\(doctored)', seal = '\(seal)' WHERE sha = '\(sha)'")

        let reader = try SQLiteEventStore(path: store.path, engine: Fixtures.engine())
        let folded = try #require(try Self.foldFromNothing(reader).candidates[sha]?.rulesView())
        let loaded = try #require(try reader.candidate(sha))
        if version == CandidateState.foldVersion {
            #expect(loaded.earlierRuns == folded.earlierRuns + 100, "a sealed snapshot of this fold version is used")
        } else {
            #expect(loaded == folded)
        }
    }

    /// A ledger written by the version-1 schema (whole state in the candidates row) is migrated
    /// by the next write: the states move to snapshots and nothing else changes.
    @Test func aVersion1LedgerMigrates() throws {
        // Written on chain version 1, as builds before schema version 3 wrote.
        let store = try RebuildTests.busyLedger(
            engine: AppendEngine(clock: FixedClock(Fixtures.start), chainVersion: 1))
        try store.rebuildReadModel()  // a snapshot for every candidate, as version 1 kept a state for each
        let before = try store.readModelSnapshot()
        let head = try store.head()
        try LedgerShell.downgradeToSchema2(store.path)
        _ = try SQLiteShell.rows(
            store.path,
            """
            ALTER TABLE candidates ADD COLUMN last_position INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE candidates ADD COLUMN state TEXT NOT NULL DEFAULT '';
            UPDATE candidates SET last_position = (SELECT position FROM candidate_snapshots s WHERE s.sha = candidates.sha),
                state = (SELECT state FROM candidate_snapshots s WHERE s.sha = candidates.sha);
            DROP TABLE candidate_snapshots;
            PRAGMA user_version = 1;
            """)
        // Readers never migrate: they ask for a write first.
        var readOnly = SQLiteEventStore.Options()
        readOnly.migrate = false
        #expect(throws: LedgerError.self) {
            try SQLiteEventStore(path: store.path, engine: Fixtures.engine(), options: readOnly)
        }

        let migrated = try SQLiteEventStore(path: store.path, engine: AppendEngine(clock: FixedClock(Fixtures.start)))
        #expect(try SQLiteShell.rows(store.path, "PRAGMA user_version") == [String(SchemaMigrator.latestVersion)])
        #expect(
            try SQLiteShell.rows(
                store.path,
                "SELECT count(*) FROM pragma_table_info('candidates') WHERE name IN ('state', 'last_position')") == [
                    "0"
                ])
        #expect(try migrated.readModelSnapshot() == before)
        #expect(try migrated.verify(anchor: head).isIntact)
        _ = try migrated.append(Array(Fixtures.cleanPromotion(5).prefix(2)))  // a new candidate's freeze and acceptance
        #expect(try migrated.candidate(Fixtures.sha(5)) == Self.foldFromNothing(migrated).candidates[Fixtures.sha(5)])
        #expect(try migrated.candidate(Fixtures.sha(5))?.acceptance != nil)
        // Old rows keep chain version 1 and still verify; new rows are version 2.
        #expect(
            try SQLiteShell.rows(store.path, "SELECT chain_version, count(*) FROM events GROUP BY chain_version") == [
                "1|\(head.position)", "2|2",
            ])
        #expect(try migrated.verify(anchor: head).isIntact)
        #expect(try migrated.readModelProblem() == nil)
    }
}

@Suite struct ReadModelBatchTests {
    /// One batch that decides a run and opens the next one must leave both runs' rows right.
    @Test func aBatchThatClosesARunAndOpensAnotherSavesBoth() throws {
        let store = try TemporaryLedger().open()
        _ = try store.append(
            Fixtures.cleanPromotion(1) + [Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "again"])])
        let runs = try store.runs(RunFilter(sha: Fixtures.sha(1)))
        #expect(runs.map(\.run) == [2, 1])
        #expect(runs.map(\.decision) == [nil, .yes])
        var fold = LedgerFold()
        for event in try store.events(EventQuery()) { try fold.apply(event) }
        let incremental = try store.readModelSnapshot()
        try store.rebuildReadModel()
        #expect(try store.readModelSnapshot() == incremental)
    }
}

@Suite struct StoredFoldTests {
    /// `foldAll` reads rows in place (`StoredJSON`); it must give what parsing every payload gives.
    @Test func foldingStoredRowsInPlaceEqualsFoldingParsedEvents() throws {
        let store = try RebuildTests.busyLedger()
        var parsed = LedgerFold()
        for event in try store.events(EventQuery()) { try parsed.apply(event) }
        let inPlace = try store.foldAll()
        #expect(inPlace.candidates == parsed.candidates)
        #expect(inPlace.production == parsed.production)
        #expect(inPlace.lastPosition == parsed.lastPosition)
        #expect(inPlace.candidates.count >= 3)
        // Split by candidate over several connections and merged: the same fold, production included.
        for workers in [2, 3, 5] {
            let split = try store.foldAll(workers: workers, splitFrom: 0)
            #expect(split.candidates == parsed.candidates)
            #expect(split.production == parsed.production, "\(workers) parts")
            #expect(split.lastPosition == parsed.lastPosition)
        }
    }

    /// Production's fields are whatever the last event to assign them said, even when one part
    /// of a split fold assigns the same value twice and another part assigns in between.
    @Test func aSplitFoldKeepsTheLastAssignmentOfProduction() throws {
        let store = try TemporaryLedger().open()
        _ = try store.append(Fixtures.cleanPromotion(1))
        _ = try store.append(Fixtures.cleanPromotion(2))
        _ = try store.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "back to 1"])])
        _ = try store.append(Array(Fixtures.cleanPromotion(1)[4...]))
        _ = try store.append([Fixtures.event(.replayRequested, 2, ["mode": "replay", "reason": "forward to 2"])])
        var parsed = LedgerFold()
        for event in try store.events(EventQuery()) { try parsed.apply(event) }
        #expect(parsed.production.openRun?.sha == Fixtures.sha(2))
        #expect(parsed.production.live?.sha == Fixtures.sha(1))
        for workers in 2...5 {
            #expect(try store.foldAll(workers: workers, splitFrom: 0).production == parsed.production)
        }
        // The test means something only if the two candidates fall in different parts somewhere.
        func part(_ n: Int, _ parts: Int) -> Int {
            var sha = Fixtures.sha(n)
            return sha.withUTF8 { LedgerFold.part(ofSHA: $0, parts: parts) }
        }
        #expect((2...5).contains { part(1, $0) != part(2, $0) })
    }
}

@Suite struct StateCacheTests {
    /// A writer's cached state must never hide what another connection appended since.
    @Test func anotherWritersAppendIsSeenThroughTheCache() throws {
        let ledger = TemporaryLedger()
        let first = try ledger.open()
        let promotion = Fixtures.cleanPromotion(1)
        _ = try first.append(Array(promotion.prefix(4)))
        let before = try #require(try first.candidate(Fixtures.sha(1)))
        let second = try ledger.open(engine: AppendEngine(clock: FixedClock(Fixtures.start)))
        _ = try second.append([promotion[4]])
        _ = try second.append([Fixtures.note(1, "a note moves the newest position too")])
        let after = try #require(try first.candidate(Fixtures.sha(1)))
        #expect(after != before)
        #expect(after.lastPosition == (try second.candidate(Fixtures.sha(1)))?.lastPosition)
        // And the first writer's next append builds on the second's event, not on its stale copy.
        _ = try first.append([promotion[5]])
        var fold = LedgerFold()
        for event in try first.events(EventQuery()) { try fold.apply(event) }
        #expect(
            try SQLiteEventStore(path: ledger.path, engine: Fixtures.engine()).candidate(Fixtures.sha(1))
                == fold.candidates[Fixtures.sha(1)])
    }

    /// A SHA with only notes is not a candidate.
    @Test func notesAloneMakeNoCandidate() throws {
        let store = try TemporaryLedger().open()
        _ = try store.append([Fixtures.note(7, "just a note")])
        #expect(try store.candidate(Fixtures.sha(7)) == nil)
        #expect(try store.candidateSHAs().isEmpty)
    }
}

extension StateCacheTests {
    /// A refused batch that inserted a note before its refusal must not leave a cached state that
    /// counts the note's (rolled-back) position: another writer takes that position next.
    @Test func aRefusedBatchLeavesNoStaleState() throws {
        let ledger = TemporaryLedger()
        let first = try ledger.open()
        let second = try ledger.open(engine: AppendEngine(clock: FixedClock(Fixtures.start)))
        let promotion = Fixtures.cleanPromotion(1)
        _ = try first.append([promotion[0]])  // frozen at position 1
        // A note (position 2, rolled back) and a deploy without acceptance: refused by rule 4.
        #expect(throws: LedgerError.self) { try first.append([Fixtures.note(1, "rolled back"), promotion[6]]) }
        _ = try second.append([promotion[1]])  // acceptance YES, at position 2
        #expect(try first.candidate(Fixtures.sha(1))?.acceptance?.verdict == .yes)
        // Sixteen more events from the first writer: its snapshot must carry the acceptance.
        for _ in 0..<SQLiteEventStore.snapshotInterval { _ = try first.append([promotion[2]]) }
        let fresh = try SQLiteEventStore(path: ledger.path, engine: Fixtures.engine())
        #expect(try fresh.candidate(Fixtures.sha(1))?.acceptance?.verdict == .yes)
    }
}

@Suite struct VerifyDamageTests {
    /// An edited row before a page that cannot be read is still reported as the edit, at its
    /// position: verify checks the rows it did read before it gives up on the damage.
    @Test func anEditBeforeADamagedPageIsStillReported() throws {
        let store = try TemporaryLedger().open()
        let padding = String(repeating: "p", count: 300)
        for batch in stride(from: 1, through: 300, by: 50) {
            _ = try store.append((batch..<(batch + 50)).map { Fixtures.note(1, "note \($0) \(padding)") })
        }
        _ = try SQLiteShell.rows(
            store.path,
            "DROP TRIGGER events_are_immutable; UPDATE events SET data = replace(data, 'note 4 ', 'note 5 ') WHERE position = 4; PRAGMA wal_checkpoint(TRUNCATE);"
        )
        // A leaf of the events table well after row 4, its page header overwritten.
        let leaves = try SQLiteShell.rows(
            store.path, "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path")
        #expect(leaves.count > 20)
        let page = try #require(Int(leaves[leaves.count / 2]))
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: store.path))
        try file.seek(toOffset: UInt64((page - 1) * 4096))
        try file.write(contentsOf: Data(repeating: 0xFF, count: 64))
        try file.close()
        let reader = try SQLiteEventStore(path: store.path, engine: Fixtures.engine())
        let report = try reader.verify(anchor: nil)
        #expect(report.firstBadPosition == 4)
        #expect(report.problem?.contains("does not match its hash") == true)
    }
}
