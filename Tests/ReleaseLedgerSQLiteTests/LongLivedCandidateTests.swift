import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// A SHA replayed for years: what an append saves and reads must not grow with its runs, and
/// nothing the ledger wrote itself may ever trip an input limit on the way back.
@Suite struct LongLivedCandidateTests {
    static func snapshotBytes(_ path: String, _ sha: String) throws -> Int {
        Int(
            try SQLiteShell.rows(path, "SELECT length(state) FROM candidate_snapshots WHERE sha = '\(sha)'").first
                ?? "0") ?? 0
    }

    /// Another process, later, with ids of its own.
    static func laterEngine() -> AppendEngine {
        AppendEngine(clock: FixedClock(Fixtures.start.adding(milliseconds: 86_400_000)), ids: RandomUUIDGenerator())
    }

    /// Candidate 1 frozen and accepted, then `runs` replays each decided NO, in batches.
    static func replayed(_ runs: Int, in ledger: TemporaryLedger) throws -> SQLiteEventStore {
        let store = try ledger.open()
        _ = try store.append(Array(Fixtures.cleanPromotion(1).prefix(2)))  // frozen, accepted
        var remaining = runs
        while remaining > 0 {
            let pairs = min(remaining, 500)
            var batch: [ProposedEvent] = []
            for _ in 0..<pairs {
                batch.append(Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "again"]))
                batch.append(Fixtures.event(.verdictRecorded, 1, ["decision": "NO", "reason": "still flaky"]))
            }
            _ = try store.append(batch)
            remaining -= pairs
        }
        return store
    }

    @Test func aCandidateWithTenThousandRunsKeepsWorking() throws {
        let ledger = TemporaryLedger()
        let sha = Fixtures.sha(1)
        _ = try Self.replayed(10_000, in: ledger)

        // What an append reads back is two runs, whatever the history.
        let bytes = try Self.snapshotBytes(ledger.path, sha)
        #expect(bytes > 0 && bytes < 16_384, "the snapshot is \(bytes) bytes")
        let fresh = try ledger.open(engine: Self.laterEngine())  // a new process: snapshot, then the events after it
        let view = try #require(try fresh.candidate(sha))
        #expect(view.runCount == 10_000)
        #expect(view.runs.count == 1)

        // The next cycle works, with the run numbers the whole history gives.
        let receipts = try fresh.append([
            Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "one more"]),
            Fixtures.event(.verdictRecorded, 1, ["decision": "NO"]),
        ])
        #expect(receipts.count == 2)
        #expect(try fresh.candidate(sha)?.runs.last?.number == 10_001)
        #expect(try fresh.production().openRun == nil)
        #expect(try fresh.runs(RunFilter(sha: sha, limit: 1)).first?.run == 10_001)

        // Queries over the whole history fold the events; a rebuild agrees with the appends.
        let history = try #require(try fresh.candidateHistory(sha))
        #expect(history.runs.count == 10_001)
        #expect(history.runs.map(\.number) == Array(1...10_001))
        let before = try fresh.readModelSnapshot()
        try fresh.rebuildReadModel()
        #expect(try fresh.readModelSnapshot() == before)
        #expect(try Self.snapshotBytes(ledger.path, sha) < 16_384)
        #expect(try fresh.verify(anchor: nil).isIntact)
    }

    @Test func largeReasonsInEveryRunNeverMakeTheCandidateUnreadable() throws {
        // Fourteen verdicts with 60 KB reasons were 840 KB in one state: past the 1 MiB parser
        // limit with a few more. Now a state holds two runs, and internal reads have no input limit.
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        let sha = Fixtures.sha(1)
        _ = try store.append(Array(Fixtures.cleanPromotion(1).prefix(2)))
        let reason = String(repeating: "the smoke timed out again; ", count: 2_300)  // about 60 KB
        for _ in 0..<20 {
            _ = try store.append([
                Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": .string(reason)]),
                Fixtures.event(.verdictRecorded, 1, ["decision": "NO", "reason": .string(reason)]),
            ])
        }
        let fresh = try ledger.open(engine: Self.laterEngine())
        #expect(try fresh.candidate(sha)?.runCount == 20)
        #expect(try fresh.candidateHistory(sha)?.runs.count == 20)
        #expect(try Self.snapshotBytes(ledger.path, sha) < 300_000)
        _ = try fresh.append([Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "x"])])
        #expect(try fresh.production().openRun?.run == 21)
    }

    @Test func theRulesViewKeepsTheLastDecidedRunAndTheOpenOne() throws {
        let ledger = TemporaryLedger()
        let store = try Self.replayed(3, in: ledger)
        _ = try store.append([Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "open"])])
        let full = try #require(try store.candidateHistory(Fixtures.sha(1)))
        let view = full.rulesView()
        #expect(view.runs.map(\.number) == [3, 4])
        #expect(view.earlierRuns == 2)
        #expect(view.openRun?.number == 4)
        #expect(view.lastDecidedRun?.number == 3)
        #expect(try store.candidate(Fixtures.sha(1)) == view)
    }
}
