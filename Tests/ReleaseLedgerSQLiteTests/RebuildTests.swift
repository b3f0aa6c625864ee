import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

@Suite struct RebuildTests {
    /// Three promotions, a NO, a replay and a rollback through the real append path.
    static func busyLedger(engine: AppendEngine = Fixtures.engine()) throws -> SQLiteEventStore {
        let store = try TemporaryLedger().open(engine: engine)
        _ = try store.append(Fixtures.cleanPromotion(1))
        _ = try store.append(Fixtures.cleanPromotion(2))
        _ = try store.append(Fixtures.promotionFailingBrowserSmoke(3))
        _ = try store.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "errors after 2"])])
        _ = try store.append(Array(Fixtures.cleanPromotion(1)[4...]))
        _ = try store.append([Fixtures.event(.replayRequested, 1, ["mode": "replay", "reason": "again"])])
        _ = try store.append([Fixtures.note(4, "a note")])
        return store
    }

    @Test func rebuildEqualsIncremental() throws {
        let store = try Self.busyLedger()
        let incremental = try store.readModelSnapshot()
        #expect(incremental.count > 5)
        try store.rebuildReadModel()
        #expect(try store.readModelSnapshot() == incremental)
    }

    @Test func artifactsFromTheReadModelEqualAFoldFromNothing() throws {
        let store = try Self.busyLedger()
        var fold = LedgerFold()
        for event in try store.events(EventQuery()) { try fold.apply(event) }
        #expect(fold.production == (try store.production()))
        for sha in try store.candidateSHAs() {
            #expect(try store.candidate(sha) == fold.candidates[sha]?.rulesView())
            let incremental = try #require(try store.candidateHistory(sha))
            let rebuilt = try #require(fold.candidates[sha])
            #expect(rebuilt == incremental)
            for run in [nil] + incremental.runs.map(\.number) as [Int?] {
                #expect(try Artifacts.files(for: rebuilt, run: run) == Artifacts.files(for: incremental, run: run))
            }
        }
    }

    @Test func rebuildRepairsADamagedReadModel() throws {
        let store = try Self.busyLedger()
        let good = try store.readModelSnapshot()
        // What a hand edit could do to the read model, its guards dropped; the events stay as they are.
        try LedgerShell.edit(store.path, "DELETE FROM runs; UPDATE candidates SET open_run = 99;")
        #expect(try store.readModelSnapshot() != good)
        try store.rebuildReadModel()
        #expect(try store.readModelSnapshot() == good)
        #expect(try store.readModelProblem() == nil)
        // The guards are back.
        #expect(try SQLiteShell.execute(store.path, "DELETE FROM runs;").status != 0)
    }
}
