/// W1: durable single-event appends with the release rules and the chain, beside the C baseline
/// inserting the very rows the ledger just wrote (ids, SHAs, streams, payloads). Each repeat also
/// appends the same events without the Merkle tree (a benchmark-only switch): the tree's cost.
struct DurableAppend: Workload {
    let names: Set<String> = ["W1"]

    func run(_ bench: BenchRun) {
        let appendCount = bench.tiny ? 100 : 2_000
        var ledger: [Double] = []
        var latencies: [Double] = []
        var base: [Double] = []
        var withoutTree: [Double] = []
        let events = BenchLedger.pregenerated(appendCount)
        /// One arm: a new ledger, the events one per transaction; events/s, and each append's latency.
        func appendAll(to path: String, merkleTree: Bool) -> (rate: Double, latencies: [Double]) {
            let store = BenchLedger.open(
                path, clock: SimulatedClock(start: BenchLedger.start, stepSeconds: 1), merkleTree: merkleTree)
            var latencies: [Double] = []
            let total = MonotonicClock.measure {
                for event in events.prefix(appendCount) {
                    latencies.append(
                        MonotonicClock.measure {
                            do { _ = try store.append([event]) } catch { Console.fail("W1: \(error)") }
                        })
                }
            }
            return (Double(appendCount) / total * 1000, latencies)
        }
        for round in 0..<bench.appendRepeats {
            let path = bench.fresh("w1")
            // The two arms take turns going first, so neither always follows the C baseline's run.
            for merkleTree in round % 2 == 0 ? [true, false] : [false, true] {
                if merkleTree {
                    let arm = appendAll(to: path, merkleTree: true)
                    ledger.append(arm.rate)
                    latencies += arm.latencies
                } else {
                    withoutTree.append(appendAll(to: bench.fresh("w1-no-tree"), merkleTree: false).rate)
                }
            }
            let child = ChildProcess.run(
                bench.programs.baseline, ["w1", bench.fresh("w1c"), String(appendCount), "w", path])
            base.append(Double(appendCount) / field("ms", in: child.output) * 1000)
        }
        let w1 = Stats(samples: ledger)
        let w1b = Stats(samples: base)
        let latency = Stats(samples: latencies)
        let bare = Stats(samples: withoutTree)
        bench.table.row(
            "W1 durable append (events/s)", ResultTable.spread(w1), ResultTable.spread(w1b),
            ResultTable.ratio(w1.median, w1b.median), "≥ 0.9x", w1.median / w1b.median >= 0.9)
        bench.table.row(
            "W1 append latency p50 / p99 (ms)",
            "\(ResultTable.format(latency.percentile(0.5), 2)) / \(ResultTable.format(latency.percentile(0.99), 2))",
            "-", "-", "reported", nil)
        bench.table.row(
            "W1 with the Merkle tree vs the same appends without it (events/s)", ResultTable.spread(w1),
            ResultTable.spread(bare), ResultTable.ratio(w1.median, bare.median), "≥ 0.95x (≤ 5% slower)",
            w1.median / bare.median >= 0.95)
    }
}
