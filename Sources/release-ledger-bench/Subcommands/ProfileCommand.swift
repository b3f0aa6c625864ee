import ArgumentParser
import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// `profile KIND DB N`: a fixed amount of one workload's work, for valgrind --tool=callgrind or perf.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "A fixed amount of one workload's work, to run under a profiler.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case append, single, batch, verify, fold
        case singleWithoutTree = "single-no-tree"
    }

    @Argument(
        help: """
            append (generate), single (W1), single-no-tree (W1 without the Merkle tree), batch (W2), \
            verify (W5) or fold (W4, states only).
            """)
    var kind: Kind
    @Argument(help: "The ledger file.") var db: String
    @Argument(help: "How many events (append, single, batch).") var count: Int = 1000

    func run() {
        switch kind {
        case .append: BenchLedger.generate(path: db, events: count)
        case .single: singleEventAppends(merkleTree: true)
        case .singleWithoutTree: singleEventAppends(merkleTree: false)
        case .batch:
            // W2's path: the pregenerated events, 100 per transaction (synchronous off).
            let store = BenchLedger.open(
                db, clock: SimulatedClock(start: BenchLedger.start, stepSeconds: 1), synchronous: "OFF")
            let events = BenchLedger.pregenerated(count)
            for start in stride(from: 0, to: count, by: 100) {
                _ = try? store.append(Array(events[start..<min(start + 100, count)]))
            }
        case .verify: _ = try? BenchLedger.existing(db).verify(anchor: nil)
        case .fold: _ = try? BenchLedger.existing(db).foldAll()
        }
    }

    /// W1's path: one event per transaction (synchronous off, so the profile shows our CPU, not fsync).
    private func singleEventAppends(merkleTree: Bool) {
        let clock = SimulatedClock(start: BenchLedger.start, stepSeconds: 1)
        let store = BenchLedger.open(db, clock: clock, synchronous: "OFF", merkleTree: merkleTree)
        var simulator = PipelineSimulator(start: clock.now())
        var written = 0
        while written < count {
            let now = Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch - 1000)
            for event in simulator.next(now: now).flatMap({ $0 }) {
                _ = try? store.append([event])
                written += 1
            }
        }
    }
}
