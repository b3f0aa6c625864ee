#if canImport(Glibc)
import Glibc
#endif

/// W13: transparency. Inclusion proofs in process at the small and the large size (a proof is a
/// few index reads per level, so it should not grow with the ledger), then `checkpoint` end to end.
struct Transparency: Workload {
    let names: Set<String> = ["W13"]

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        let large = proofTimes(ledgers.large, samples: bench.tiny ? 200 : 2_000)
        let small = proofTimes(ledgers.small, samples: bench.tiny ? 200 : 2_000)
        bench.table.row(
            "W13 prove: inclusion proof p50 / p99, in process, \(Int(ledgers.largeCount)) events (ms)",
            "\(ResultTable.format(large.percentile(0.5), 3)) / \(ResultTable.format(large.percentile(0.99), 3))", "-",
            "-",
            "p50 < 1 ms", large.percentile(0.5) < 1)
        bench.table.row(
            "W13 the same at \(bench.smallEvents) events (ms)",
            "\(ResultTable.format(small.percentile(0.5), 3)) / \(ResultTable.format(small.percentile(0.99), 3))", "-",
            ResultTable.ratio(large.percentile(0.5), small.percentile(0.5)), "flat (≤ 2x)",
            large.percentile(0.5) <= 2 * small.percentile(0.5))

        let keyFile = "\(bench.work)/w13-signing.key"
        unlink(keyFile)
        let cli = bench.programs.cli
        if ChildProcess.run(cli, ["key", "generate", "--name", "bench.example/ledger", "--out", keyFile]).status != 0 {
            Console.fail("W13: key generate failed")
        }
        var checkpoints: [Double] = []
        for _ in 0..<(bench.tiny ? 3 : 9) {
            let child = ChildProcess.run(cli, ["checkpoint", "--db", ledgers.large, "--key", keyFile])
            if child.status != 0 { Console.fail("W13: checkpoint exited \(child.status)") }
            checkpoints.append(child.milliseconds)
        }
        bench.table.row(
            "W13 checkpoint: start, open, root, sign, record, exit (ms)",
            ResultTable.spread(Stats(samples: checkpoints), 2), "-", "-", "reported", nil)
    }

    private func proofTimes(_ path: String, samples count: Int) -> Stats {
        let store = BenchLedger.existing(path)
        guard let size = try? store.treeSize(), size > 0 else { Console.fail("W13: \(path) has no Merkle tree") }
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var samples: [Double] = []
        for _ in 0..<count {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let index = (seed >> 11) % size
            samples.append(
                MonotonicClock.measure {
                    do { _ = try store.inclusionProof(index: index, size: size) } catch {
                        Console.fail("W13: \(error)")
                    }
                })
        }
        return Stats(samples: samples)
    }
}
