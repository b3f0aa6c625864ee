import EventStoreConformance
import Testing

@testable import ReleaseLedgerCore
@testable import ReleaseLedgerSQLite

/// The store's cross-call cache on its own: an entry is used only while the file still holds
/// what it was made from, and what a transaction saved counts only once it commits.
@Suite struct StoreCacheTests {
    static func entry(_ n: Int, newest: Int64, afterSnapshot: Int = 0) -> StoreCache.Candidate {
        var state = CandidateState(sha: Fixtures.sha(n))
        state.lastEvent = EventReference(position: newest, hash: String(repeating: "0", count: 64), at: Fixtures.start)
        return StoreCache.Candidate(state: state, eventsAfterSnapshot: afterSnapshot, newestPosition: newest)
    }

    @Test func aCandidateIsServedOnlyAtTheNewestPositionItWasMadeAt() {
        var cache = StoreCache()
        cache.remember(Self.entry(1, newest: 7))
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 7) == Self.entry(1, newest: 7))
        // Another process appended (even a note): the entry is stale and not served.
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 8) == nil)
        #expect(cache.candidate(Fixtures.sha(2), newestPosition: 7) == nil)
        // What the open transaction loaded is still there for `save` to compare with.
        #expect(cache.loaded(Fixtures.sha(1))?.newestPosition == 7)
        cache.forget(Fixtures.sha(1))
        #expect(cache.loaded(Fixtures.sha(1)) == nil)
    }

    @Test func stagedStatesCountOnlyOnceCommitted() {
        var cache = StoreCache()
        cache.beginTransaction()
        cache.stage(Self.entry(1, newest: 3, afterSnapshot: 3))
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 3) == nil)
        cache.commit()
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 3)?.eventsAfterSnapshot == 3)
        // A later transaction stages a newer state, then rolls back.
        cache.beginTransaction()
        cache.stage(Self.entry(1, newest: 5))
        cache.remember(Self.entry(2, newest: 4))  // loaded after the batch inserted rows of 2
        cache.rollBack(insertedFor: [Fixtures.sha(2)])
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 3) != nil)
        #expect(cache.candidate(Fixtures.sha(1), newestPosition: 5) == nil)
        #expect(cache.loaded(Fixtures.sha(2)) == nil)
        // A transaction that began drops what an unfinished one staged.
        cache.stage(Self.entry(3, newest: 9))
        cache.beginTransaction()
        cache.commit()
        #expect(cache.loaded(Fixtures.sha(3)) == nil)
    }

    @Test func productionIsServedOnlyForTheSameRow() {
        var cache = StoreCache()
        var state = ProductionState()
        state.openRun = ProductionState.RunPointer(sha: Fixtures.sha(1), run: 1)
        #expect(cache.production(position: 4, text: "{}", seal: "s") == nil)
        cache.remember(production: state, position: 4, text: "{}", seal: "s")
        #expect(cache.production(position: 4, text: "{}", seal: "s") == state)
        #expect(cache.production(position: 5, text: "{}", seal: "s") == nil)
        #expect(cache.production(position: 4, text: "{ }", seal: "s") == nil)
        #expect(cache.production(position: 4, text: "{}", seal: "t") == nil)
    }

    @Test func forgettingCandidatesKeepsProduction() {
        var cache = StoreCache()
        cache.remember(Self.entry(1, newest: 2))
        cache.remember(production: ProductionState(), position: 2, text: "{}", seal: "s")
        cache.forgetCandidates()
        #expect(cache.loaded(Fixtures.sha(1)) == nil)
        #expect(cache.production(position: 2, text: "{}", seal: "s") == ProductionState())
    }
}
