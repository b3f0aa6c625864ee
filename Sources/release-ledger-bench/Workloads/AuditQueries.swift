import ReleaseLedgerCore

/// W6: the audit queries (`status`, `show SHA`, `at TIME`) in process, on the small and the large
/// ledger: they must stay under a millisecond and not grow with the ledger.
struct AuditQueries: Workload {
    let names: Set<String> = ["W6"]

    struct Latencies {
        var status: Stats
        var show: Stats
        var at: Stats
    }

    func run(_ bench: BenchRun) {
        let ledgers = bench.ledgers
        let small = queries(ledgers.small)
        let large = queries(ledgers.large)
        let pairs = [
            ("status", small.status, large.status), ("show SHA", small.show, large.show),
            ("at TIME", small.at, large.at),
        ]
        for (name, s, b) in pairs {
            bench.table.row(
                "W6 \(name) p50 ms (\(bench.smallEvents) → \(Int(ledgers.largeCount)) events)",
                "\(ResultTable.format(s.median, 3)) → \(ResultTable.format(b.median, 3))", "-", "-", "< 1 ms, flat",
                b.median < 1 && b.median < max(0.05, s.median * 3))
        }
    }

    private func queries(_ path: String) -> Latencies {
        let store = BenchLedger.existing(path)
        let shas = (try? store.latestDecisions(limit: 50).map(\.sha)) ?? []
        let lastPosition = max(0, (try? store.head().position) ?? 0) - 1
        let head =
            (try? store.events(EventQuery(afterPosition: lastPosition)).first?.recordedAt)
            ?? Timestamp(millisecondsSinceEpoch: 0)
        var status: [Double] = []
        var show: [Double] = []
        var at: [Double] = []
        for i in 0..<200 {
            status.append(
                MonotonicClock.measure {
                    let production = try? store.production()
                    _ = try? store.latestDecisions(limit: 5)
                    if let open = production?.openRun, let candidate = try? store.candidate(open.sha) {
                        _ = GateTable.evaluate(candidate, run: candidate.openRun)
                    }
                })
            show.append(
                MonotonicClock.measure {
                    let sha = shas.isEmpty ? "" : shas[i % shas.count]
                    _ = try? store.candidate(sha)
                    _ = try? store.events(EventQuery(sha: sha))
                })
            at.append(
                MonotonicClock.measure {
                    let moment = head.adding(milliseconds: -Int64(i) * 3_600_000)
                    if let position = try? store.lastPosition(atOrBefore: moment) {
                        _ = try? store.liveRun(atOrBeforePosition: position)
                        _ = try? store.openRun(atPosition: position)
                    }
                })
        }
        return Latencies(status: Stats(samples: status), show: Stats(samples: show), at: Stats(samples: at))
    }
}
