import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// `appendValidatedGroup`: the server's group commit. Batches share one transaction, each is
/// ruled after the ones before it, and a refused batch is rolled back alone.
@Suite struct GroupCommitTests {
    @Test func aRefusedBatchLeavesTheOthersOfItsGroupRecorded() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        let promotion = Fixtures.cleanPromotion(1)
        // Deploying before acceptance is refused by a rule; the freeze before it and the note after it stand.
        let results = try store.appendValidatedGroup([
            [promotion[0]],
            [
                Fixtures.event(
                    .deployRecorded, 1,
                    ["app": "api", "image": .string(Fixtures.digest("api", 1)), "outcome": "succeeded"])
            ],
            [Fixtures.note(1, "after the refusal")],
        ])
        #expect(results.count == 3)
        #expect(try results[0].get().first?.position == 1)
        guard case .failure(.refused) = results[1] else {
            Issue.record("the deploy before acceptance was not refused: \(results[1])")
            return
        }
        #expect(try results[2].get().first?.position == 2)
        #expect(try store.head().position == 2)
        #expect(try store.verify(anchor: nil).isIntact)
    }

    @Test func laterBatchesOfAGroupAreRuledAfterTheEarlierOnes() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        // A whole promotion, one event per batch, in one group: each gate sees the events before it.
        let results = try store.appendValidatedGroup(Fixtures.cleanPromotion(2).map { [$0] })
        for result in results { _ = try result.get() }
        #expect(try store.head().position == 12)
        #expect(try store.candidate(Fixtures.sha(2))?.runs.last?.decision?.decision == .yes)
        // A second process (no cache) folds the same state the group left.
        let reader = try ledger.open()
        #expect(try reader.candidate(Fixtures.sha(2)) == store.candidate(Fixtures.sha(2)))
        #expect(try store.verify(anchor: nil).isIntact)
    }

    @Test func theSameIDTwiceInOneGroupIsRecordedOnce() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        let note = Fixtures.note(3, "retried", id: "step-1")
        let results = try store.appendValidatedGroup([[note], [note]])
        #expect(try results[0].get().first?.status == .recorded)
        #expect(try results[1].get().first?.status == .alreadyRecorded)
        #expect(try store.head().position == 1)
    }
}
