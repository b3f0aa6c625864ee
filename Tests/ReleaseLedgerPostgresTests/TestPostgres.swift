import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import Testing

import Foundation  // Thread

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The throwaway cluster `tools/postgres/cluster.sh start` made (its URL in
/// RELEASE_LEDGER_TEST_POSTGRES). Without it every PostgreSQL test is skipped, saying so; CI sets it.
enum TestPostgres {
    static let url: String? = getenv("RELEASE_LEDGER_TEST_POSTGRES").map { String(cString: $0) }.flatMap {
        $0.isEmpty ? nil : $0
    }
    static let available = url != nil
    static let skipReason: Comment =
        "skipped: RELEASE_LEDGER_TEST_POSTGRES is not set (start a cluster with tools/postgres/cluster.sh start)"

    static func server() throws -> PostgresTarget { try PostgresTarget(url: url!) }

    /// A new, empty database of its own (tests run in parallel), migrated by the cluster's superuser.
    static func freshDatabase() throws -> PostgresTarget {
        let server = try server()
        let name = "rl_" + RandomUUIDGenerator().next().replacingDashes()
        try PostgresDatabases.create(name, on: server)
        let target = server.database(name)
        var options = PostgresEventStore.Options()
        options.migrate = true
        _ = try PostgresEventStore(target: target, engine: Fixtures.engine(), options: options)
        return target
    }

    /// A writer waits up to a minute for the head lock: a loaded 2-core machine running the suite
    /// in parallel makes a 1,000-event batch hold it for seconds.
    static func open(_ target: PostgresTarget, engine: AppendEngine = Fixtures.engine()) throws -> PostgresEventStore {
        var options = PostgresEventStore.Options()
        options.busyTimeoutMilliseconds = 60_000
        return try PostgresEventStore(target: target, engine: engine, options: options)
    }

    /// Runs a test's body on a thread of its own. The bodies block on the database (synchronous
    /// stores): on Swift Testing's few cooperative threads they would wait for each other.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Connections of one ledger shared by threads: random event ids, as separate processes have.
    static func sharedEngine() -> AppendEngine { AppendEngine(clock: FixedClock(Fixtures.start)) }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
