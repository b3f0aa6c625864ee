import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import Testing

@Suite(.enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checkNames)
    func conformance(_ check: String) async throws {
        try await TestPostgres.onThread {
            try EventStoreConformance { try TestPostgres.open(TestPostgres.freshDatabase()) }.run(check)
        }
    }

    @Test(arguments: LedgerConformance.checkNames)
    func ledgerConformance(_ check: String) async throws {
        try await TestPostgres.onThread {
            try LedgerConformance { try TestPostgres.open(TestPostgres.freshDatabase()) }.run(check)
        }
    }

    @Test(arguments: ConcurrentStoreConformance.checkNames)
    func concurrent(_ check: String) async throws {
        try await TestPostgres.onThread {
            try ConcurrentStoreConformance {
                let target = try TestPostgres.freshDatabase()
                return { try TestPostgres.open(target, engine: TestPostgres.sharedEngine()) }
            }.run(check)
        }
    }
}
