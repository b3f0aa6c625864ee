import NIOConcurrencyHelpers
import NIOPosix
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// The one place the server chooses its store: the SQLite file, one write connection (owned by
/// `GroupCommitWriter`) and a pool of read-only connections that run beside it (WAL).
final class LedgerStores: Sendable {
    let path: String
    let engine: AppendEngine
    let busyTimeoutMilliseconds: Int
    private let idleReaders = NIOLockedValueBox<[ReaderBox]>([])

    /// A reader is used by one thread at a time: taken from the pool, used, put back.
    private final class ReaderBox: @unchecked Sendable {
        let store: SQLiteEventStore
        init(_ store: SQLiteEventStore) { self.store = store }
    }

    init(path: String, busyTimeoutMilliseconds: Int) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        engine = AppendEngine(clock: SystemClock())
    }

    /// Opens (creating and migrating when needed) the file for the one writer.
    func openWriter() throws(LedgerError) -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.create = true
        options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        return try SQLiteEventStore(path: path, engine: engine, options: options)
    }

    /// Runs `body` on a read-only connection, off the event loops.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteEventStore) throws(LedgerError) -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { () throws -> T in
            let reader = try self.idleReaders.withLockedValue { $0.popLast() } ?? ReaderBox(self.openReader())
            defer { self.idleReaders.withLockedValue { if $0.count < 8 { $0.append(reader) } } }
            return try body(reader.store)
        }
    }

    private func openReader() throws(LedgerError) -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.readOnly = true
        options.migrate = false
        options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        return try SQLiteEventStore(path: path, engine: engine, options: options)
    }
}

/// What one request may send: the command line's `InputLimits`, and how long a connection may idle.
struct ServerLimits: Sendable {
    var input = InputLimits.standard
    var idleTimeoutSeconds: Int64 = 30
}
