/// W3: 16 writer processes appending at once (ledger-stress), beside 16 C baseline writers.
struct ConcurrentWriters: Workload {
    let names: Set<String> = ["W3"]
    let writers = 16

    struct Outcome {
        var throughput: Double
        var longestWait: Double
        var total: Int
    }

    func run(_ bench: BenchRun) {
        let perWriter = bench.tiny ? 10 : 150
        var ledger: [Double] = []
        var base: [Double] = []
        var longest = 0.0
        var baseLongest = 0.0
        var lost = 0
        for _ in 0..<bench.appendRepeats {
            let db = bench.fresh("w3")
            _ = BenchLedger.open(db, clock: SimulatedClock(start: BenchLedger.start))
            let result = contention(bench.programs.stress, perWriter: perWriter) { writer in
                [db, "w\(writer)", String(perWriter)]
            }
            ledger.append(result.throughput)
            longest = max(longest, result.longestWait)
            let count = (try? BenchLedger.existing(db).head().position) ?? 0
            lost += result.total - Int(count)
            // The file and its WAL mode exist before the writers start, for both sides alike.
            let baseDB = bench.fresh("w3c")
            _ = ChildProcess.run(bench.programs.baseline, ["w1", baseDB, "0", "setup"])
            let baseResult = contention(bench.programs.baseline, perWriter: perWriter) { writer in
                ["w3", baseDB, String(perWriter), "w\(writer)"]
            }
            base.append(baseResult.throughput)
            baseLongest = max(baseLongest, baseResult.longestWait)
        }
        let w3 = Stats(samples: ledger)
        let w3b = Stats(samples: base)
        bench.table.row(
            "W3 16 processes (events/s total)", ResultTable.spread(w3), ResultTable.spread(w3b),
            ResultTable.ratio(w3.median, w3b.median), "≥ 0.8x, nothing lost",
            w3.median / w3b.median >= 0.8 && lost == 0)
        bench.table.row(
            "W3 longest single append wait (ms)", ResultTable.format(longest, 1), ResultTable.format(baseLongest, 1),
            "-", "≤ 500 ms", longest <= 500)
    }

    private func contention(_ binary: String, perWriter: Int, arguments: (Int) -> [String]) -> Outcome {
        var longest = 0.0
        let milliseconds = MonotonicClock.measure {
            let children = (1...writers).map { ChildProcess(binary, arguments($0)) }
            for child in children {
                let text = child.finish().output
                longest = max(longest, max(field("max_wait_ms", in: text), field("max-ms", in: text)))
            }
        }
        return Outcome(
            throughput: Double(writers * perWriter) / milliseconds * 1000, longestWait: longest,
            total: writers * perWriter)
    }
}
