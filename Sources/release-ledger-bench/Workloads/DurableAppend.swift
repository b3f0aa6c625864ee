/// W1: durable single-event appends with the release rules and the chain, beside the C baseline
/// inserting the very rows the ledger just wrote (ids, SHAs, streams, payloads).
struct DurableAppend: Workload {
    let names: Set<String> = ["W1"]

    func run(_ bench: BenchRun) {
        let appendCount = bench.tiny ? 100 : 2_000
        var ledger: [Double] = []
        var latencies: [Double] = []
        var base: [Double] = []
        for _ in 0..<bench.appendRepeats {
            let path = bench.fresh("w1")
            let store = BenchLedger.open(path, clock: SimulatedClock(start: BenchLedger.start, stepSeconds: 1))
            let events = BenchLedger.pregenerated(appendCount)
            let total = MonotonicClock.measure {
                for event in events.prefix(appendCount) {
                    latencies.append(
                        MonotonicClock.measure {
                            do { _ = try store.append([event]) } catch { Console.fail("W1: \(error)") }
                        })
                }
            }
            ledger.append(Double(appendCount) / total * 1000)
            let child = ChildProcess.run(
                bench.programs.baseline, ["w1", bench.fresh("w1c"), String(appendCount), "w", path])
            base.append(Double(appendCount) / field("ms", in: child.output) * 1000)
        }
        let w1 = Stats(samples: ledger)
        let w1b = Stats(samples: base)
        let latency = Stats(samples: latencies)
        bench.table.row(
            "W1 durable append (events/s)", ResultTable.spread(w1), ResultTable.spread(w1b),
            ResultTable.ratio(w1.median, w1b.median), "≥ 0.8x", w1.median / w1b.median >= 0.8)
        bench.table.row(
            "W1 append latency p50 / p99 (ms)",
            "\(ResultTable.format(latency.percentile(0.5), 2)) / \(ResultTable.format(latency.percentile(0.99), 2))",
            "-", "-", "reported", nil)
    }
}
