/// The four DORA figures, computed exactly from recorded runs over a window [since, until).
///
/// - Deployment frequency: runs decided YES in the window, per day of the window.
/// - Lead time: for promotions decided YES in the window, freeze to YES; median and p90 (nearest rank).
/// - Change failure rate: of the runs decided in the window, those decided NO or later rolled back
///   (a rollback requested after the YES that names the run's SHA as the one it replaces).
/// - Time to restore: from a failure (a NO decision, or a rollback's request) in the window to the next
///   YES decision; a failure while one is already unrestored joins that episode.
public struct DoraReport: Equatable, Sendable {
    public var since: Timestamp
    public var until: Timestamp
    public var deployments: Int
    public var days: Double
    public var deploymentsPerDay: Double
    public var leadTimesMilliseconds: [Int64]
    public var decidedRuns: Int
    public var failedRuns: Int
    public var restoreTimesMilliseconds: [Int64]

    public var changeFailureRate: Double? { decidedRuns == 0 ? nil : Double(failedRuns) / Double(decidedRuns) }
    public var leadTimeMedian: Int64? { DoraMetrics.percentile(leadTimesMilliseconds, 0.5) }
    public var leadTimeP90: Int64? { DoraMetrics.percentile(leadTimesMilliseconds, 0.9) }
    public var timeToRestoreMedian: Int64? { DoraMetrics.percentile(restoreTimesMilliseconds, 0.5) }
}
