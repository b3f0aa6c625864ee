import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// W7: the whole CI step (start, open the large ledger, append one event, exit) as separate
/// processes, beside the C baseline doing one insert into its copy of the ledger.
struct CIStep: Workload {
    let names: Set<String> = ["W7"]

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        let runs = bench.tiny ? 3 : 15
        let noteSHA = CIStep.noteSHA
        // One warm-up each, so both sides start with the same page cache.
        _ = ChildProcess.run(bench.programs.cli, CIStep.append(ledgers.large, sha: noteSHA, data: "{\"warm\":1}"))
        _ = ChildProcess.run(bench.programs.baseline, ["w7", ledgers.largeForBaseline, "1", "warm-\(getpid())"])
        var ledger: [Double] = []
        var base: [Double] = []
        for i in 0..<runs {
            let child = ChildProcess.run(
                bench.programs.cli, CIStep.append(ledgers.large, sha: noteSHA, data: "{\"i\":\(i)}"))
            if child.status != 0 { Console.fail("W7: release-ledger exited \(child.status)") }
            ledger.append(child.milliseconds)
            base.append(
                ChildProcess.run(
                    bench.programs.baseline, ["w7", ledgers.largeForBaseline, "1", "w7-\(i)-\(getpid())"]
                ).milliseconds)
        }
        let w7 = Stats(samples: ledger)
        let w7b = Stats(samples: base)
        bench.table.row(
            "W7 CI step: start, open, append one, exit (ms), static stdlib", ResultTable.spread(w7, 2),
            ResultTable.spread(w7b, 2), ResultTable.ratio(w7.median, w7b.median), "≤ 2.5x",
            w7.median / w7b.median <= 2.5)
        if let dynamic = bench.programs.cliDynamic {
            var samples: [Double] = []
            for i in 0..<runs {
                samples.append(
                    ChildProcess.run(dynamic, CIStep.append(ledgers.large, sha: noteSHA, data: "{\"d\":\(i)}"))
                        .milliseconds)
            }
            let d = Stats(samples: samples)
            bench.table.row(
                "W7 the same, Swift runtime linked dynamically (ms)", ResultTable.spread(d, 2),
                ResultTable.spread(w7b, 2),
                ResultTable.ratio(d.median, w7b.median), "reported", nil)
        }
    }

    /// The SHA every W7 and W8 note is recorded against.
    static let noteSHA = String(ChainHasher.hash("w7").prefix(40))

    /// `release-ledger append` of one note: the CI step.
    static func append(_ db: String, sha: String, data: String) -> [String] {
        ["append", "--db", db, "--type", "x-note", "--sha", sha, "--data", data]
    }
}
