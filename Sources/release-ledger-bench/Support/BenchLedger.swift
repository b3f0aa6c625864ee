import ReleaseLedgerCore
@_spi(Benchmarks) import ReleaseLedgerSQLite

/// Opening ledgers, filling them through the real append path, and events made ahead of time.
enum BenchLedger {
    /// The start of simulated time for every ledger the benchmark writes.
    static let start = Timestamp(rfc3339: "2024-01-01T00:00:00Z")!

    static func open(
        _ path: String, clock: any LedgerClock = SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)),
        create: Bool = true, synchronous: String = "FULL", merkleTree: Bool = true
    ) -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.create = create
        options.synchronous = synchronous
        options.maintainsMerkleTree = merkleTree
        do {
            return try SQLiteEventStore(path: path, engine: AppendEngine(clock: clock), options: options)
        } catch {
            Console.fail("\(error)")
        }
    }

    /// Opens an existing ledger for reading (its clock is never used).
    static func existing(_ path: String) -> SQLiteEventStore { open(path, create: false) }

    /// Appends a realistic history of at least `events` events, one pipeline step group per transaction.
    @discardableResult
    static func generate(path: String, events target: Int, synchronous: String = "OFF") -> Int {
        let clock = SimulatedClock(start: start)
        let store = open(path, clock: clock, synchronous: synchronous)
        var simulator = PipelineSimulator(start: clock.now())
        var written = (try? store.head().position).map(Int.init) ?? 0
        while written < target {
            for batch in simulator.next(now: clock.now()) {
                do { written += try store.append(batch).count } catch { Console.fail("generate: \(error)") }
            }
        }
        return written
    }

    /// Events made ahead of time, so only the append is timed. The store's clock steps one second per
    /// event, and each canary is stamped green an hour before the time its events will be recorded.
    static func pregenerated(_ count: Int) -> [ProposedEvent] {
        var simulator = PipelineSimulator(start: start)
        var events: [ProposedEvent] = []
        while events.count < count {
            events += simulator.next(now: start.adding(milliseconds: Int64(events.count) * 1000)).flatMap { $0 }
        }
        return events
    }
}
