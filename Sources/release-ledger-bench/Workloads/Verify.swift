/// W5: verify the large ledger's whole chain.
struct Verify: Workload {
    let names: Set<String> = ["W5"]

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        var samples: [Double] = []
        for _ in 0..<bench.repeats {
            var intact = false
            let milliseconds = MonotonicClock.measure {
                intact = (try? ledgers.largeStore.verify(anchor: nil))?.isIntact ?? false
            }
            guard intact else { Console.fail("W5: the generated ledger does not verify") }
            samples.append(ledgers.largeCount / milliseconds * 1000)
        }
        let w5 = Stats(samples: samples)
        bench.table.row(
            "W5 verify \(Int(ledgers.largeCount)) events (events/s)", ResultTable.spread(w5), "-", "-",
            "≥ 500,000/s", w5.median >= 500_000)
    }
}
