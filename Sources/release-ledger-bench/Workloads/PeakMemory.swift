/// W8: peak memory of W4's fold and of W7's CI step, which must not grow with the ledger.
struct PeakMemory: Workload {
    let names: Set<String> = ["W7", "W8"]

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        let cli = bench.programs.cli
        let data = "{\"memory\":1}"
        let large =
            ChildProcess.peakMemoryKiB(
                cli, CIStep.append(ledgers.large, sha: CIStep.noteSHA, data: data), scratch: bench.work) ?? 0
        let small =
            ChildProcess.peakMemoryKiB(
                cli, CIStep.append(ledgers.small, sha: CIStep.noteSHA, data: data), scratch: bench.work) ?? 0
        let mib = { (kib: Int) in ResultTable.format(Double(kib) / 1024, 1) }
        bench.table.row(
            "W8 peak memory: W4 fold / W7 step (MiB)", "\(mib(bench.foldPeakKiB)) / \(mib(large))", "-", "-",
            "reported; W7 flat", nil)
        bench.table.row(
            "W8 W7 memory, \(bench.smallEvents) → \(Int(ledgers.largeCount)) events (MiB)",
            "\(mib(small)) → \(mib(large))",
            "-", "-", "does not grow", Double(large) <= Double(small) * 1.25 + 2048)
    }
}
