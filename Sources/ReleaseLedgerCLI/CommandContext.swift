import ReleaseLedgerCore
import ReleaseLedgerSQLite
import SecretScanning

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Everything a command touches outside itself: environment, working directory, clock, ids,
/// standard input and output. The executable passes the real ones; tests pass their own.
public struct CommandContext: Sendable {
    public var environment: [String: String]
    public var currentDirectory: String
    public var clock: any LedgerClock
    public var ids: any EventIDGenerator
    public var console: Console
    public var readStandardInput: @Sendable () -> [UInt8]
    /// Reads at most the given number of bytes of standard input: an endless producer must not
    /// fill memory before the size limit is checked. Defaults to a prefix of `readStandardInput`.
    public var readStandardInputUpTo: @Sendable (Int) -> [UInt8]
    /// Opens `--postgres` ledgers; nil in `release-ledger`, which hands such command lines over
    /// to `release-ledger-postgres` (`PostgresHandOff`) before parsing them.
    public var postgres: (any LedgerOpening)?

    public init(
        environment: [String: String], currentDirectory: String, clock: any LedgerClock,
        ids: any EventIDGenerator = RandomUUIDGenerator(),
        console: Console, readStandardInput: @escaping @Sendable () -> [UInt8] = { [] },
        readStandardInputUpTo: (@Sendable (Int) -> [UInt8])? = nil
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.clock = clock
        self.ids = ids
        self.console = console
        self.readStandardInput = readStandardInput
        self.readStandardInputUpTo = readStandardInputUpTo ?? { limit in Array(readStandardInput().prefix(limit)) }
    }

