import ReleaseLedgerSQLite

#if canImport(Glibc)
import Glibc
#endif

/// What the workloads of one `run` share: the scale, the programs compared, the ledgers, the table.
final class BenchRun {
    /// Every workload, in the order the table lists them.
    static let workloads: [any Workload] = [
        DurableAppend(), BatchAppend(), ConcurrentWriters(), Rebuild(), Verify(), AuditQueries(), CIStep(),
        PeakMemory(), LongLivedCandidate(), Transparency(),
    ]

    struct Programs {
        var baseline: String
        var cli: String
        var cliDynamic: String?
        var stress: String
        /// W7's floors: one INSERT from a minimal static Swift program, and an empty static Swift program.
        var floorAppend: String?
        var floorEmpty: String?
        /// This executable, run again as the child of W4 and W8.
        var bench: String
    }

    let tiny: Bool
    let work: String
    let programs: Programs
    /// Runs per figure: 3 for the long workloads, and 7 for the append ones (W1-W3), which take
    /// seconds and where fsync makes single runs noisy.
    let repeats: Int
    let appendRepeats: Int
    let largeEvents: Int
    let smallEvents: Int
    var table = ResultTable()
    /// W4's child's peak memory, for W8's row (0 when W4 did not run).
    var foldPeakKiB = 0

    init(tiny: Bool, work: String, largeEvents: Int?, programs: Programs) {
        self.tiny = tiny
        self.work = work
        self.programs = programs
        self.largeEvents = largeEvents ?? (tiny ? 3_000 : 1_000_000)
        smallEvents = tiny ? 1_000 : 10_000
        repeats = tiny ? 1 : 3
        appendRepeats = tiny ? 1 : 7
    }

    /// A path in the work directory for a new, empty ledger.
    func fresh(_ name: String) -> String {
        let path = "\(work)/\(name).sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        return path
    }

    /// The large ledger of W4-W8, its copy for the C baseline and the small ledger, made when first asked for.
    lazy var ledgers: Ledgers = Ledgers(self)

    struct Ledgers {
        let large: String
        /// The C baseline writes rows without the chain: it gets its own copy, never the ledger itself.
        let largeForBaseline: String
        let small: String
        let largeStore: SQLiteEventStore
        let largeCount: Double

        init(_ bench: BenchRun) {
            large = "\(bench.work)/big-\(bench.largeEvents).sqlite"
            largeForBaseline = "\(bench.work)/big-\(bench.largeEvents)-baseline.sqlite"
            small = "\(bench.work)/small-\(bench.smallEvents).sqlite"
            if bench.tiny {  // seconds to remake
                for name in [
                    "big-\(bench.largeEvents)", "big-\(bench.largeEvents)-baseline", "small-\(bench.smallEvents)",
                ] {
                    _ = bench.fresh(name)
                }
            }
            if access(large, F_OK) != 0 {
                let start = MonotonicClock.milliseconds()
                let count = BenchLedger.generate(path: large, events: bench.largeEvents)
                Console.err("generated \(count) events in \(Int(MonotonicClock.milliseconds() - start)) ms")
            }
            if access(largeForBaseline, F_OK) != 0 {
                _ = ChildProcess.run("/bin/cp", [large, largeForBaseline])
                // The copy's dirty pages must not land on the baseline's first fsync.
                _ = ChildProcess.run("/bin/sync", [])
            }
            if access(small, F_OK) != 0 { BenchLedger.generate(path: small, events: bench.smallEvents) }
            largeStore = BenchLedger.existing(large)
            largeCount = Double((try? largeStore.head().position) ?? 0)
        }
    }
}
