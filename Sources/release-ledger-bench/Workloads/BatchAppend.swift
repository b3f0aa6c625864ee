/// W2: batches of 100 events per transaction, beside the C baseline inserting the same rows.
struct BatchAppend: Workload {
    let names: Set<String> = ["W2"]

    func run(_ bench: BenchRun) {
        let total = bench.tiny ? 1_000 : 20_000
        var ledger: [Double] = []
        var base: [Double] = []
        for _ in 0..<bench.appendRepeats {
            let path = bench.fresh("w2")
            let store = BenchLedger.open(path, clock: SimulatedClock(start: BenchLedger.start, stepSeconds: 1))
            let events = BenchLedger.pregenerated(total)
            let milliseconds = MonotonicClock.measure {
                for start in stride(from: 0, to: total, by: 100) {
                    do { _ = try store.append(Array(events[start..<min(start + 100, total)])) } catch {
                        Console.fail("W2: \(error)")
                    }
                }
            }
            ledger.append(Double(total) / milliseconds * 1000)
            let child = ChildProcess.run(
                bench.programs.baseline, ["w2", bench.fresh("w2c"), String(total), "w", path])
            base.append(Double(total) / field("ms", in: child.output) * 1000)
        }
        let w2 = Stats(samples: ledger)
        let w2b = Stats(samples: base)
        bench.table.row(
            "W2 batch append, 100/transaction (events/s)", ResultTable.spread(w2), ResultTable.spread(w2b),
            ResultTable.ratio(w2.median, w2b.median), "≥ 0.6x", w2.median / w2b.median >= 0.6)
    }
}
