public enum DoraMetrics {
    /// Nearest-rank percentile: the smallest value with at least `p` of the values at or below it.
    public static func percentile(_ values: [Int64], _ p: Double) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `runs` must hold every run (not only the window's), so later rollbacks and restores are seen.
    public static func compute(runs: [RunRecord], since: Timestamp, until: Timestamp) -> DoraReport {
        func inWindow(_ time: Timestamp?) -> Bool { time.map { $0 >= since && $0 < until } ?? false }
        let decided = runs.filter { $0.decision != nil && inWindow($0.decidedAt) }
        let yes = decided.filter { $0.decision == .yes }
        let days = Double(until.millisecondsSinceEpoch - since.millisecondsSinceEpoch) / 86_400_000
        let leadTimes = yes.filter { $0.kind == .promotion }.compactMap { run in
            run.frozenAt.map { run.decidedAt!.millisecondsSinceEpoch - $0.millisecondsSinceEpoch }
        }
        let rollbacks = runs.filter { $0.kind == .rollback }
        let failed = decided.filter { run in
            run.decision == .no
                || rollbacks.contains { $0.replaces == run.sha && $0.openedAt >= run.decidedAt! }
        }
        // Failures and recoveries in time order; each episode runs from its first failure to the next YES.
        var moments: [(time: Timestamp, isFailure: Bool)] = []
        for run in runs {
            if run.decision == .no, let at = run.decidedAt { moments.append((at, true)) }
            if run.decision == .yes, let at = run.decidedAt { moments.append((at, false)) }
            if run.kind == .rollback { moments.append((run.openedAt, true)) }
        }
        // At the same instant a failure comes first, so a failure and its recovery together take 0 s.
        moments.sort { ($0.time, $0.isFailure ? 0 : 1) < ($1.time, $1.isFailure ? 0 : 1) }
        var restoreTimes: [Int64] = []
        var episodeStart: Timestamp?
        for moment in moments {
            if moment.isFailure {
                if episodeStart == nil, inWindow(moment.time) { episodeStart = moment.time }
            } else if let start = episodeStart {
                restoreTimes.append(moment.time.millisecondsSinceEpoch - start.millisecondsSinceEpoch)
                episodeStart = nil
            }
        }
        return DoraReport(
            since: since, until: until, deployments: yes.count, days: days,
            deploymentsPerDay: days > 0 ? Double(yes.count) / days : 0,
            leadTimesMilliseconds: leadTimes, decidedRuns: decided.count, failedRuns: failed.count,
            restoreTimesMilliseconds: restoreTimes)
    }
}
