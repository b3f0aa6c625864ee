import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// W7: the whole CI step (start, open the ledger, append one event, exit) as separate processes,
/// on the large ledger and on a new one, beside three floors run in the same loop: the C baseline
/// (one insert through the SQLite C API), the same insert from a minimal static Swift program
/// (`bench-floor-append`: Swift's own floor), and, for start-up alone, `--version` beside an
/// empty static Swift program (`bench-floor-empty`).
struct CIStep: Workload {
    let names: Set<String> = ["W7"]

    /// One program's samples, in milliseconds: wall time, and CPU time (user + system), which a
    /// shared machine's slow fsyncs do not blur.
    struct Side {
        var path: String
        var arguments: (Int) -> [String]
        var samples: [Double] = []
        var cpuSamples: [Double] = []

        mutating func measure(_ iteration: Int, what: String) {
            let child = ChildProcess.run(path, arguments(iteration))
            if child.status != 0 { Console.fail("W7: \(what) exited \(child.status)") }
            samples.append(child.milliseconds)
            cpuSamples.append(child.cpuMilliseconds)
        }

        var stats: Stats { Stats(samples: samples) }
        var cpu: Stats { Stats(samples: cpuSamples) }
    }

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        let programs = bench.programs
        // 41 rounds: a process takes 2-8 ms here and the machine's noise is of that order.
        let runs = bench.tiny ? 3 : 41
        let sha = CIStep.noteSHA
        let pid = getpid()
        let newLedger = bench.fresh("w7-new")
        let newBaseline = bench.fresh("w7-new-baseline")
        let verbLedger = bench.fresh("w7-verb")
        var sides: [String: Side] = [
            "ledger large": Side(path: programs.cli) { CIStep.append(ledgers.large, sha: sha, data: "{\"i\":\($0)}") },
            "ledger new": Side(path: programs.cli) { CIStep.append(newLedger, sha: sha, data: "{\"i\":\($0)}") },
            "C large": Side(path: programs.baseline) { ["w7", ledgers.largeForBaseline, "1", "w7-\($0)-\(pid)"] },
            "C new": Side(path: programs.baseline) { ["w7", newBaseline, "1", "w7-\($0)-\(pid)"] },
            "version": Side(path: programs.cli) { _ in ["--version"] },
            "verb new": Side(path: programs.cli) { _ in CIStep.approve(verbLedger, sha: sha) },
        ]
        CIStep.freezeAndAccept(verbLedger, sha: sha, cli: programs.cli)
        if let floor = programs.floorAppend {
            sides["floor large"] = Side(path: floor) { [ledgers.largeForBaseline, "floor-\($0)-\(pid)"] }
            sides["floor new"] = Side(path: floor) { [newBaseline, "floor-\($0)-\(pid)"] }
        }
        if let empty = programs.floorEmpty { sides["empty"] = Side(path: empty) { _ in [] } }
        if let dynamic = programs.cliDynamic {
            sides["dynamic large"] = Side(path: dynamic) {
                CIStep.append(ledgers.large, sha: sha, data: "{\"d\":\($0)}")
            }
            sides["dynamic new"] = Side(path: dynamic) { CIStep.append(newLedger, sha: sha, data: "{\"d\":\($0)}") }
            sides["dynamic version"] = Side(path: dynamic) { _ in ["--version"] }
        }
        // One warm-up each (it also makes the new ledgers), so every side starts with the same page
        // cache; then the sides take turns, so a slow moment of the machine hits them all.
        let order = sides.keys.sorted()
        for key in order { sides[key]!.measure(-1, what: key) }
        for key in order {
            sides[key]!.samples = []
            sides[key]!.cpuSamples = []
        }
        for iteration in 0..<runs {
            for key in order { sides[key]!.measure(iteration, what: key) }
        }
        report(sides, bench: bench, largeEvents: Int(ledgers.largeCount))
    }

    private func report(_ sides: [String: Side], bench: BenchRun, largeEvents: Int) {
        func row(_ name: String, _ key: String, _ baseKey: String, _ baseName: String, goal: Double?) {
            guard let side = sides[key]?.stats, let base = sides[baseKey]?.stats else { return }
            bench.table.row(
                name, ResultTable.spread(side, 2), ResultTable.spread(base, 2) + " (\(baseName))",
                ResultTable.ratio(side.median, base.median), goal.map { "≤ \($0)x" } ?? "reported",
                goal.map { side.median / base.median <= $0 })
        }
        let large = "\(largeEvents)-event ledger"
        let new = "new ledger"
        row(
            "W7 CI step: start, open, append one, exit (ms), static stdlib, \(large)", "ledger large", "C large", "C",
            goal: 2.5)
        row(
            "W7 the same, \(large), vs a minimal static Swift program", "ledger large", "floor large", "Swift floor",
            goal: 1.25)
        row(
            "W7 the same, \(new), vs a minimal static Swift program", "ledger new", "floor new", "Swift floor",
            goal: 1.25)
        row(
            "W7 a pipeline verb (`approve`), \(new), vs a minimal static Swift program", "verb new", "floor new",
            "Swift floor", goal: 1.25)
        row("W7 Swift runtime linked dynamically, \(large)", "dynamic large", "floor large", "Swift floor", goal: nil)
        row("W7 Swift runtime linked dynamically, \(new)", "dynamic new", "floor new", "Swift floor", goal: nil)
        row("W7 the minimal static Swift program itself, \(large)", "floor large", "C large", "C", goal: nil)
        if let ledger = sides["ledger large"]?.cpu, let floor = sides["floor large"]?.cpu {
            bench.table.row(
                "W7 CPU time (user + system, ms), \(large), vs the minimal static Swift program",
                ResultTable.spread(ledger, 2), ResultTable.spread(floor, 2) + " (Swift floor)",
                ResultTable.ratio(ledger.median, floor.median), "reported", nil)
        }
        guard let version = sides["version"]?.stats, let empty = sides["empty"]?.stats else { return }
        let above = version.median - empty.median
        bench.table.row(
            "W7 start-up alone: `--version` (ms), static, above an empty static Swift program",
            ResultTable.spread(version, 2), ResultTable.spread(empty, 2) + " (empty Swift)",
            "+\(ResultTable.format(above, 2)) ms", "≤ +1 ms", above <= 1)
        if let versionCPU = sides["version"]?.cpu, let emptyCPU = sides["empty"]?.cpu {
            bench.table.row(
                "W7 start-up alone, CPU time (user + system, ms)", ResultTable.spread(versionCPU, 2),
                ResultTable.spread(emptyCPU, 2) + " (empty Swift)",
                "+\(ResultTable.format(versionCPU.median - emptyCPU.median, 2)) ms", "≤ +1 ms",
                versionCPU.median - emptyCPU.median <= 1)
        }
        if let dynamic = sides["dynamic version"]?.stats {
            bench.table.row(
                "W7 start-up alone, Swift runtime linked dynamically", ResultTable.spread(dynamic, 2),
                ResultTable.spread(empty, 2) + " (empty Swift)",
                "+\(ResultTable.format(dynamic.median - empty.median, 2)) ms", "reported", nil)
        }
    }

    /// The SHA every W7 and W8 note is recorded against.
    static let noteSHA = String(ChainHasher.hash("w7").prefix(40))

    /// A pipeline verb's CI step: `approve` may be recorded again and again in an open run.
    static func approve(_ db: String, sha: String) -> [String] {
        ["approve", "--db", db, "--sha", sha, "--decision", "approved", "--approver", "bench"]
    }

    /// Opens a run of `sha` on a new ledger, so that `approve` is accepted.
    static func freezeAndAccept(_ db: String, sha: String, cli: String) {
        let image = "ghcr.io/acme/api@sha256:" + String(repeating: "a", count: 64)
        for arguments in [
            ["freeze", "--db", db, "--sha", sha, "--scope", "runtime", "--api-image", image, "--web-image", image],
            ["accept", "--db", db, "--sha", sha, "--verdict", "YES"],
        ] {
            let child = ChildProcess.run(cli, arguments)
            if child.status != 0 { Console.fail("W7: \(arguments[0]) exited \(child.status)") }
        }
    }

    /// `release-ledger append` of one note: the CI step.
    static func append(_ db: String, sha: String, data: String) -> [String] {
        ["append", "--db", db, "--type", "x-note", "--sha", sha, "--data", data]
    }
}
