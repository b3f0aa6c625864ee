import ReleaseLedgerCore
import Testing

@Suite struct DoraMetricsTests {
    static let day0 = Timestamp(rfc3339: "2026-11-01T00:00:00Z")!
    static func at(_ hours: Double) -> Timestamp { day0.adding(milliseconds: Int64(hours * 3_600_000)) }
    static let hour: Int64 = 3_600_000

    /// Ten days. A: frozen h0, YES h2. B: frozen h10, NO h12. C: frozen h20, YES h30.
    /// Rollback to A requested h40 (replaces C), YES h41. D: frozen h50, YES h53. E: frozen h300, open.
    static let runs: [RunRecord] = [
        RunRecord(
            sha: "A", run: 1, kind: .promotion, replaces: nil, openedAt: at(1), decision: .yes, decidedAt: at(2),
            frozenAt: at(0)),
        RunRecord(
            sha: "B", run: 1, kind: .promotion, replaces: nil, openedAt: at(11), decision: .no, decidedAt: at(12),
            frozenAt: at(10)),
        RunRecord(
            sha: "C", run: 1, kind: .promotion, replaces: nil, openedAt: at(21), decision: .yes, decidedAt: at(30),
            frozenAt: at(20)),
        RunRecord(
            sha: "A", run: 2, kind: .rollback, replaces: "C", openedAt: at(40), decision: .yes, decidedAt: at(41),
            frozenAt: at(0)),
        RunRecord(
            sha: "D", run: 1, kind: .promotion, replaces: nil, openedAt: at(51), decision: .yes, decidedAt: at(53),
            frozenAt: at(50)),
        RunRecord(
            sha: "E", run: 1, kind: .promotion, replaces: nil, openedAt: at(301), decision: nil, decidedAt: nil,
            frozenAt: at(300)),
    ]

    @Test func deploymentFrequencyCountsYESDecisionsPerDay() {
        let report = DoraMetrics.compute(runs: Self.runs, since: Self.day0, until: Self.at(240))
        #expect(report.deployments == 4)  // A, C, A again (rollback), D
        #expect(report.days == 10)
        #expect(report.deploymentsPerDay == 0.4)
    }

    @Test func leadTimeIsFreezeToYESForPromotions() {
        let report = DoraMetrics.compute(runs: Self.runs, since: Self.day0, until: Self.at(240))
        // A: 2 h, C: 10 h, D: 3 h (the rollback is not a lead time).
        #expect(report.leadTimesMilliseconds.sorted() == [2 * Self.hour, 3 * Self.hour, 10 * Self.hour])
        #expect(report.leadTimeMedian == 3 * Self.hour)
        #expect(report.leadTimeP90 == 10 * Self.hour)
    }

    @Test func changeFailureRateCountsNOAndRolledBackRuns() {
        let report = DoraMetrics.compute(runs: Self.runs, since: Self.day0, until: Self.at(240))
        // Decided: A, B, C, A(rollback), D = 5. Failed: B (NO) and C (rolled back) = 2.
        #expect(report.decidedRuns == 5)
        #expect(report.failedRuns == 2)
        #expect(report.changeFailureRate == 0.4)
    }

    @Test func timeToRestoreRunsFromFailureToTheNextYES() {
        let report = DoraMetrics.compute(runs: Self.runs, since: Self.day0, until: Self.at(240))
        // B's NO at h12 -> C's YES at h30: 18 h. The rollback request at h40 -> its YES at h41: 1 h.
        #expect(report.restoreTimesMilliseconds == [18 * Self.hour, 1 * Self.hour])
        #expect(report.timeToRestoreMedian == 1 * Self.hour)
    }

    @Test func theWindowSelectsByDecisionTime() {
        let report = DoraMetrics.compute(runs: Self.runs, since: Self.at(25), until: Self.at(45))
        #expect(report.deployments == 2)  // C at h30, the rollback at h41
        #expect(report.decidedRuns == 2)
        #expect(report.failedRuns == 1)  // C was rolled back
        #expect(report.restoreTimesMilliseconds == [1 * Self.hour])  // B's incident started before the window
    }

    @Test func percentilesUseNearestRank() {
        #expect(DoraMetrics.percentile([], 0.5) == nil)
        #expect(DoraMetrics.percentile([5], 0.9) == 5)
        #expect(DoraMetrics.percentile([1, 2, 3, 4], 0.5) == 2)
        #expect(DoraMetrics.percentile(Array(1...10), 0.9) == 9)
        #expect(DoraMetrics.percentile(Array(1...11), 0.9) == 10)
    }
}
