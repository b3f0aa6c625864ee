import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerSQLite

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh folder per test, so tests run in parallel without sharing a database.
struct TemporaryLedger {
    let folder: String
    var path: String { folder + "/ledger.sqlite" }

    init() {
        folder = FileManager.default.temporaryDirectory.path + "/release-ledger-test-" + RandomUUIDGenerator().next()
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func open(engine: AppendEngine = Fixtures.engine(), create: Bool = true) throws -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.create = create
        options.synchronous = "NORMAL"
        return try SQLiteEventStore(path: path, engine: engine, options: options)
    }
}
