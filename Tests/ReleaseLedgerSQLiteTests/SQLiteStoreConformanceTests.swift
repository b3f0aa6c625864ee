import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct SQLiteStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checkNames)
    func conformance(_ check: String) throws {
        try EventStoreConformance { try TemporaryLedger().open() }.run(check)
    }

    /// Several connections (as several processes have) to one file: the recorder cases.
    @Test(arguments: ConcurrentStoreConformance.checkNames)
    func concurrent(_ check: String) throws {
        try ConcurrentStoreConformance {
            let ledger = TemporaryLedger()
            _ = try ledger.open()
            return { try ledger.open(engine: AppendEngine(clock: FixedClock(Fixtures.start)), create: false) }
        }.run(check)
    }

    @Test(arguments: LedgerConformance.checkNames)
    func ledgerConformance(_ check: String) throws {
        try LedgerConformance { try TemporaryLedger().open() }.run(check)
    }

    /// A ledger opened for reading has no append engine: it refuses to append, and opening a
    /// missing or empty file creates and migrates nothing.
    @Test func readingLedgerNeverWrites() throws {
        let ledger = TemporaryLedger()
        #expect(throws: LedgerError.self) { try SQLiteEventStore(readingAt: ledger.path) }
        #expect(!FileManager.default.fileExists(atPath: ledger.path))
        _ = try ledger.open().append(Fixtures.cleanPromotion(1))
        let reader = try SQLiteEventStore(readingAt: ledger.path)
        #expect(try reader.head().position == 12)
        #expect(try reader.status(recentDecisions: 1).production.live?.sha == Fixtures.sha(1))
        #expect(throws: LedgerError.usage("\(ledger.path) was opened for reading; nothing was appended")) {
            try reader.append([Fixtures.note(1, "no")])
        }
        #expect(try reader.head().position == 12)
    }

    @Test func bothBackendsWriteTheSameChain() throws {
        let memory = InMemoryEventStore(engine: Fixtures.engine())
        let sqlite = try TemporaryLedger().open()
        for store in [memory, sqlite] as [any EventStore] {
            _ = try store.append(Fixtures.cleanPromotion(1))
            _ = try store.append([Fixtures.note(2, "ü ☃ \"quoted\" \\ tab\t")])
        }
        #expect(try memory.events(EventQuery()) == sqlite.events(EventQuery()))
        #expect(try memory.head() == sqlite.head())
        #expect(try memory.candidate(Fixtures.sha(1)) == sqlite.candidate(Fixtures.sha(1)))
    }

    @Test func reopeningKeepsEverything() throws {
        let ledger = TemporaryLedger()
        do {
            let store = try ledger.open()
            _ = try store.append(Fixtures.cleanPromotion(1))
        }
        let reopened = try ledger.open(create: false)
        #expect(try reopened.head().position == 12)
        #expect(try reopened.verify(anchor: nil).isIntact)
        #expect(try reopened.production().live?.sha == Fixtures.sha(1))
    }
}