    /// The ledger file: `--db`, else `RELEASE_LEDGER_DB`, else `.release-ledger/ledger.sqlite` here.
    func ledgerPath(_ option: String?) -> String {
        let path =
            option ?? environment["RELEASE_LEDGER_DB"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ".release-ledger/ledger.sqlite"
        return path.hasPrefix("/") ? path : currentDirectory + "/" + path
    }

    /// The one place a ledger is chosen: every command reads and writes through the `Ledger` it
    /// returns: a server's (`--server`, else `RELEASE_LEDGER_URL`), else the PostgreSQL database
    /// named by `--postgres` (or `RELEASE_LEDGER_POSTGRES` when no `--db` is given), else the SQLite
    /// file named by `--db` (see `openSQLiteLedger`).
    /// `events`, when given, are what the caller is about to append: see `openSQLiteLedger`.
    func openLedger(_ options: LedgerSettings, for access: LedgerAccess, toAppend events: [ProposedEvent] = [])
        throws(LedgerError) -> any Ledger
    {
        if let url = try serverURL(options) {
            let client = ServerClient(
                baseURL: url, credential: ServerCredential(environment: environment),
                caFile: environment["RELEASE_LEDGER_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 },
                retryBudgetMilliseconds: try options.busyTimeoutMilliseconds(environment))
            return RemoteLedger(client: client)
        }
        if let url = try postgresURL(options) {
            return try openLedger(
                at: url, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds(environment), for: access)
        }
        return try openSQLiteLedger(at: ledgerPath(options.db), options, for: access, toAppend: events)
    }

    /// The server to speak to, if any; `--db` names a file, so the two do not combine.
    func serverURL(_ options: LedgerSettings) throws(LedgerError) -> String? {
        guard let url = options.server ?? environment["RELEASE_LEDGER_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return nil
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .usage("the server URL must start with http:// or https://, not '\(url)'")
        }
        if options.db != nil, options.server != nil {
            throw .usage("--db and --server cannot be combined: one names a file, the other a server")
        }
        return options.db == nil ? url : nil
    }

    /// The PostgreSQL URL the options and environment name, if any.
    func postgresURL(_ options: LedgerSettings) throws(LedgerError) -> String? {
        if let url = options.postgres {
            guard options.db == nil else { throw .usage("--db and --postgres name two ledgers; give one of them") }
            return url
        }
        guard options.db == nil, let url = environment["RELEASE_LEDGER_POSTGRES"], !url.isEmpty else { return nil }
        return url
    }

    /// A ledger named by a path or a postgres:// URL (`copy`'s --from and --to).
    func openLedger(at location: String, busyTimeoutMilliseconds: Int, for access: LedgerAccess) throws(LedgerError)
        -> any Ledger
    {
        guard location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") else {
            let options = LedgerSettings(db: location, busyTimeout: busyTimeoutMilliseconds)
            return try openSQLiteLedger(at: ledgerPath(location), options, for: access)
        }
        guard let postgres else {
            throw .storage(
                """
                PostgreSQL ledgers are opened by release-ledger-postgres, installed beside release-ledger; it is \
                missing
                """
            )
        }
        let engine = access == .reading ? nil : AppendEngine(clock: clock, ids: ids)
        return try postgres.open(
            url: location, engine: engine, migrate: access == .initializing,
            busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// The SQLite file. Writers create it (and its folder) when missing; readers need it to exist
    /// and open it without an append engine. A file is created for `events` only if the ledger
    /// would take them: they are first appended to an empty ledger in memory (the same engine and
    /// rules), so refused input never leaves a new, empty ledger file behind.
    func openSQLiteLedger(
        at path: String, _ options: LedgerSettings, for access: LedgerAccess, toAppend events: [ProposedEvent] = []
    ) throws(LedgerError) -> SQLiteEventStore {
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, (info.st_mode & S_IFMT) == S_IFDIR { throw .storage("\(path) is a directory, not a ledger file") }
        // A device or FIFO is never a ledger, and SQLite would create `<path>-journal` beside it (/dev/null-journal).
        if exists, (info.st_mode & S_IFMT) != S_IFREG {
            throw .storage("\(path) is not a regular file, so it cannot be a ledger")
        }
        if !exists {
            guard access != .reading else {
                throw .storage("no ledger at \(path); run `release-ledger init` or append an event first")
            }
            if !events.isEmpty {
                // Its own clock and ids: the trial must not use up the real append's (a test's clock ticks per read).
                _ = try InMemoryEventStore(engine: AppendEngine(clock: SystemClock())).append(events)
            }
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            if !folder.isEmpty {
                do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch
                {
                    throw .storage("cannot create the folder \(folder): \(error)")
                }
            }
        }
        var storeOptions = SQLiteEventStore.Options()
        storeOptions.busyTimeoutMilliseconds = try options.busyTimeoutMilliseconds(environment)
        if let synchronous = environment["RELEASE_LEDGER_SYNCHRONOUS"], !synchronous.isEmpty {
            storeOptions.synchronous = synchronous
        }
        switch access {
        case .reading:
            return try SQLiteEventStore(readingAt: path, options: storeOptions)
        case .writing, .initializing:
            storeOptions.create = true
            return try SQLiteEventStore(path: path, engine: AppendEngine(clock: clock, ids: ids), options: storeOptions)
        }
    }
}

/// What a command does with the ledger: reading opens it without an append engine and never
/// creates, migrates or changes it; initializing (`init`, `copy`'s destination) also creates or
/// upgrades a PostgreSQL schema, which only its owner role may (a file is migrated by any writer).
enum LedgerAccess {
    case reading, writing, initializing
}

/// Where output goes. Thread-safe, so tests can capture it.
public final class Console: Sendable {
    let writeOut: @Sendable (String) -> Void
    let writeErr: @Sendable (String) -> Void
    public let isTerminal: Bool

    public init(
        isTerminal: Bool = false, out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void
    ) {
        writeOut = out
        writeErr = err
        self.isTerminal = isTerminal
    }

    public func line(_ text: String) { writeOut(text + "\n") }
    /// Error lines quote input back; whatever the secret scanner would refuse is printed as `[redacted]`.
    public func error(_ text: String) { writeErr(SecretScanner.redactingSecrets(in: text) + "\n") }
}

/// The system clock, read only at the edge.
public struct SystemClock: LedgerClock {
    public init() {}
    public func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(millisecondsSinceEpoch: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }
}
