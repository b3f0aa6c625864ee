import NIOConcurrencyHelpers
import NIOPosix
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import ReleaseLedgerSQLite

/// The one place the server chooses its store: a SQLite file (one write connection, owned by
/// `GroupCommitWriter`, and a pool of read-only connections beside it, WAL) or a PostgreSQL
/// database (the same, as connections; several servers may share the database).
final class LedgerStores: Sendable {
    enum Backend: Sendable {
        case sqlite(path: String)
        /// The URL as given (the command runner opens it again) and as parsed.
        case postgres(url: String, target: PostgresTarget)
    }

    let backend: Backend
    let engine: AppendEngine
    let busyTimeoutMilliseconds: Int
    private let idleReaders = NIOLockedValueBox<[ReaderBox]>([])

    /// A reader is used by one thread at a time: taken from the pool, used, put back.
    private final class ReaderBox: @unchecked Sendable {
        let store: any Ledger
        init(_ store: any Ledger) { self.store = store }
    }

    init(_ backend: Backend, busyTimeoutMilliseconds: Int) {
        self.backend = backend
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        engine = AppendEngine(clock: SystemClock())
    }

    /// Opens the store for the one writer: a SQLite file is created and migrated when needed; a
    /// PostgreSQL ledger must exist (`release-ledger init --postgres URL`, run by its owner role).
    func openWriter() throws(LedgerError) -> any GroupCommitStore {
        switch backend {
        case .sqlite(let path):
            var options = SQLiteEventStore.Options()
            options.create = true
            options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            return try SQLiteEventStore(path: path, engine: engine, options: options)
        case .postgres(_, let target):
            return try PostgresEventStore(target: target, engine: engine, options: postgresOptions)
        }
    }

    /// Runs `body` on a read-only connection, off the event loops.
    func read<T: Sendable>(_ body: @escaping @Sendable (any Ledger) throws(LedgerError) -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { () throws -> T in
            let reader = try self.idleReaders.withLockedValue { $0.popLast() } ?? ReaderBox(self.openReader())
            defer { self.idleReaders.withLockedValue { if $0.count < 8 { $0.append(reader) } } }
            return try body(reader.store)
        }
    }

    private func openReader() throws(LedgerError) -> any Ledger {
        switch backend {
        case .sqlite(let path):
            var options = SQLiteEventStore.Options()
            options.readOnly = true
            options.migrate = false
            options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            return try SQLiteEventStore(path: path, engine: engine, options: options)
        case .postgres(_, let target):
            return try PostgresEventStore(readingAt: target, options: postgresOptions)
        }
    }

    private var postgresOptions: PostgresEventStore.Options {
        var options = PostgresEventStore.Options()
        options.busyTimeoutMilliseconds = max(1, busyTimeoutMilliseconds)
        return options
    }

    /// The environment that points an in-process command (`CommandRunner`) at this ledger.
    var commandEnvironment: [String: String] {
        switch backend {
        case .sqlite(let path): ["RELEASE_LEDGER_DB": path]
        case .postgres(let url, _): ["RELEASE_LEDGER_POSTGRES": url]
        }
    }
}

/// What the group-commit writer needs of a store; both engines commit a group in one transaction.
protocol GroupCommitStore: AnyObject {
    func appendValidatedGroup(_ batches: [[ProposedEvent]]) throws(LedgerError) -> [Result<
        [AppendReceipt], LedgerError
    >]
    func rebuildReadModel() throws(LedgerError) -> Int
}

extension SQLiteEventStore: GroupCommitStore {}
extension PostgresEventStore: GroupCommitStore {}

/// What one request may send: the command line's `InputLimits`, and how long a connection may idle.
struct ServerLimits: Sendable {
    var input = InputLimits.standard
    var idleTimeoutSeconds: Int64 = 30
}
