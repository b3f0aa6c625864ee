import EventStoreConformance
import ReleaseLedgerCore
import Testing

@Suite struct InMemoryStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checkNames)
    func conformance(_ check: String) throws {
        try EventStoreConformance { InMemoryEventStore(engine: Fixtures.engine()) }.run(check)
    }
}
