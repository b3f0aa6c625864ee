import ReleaseLedgerCore
import ReleaseLedgerPostgres
import ReleaseLedgerSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// W12: `status`, `show SHA` and `at TIME` on PostgreSQL, the same query mix as W6 on SQLite, on a
/// small and a large ledger: their p50 must stay flat as the ledger grows. Each ledger is the
/// benchmark's generated SQLite ledger copied into a database of its own (`copy`, so the events,
/// positions and hashes are the same); a database already holding that copy is reused.
struct AuditQueriesOnPostgres {
    let server: PostgresTarget
    let small: String
    let big: String

    func run() -> [String] {
        let smallStore = prepare(small)
        let bigStore = prepare(big)
        let smallCount = (try? smallStore.head().position) ?? 0
        let bigCount = (try? bigStore.head().position) ?? 0
        let q1 = measure(smallStore)
        let q2 = measure(bigStore)
        return [("status", q1.status, q2.status), ("show SHA", q1.show, q2.show), ("at TIME", q1.at, q2.at)].map {
            name, s, b in
            let flat = b.median < max(0.5, s.median * 3)
            return
                "| W12 \(name) p50 ms on PostgreSQL (\(smallCount) → \(bigCount) events) | \(format(s.median)) → \(format(b.median)) | - | - | flat | \(flat ? "yes" : "**no**") |"
        }
    }

    /// The SQLite ledger at `path` copied into database `rl_bench_<events>`.
    func prepare(_ path: String) -> PostgresEventStore {
        let engine = AppendEngine(clock: UnusedClock())
        do {
            var options = SQLiteEventStore.Options()
            options.readOnly = true
            let source = try SQLiteEventStore(path: path, engine: engine, options: options)
            let head = try source.head()
            let name = "rl_bench_\(head.position)"
            let target = server.database(name)
            if let existing = try? PostgresEventStore(target: target, engine: engine), (try? existing.head()) == head {
                return existing
            }
            try PostgresDatabases.drop(name, on: server)
            try PostgresDatabases.create(name, on: server)
            var migrate = PostgresEventStore.Options()
            migrate.migrate = true
            let store = try PostgresEventStore(target: target, engine: engine, options: migrate)
            let start = Clock.milliseconds()
            let report = try LedgerCopy.copy(from: source, to: store, pageSize: 8192)
            printError("copied \(report.copied) events into \(target) in \(Int(Clock.milliseconds() - start)) ms\n")
            try PostgresDatabases.execute("VACUUM ANALYZE", on: target)
            return store
        } catch {
            printError("release-ledger-bench-postgres: \(error)\n")
            exit(1)
        }
    }

    /// The W6 query mix, 200 times.
    func measure(_ store: PostgresEventStore) -> (status: Stats, show: Stats, at: Stats) {
        let shas = (try? store.latestDecisions(limit: 50).map(\.sha)) ?? []
        let headPosition = (try? store.head().position) ?? 0
        let last =
            (try? store.events(EventQuery(afterPosition: max(0, headPosition - 1))).first?.recordedAt)
            ?? Timestamp(millisecondsSinceEpoch: 0)
        var status: [Double] = []
        var show: [Double] = []
        var at: [Double] = []
        for i in 0..<200 {
            var t0 = Clock.milliseconds()
            let production = try? store.production()
            _ = try? store.latestDecisions(limit: 5)
            if let open = production?.openRun, let candidate = try? store.candidate(open.sha) {
                _ = GateTable.evaluate(candidate, run: candidate.openRun)
            }
            status.append(Clock.milliseconds() - t0)
            t0 = Clock.milliseconds()
            let sha = shas.isEmpty ? "" : shas[i % shas.count]
            _ = try? store.candidate(sha)
            _ = try? store.events(EventQuery(sha: sha))
            show.append(Clock.milliseconds() - t0)
            t0 = Clock.milliseconds()
            let moment = last.adding(milliseconds: -Int64(i) * 3_600_000)
            if let position = try? store.lastPosition(atOrBefore: moment) {
                _ = try? store.liveRun(atOrBeforePosition: position)
                _ = try? store.openRun(atPosition: position)
            }
            at.append(Clock.milliseconds() - t0)
        }
        return (Stats(status), Stats(show), Stats(at))
    }

    func format(_ value: Double) -> String { String((value * 1000).rounded() / 1000) }
}

/// The benchmark's stores only read and copy: their engine never stamps an event.
struct UnusedClock: LedgerClock {
    func now() -> Timestamp { Timestamp(millisecondsSinceEpoch: 0) }
}

struct Stats {
    let samples: [Double]
    init(_ samples: [Double]) { self.samples = samples.sorted() }
    var median: Double { samples.isEmpty ? 0 : samples[samples.count / 2] }
}

enum Clock {
    static func milliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }
}
