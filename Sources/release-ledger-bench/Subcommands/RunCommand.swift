import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `run`: every workload (or those `--only` names), each beside its baseline, then one markdown table.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the workloads and print one markdown table.")

    @Flag(help: "A small scale, only to prove the benchmark still works (CI).") var tiny = false
    @Option(help: "Run only these workloads, comma-separated (W1,W5).") var only: String?
    @Option(help: "Events in the large ledger (default 1,000,000; 3,000 with --tiny).") var events: Int?
    @Option(help: "Where ledgers and scratch files go.") var work = "/tmp/release-ledger-bench"
    @Option(help: "The compiled tools/bench/baseline.c.") var baseline: String
    @Option(help: "The release-ledger binary (the recommended static build).") var cli: String
    @Option(help: "release-ledger with the Swift runtime linked dynamically (W7 reports it).")
    var cliDynamic: String?
    @Option(help: "The ledger-stress binary (W3's writers).") var stress: String
    @Option(help: "bench-floor-append, built with the static Swift runtime (W7's Swift floor).")
    var floorAppend: String?
    @Option(help: "bench-floor-empty, built with the static Swift runtime (W7's start-up floor).")
    var floorEmpty: String?

    func run() {
        _ = mkdir(work, 0o755)
        let selection = only.map { Set($0.split(separator: ",").map(String.init)) }
        let bench = BenchRun(
            tiny: tiny, work: work, largeEvents: events,
            programs: BenchRun.Programs(
                baseline: baseline, cli: cli, cliDynamic: cliDynamic, stress: stress, floorAppend: floorAppend,
                floorEmpty: floorEmpty, bench: CommandLine.arguments[0]))
        for workload in BenchRun.workloads where workload.isSelected(by: selection) {
            workload.run(bench)
        }
        bench.table.print()
    }
}
