import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// W14: a candidate replayed again and again must not get slower. One replay cycle (the request,
/// the deploys, smokes, deployment and verdict: 8 events) on a SHA with 1,000 runs, beside the same
/// cycle on a SHA with one run, in the same ledger. Each event is appended the way a CI step does
/// it: open the ledger, append one event, close, so no state is carried between steps in memory.
struct LongLivedCandidate: Workload {
    let names: Set<String> = ["W14"]

    func run(_ bench: BenchRun) {
        let runs = bench.tiny ? 30 : 1_000
        let cycles = bench.tiny ? 3 : 7
        let path = bench.fresh("w14")
        let clock = SimulatedClock(start: BenchLedger.start, stepSeconds: 1)
        var simulator = PipelineSimulator(start: BenchLedger.start)
        let setup = BenchLedger.open(path, clock: clock, synchronous: "OFF")
        // Candidate 1 (runtime only, decided YES), then replayed until it has `runs` runs.
        let old = simulator.candidate + 1
        do {
            for batch in simulator.next(now: clock.now()) { _ = try setup.append(batch) }
            for run in 2...runs {
                _ = try setup.append(simulator.replay(old, reason: "run \(run)"))
            }
        } catch {
            bench.table.row(
                "W14 replay + verdict cycle, \(runs) runs vs a new SHA (ms)", "fails while replaying: \(error)", "-",
                "-", "≤ 1.1x", false)
            return
        }
        // Candidate 2: a new SHA with one run.
        let new = simulator.candidate + 1
        for batch in simulator.next(now: clock.now()) {
            do { _ = try setup.append(batch) } catch { Console.fail("W14: \(error)") }
        }
        var long: [Double] = []
        var fresh: [Double] = []
        for cycle in 0..<cycles {
            long.append(appendAsSteps(simulator.replay(old, reason: "timed \(cycle)"), path: path, clock: clock))
            fresh.append(appendAsSteps(simulator.replay(new, reason: "timed \(cycle)"), path: path, clock: clock))
        }
        let w14 = Stats(samples: long)
        let base = Stats(samples: fresh)
        bench.table.row(
            "W14 replay + verdict cycle, \(runs) runs vs a new SHA (ms)", ResultTable.spread(w14, 2),
            ResultTable.spread(base, 2) + " (new SHA)", ResultTable.ratio(w14.median, base.median), "≤ 1.1x",
            w14.median / base.median <= 1.1)
    }

    /// Appends each event as its own CI step would (open, append, close); returns the total time.
    private func appendAsSteps(_ events: [ProposedEvent], path: String, clock: SimulatedClock) -> Double {
        MonotonicClock.measure {
            for event in events {
                let store = BenchLedger.open(path, clock: clock, create: false)
                do { _ = try store.append([event]) } catch { Console.fail("W14: \(error)") }
            }
        }
    }
}
