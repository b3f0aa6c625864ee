import EventStoreConformance
import ReleaseLedgerCore
import Testing

@Suite struct InMemoryStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checkNames)
    func conformance(_ check: String) throws {
        try EventStoreConformance { InMemoryEventStore(engine: Fixtures.engine()) }.run(check)
    }

    /// The in-memory store is a `Ledger` through the defaults a new store gets (`Ledger+Store`).
    @Test(arguments: LedgerConformance.checkNames)
    func ledgerConformance(_ check: String) throws {
        try LedgerConformance { InMemoryEventStore(engine: Fixtures.engine()) }.run(check)
    }
}
