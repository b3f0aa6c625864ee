/// W4: fold every event of the large ledger into states and artifacts, in a child process so its
/// peak memory is its own, beside the C baseline reading every row.
struct Rebuild: Workload {
    let names: Set<String> = ["W4"]

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        var ledger: [Double] = []
        var base: [Double] = []
        for _ in 0..<bench.repeats {
            let child = ChildProcess.run(bench.programs.bench, ["fold", ledgers.large])
            ledger.append(ledgers.largeCount / field("ms", in: child.output) * 1000)
            let baseChild = ChildProcess.run(bench.programs.baseline, ["w4", ledgers.large, "0"])
            base.append(ledgers.largeCount / field("ms", in: baseChild.output) * 1000)
        }
        bench.foldPeakKiB =
            ChildProcess.peakMemoryKiB(bench.programs.bench, ["fold", ledgers.large], scratch: bench.work) ?? 0
        let w4 = Stats(samples: ledger)
        let w4b = Stats(samples: base)
        bench.table.row(
            "W4 rebuild: fold \(Int(ledgers.largeCount)) events into states and artifacts (events/s)",
            ResultTable.spread(w4), ResultTable.spread(w4b) + " (read only)", ResultTable.ratio(w4.median, w4b.median),
            "≥ 1,000,000/s and ≥ 0.5x", w4.median >= 1_000_000 && w4.median >= 0.5 * w4b.median)
    }
}
