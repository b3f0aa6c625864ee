import ArgumentParser
import ReleaseLedgerCore

struct MetricsCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "DORA figures computed exactly from the events over [--since, --until).",
        discussion: """
            Deployment frequency (YES decisions per day), lead time from freeze to YES (median, p90), \
            change failure rate
            (runs decided NO or later rolled back) and time to restore (from a NO or a rollback request \
            to the next YES).
            Example:
              release-ledger metrics --since 2026-11-01 --until 2026-12-01 \\
                  --format markdown
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "Start of the window (RFC 3339 or a date; default: the first run).") var since: String?
    @Option(help: "End of the window, exclusive (RFC 3339 or a date; default: just after the last decision).")
    var until: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .reading)
        let (records, start, end) = try doraWindow(store: store, since: since, until: until)
        let report = DoraMetrics.compute(runs: records, since: start, until: end)
        func ms(_ value: Int64?) -> JSONValue { value.map { .number(.integer($0)) } ?? .null }
        let format = output.resolved(ledger.settings)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "since": .string(start.description), "until": .string(end.description),
                    "deploymentFrequency": [
                        "deployments": .int(report.deployments), "days": .number(.double(report.days)),
                        "perDay": .number(.double(report.deploymentsPerDay)),
                    ],
                    "leadTime": [
                        "count": .int(report.leadTimesMilliseconds.count), "medianMs": ms(report.leadTimeMedian),
                        "p90Ms": ms(report.leadTimeP90),
                    ],
                    "changeFailureRate": [
                        "decidedRuns": .int(report.decidedRuns), "failedRuns": .int(report.failedRuns),
                        "rate": report.changeFailureRate.map { .number(.double($0)) } ?? .null,
                    ],
                    "timeToRestore": [
                        "count": .int(report.restoreTimesMilliseconds.count),
                        "medianMs": ms(report.timeToRestoreMedian),
                    ],
                ]))
            return
        }
        func duration(_ value: Int64?) -> String { value.map { humanDuration(milliseconds: $0) } ?? "-" }
        func fixed(_ value: Double) -> String {
            let scaled = (value * 100).rounded() / 100
            return String(scaled)
        }
        let rows = [
            [
                "deployment frequency",
                """
                \(report.deployments) deployments in \(fixed(report.days)) days \
                (\(fixed(report.deploymentsPerDay))/day)
                """,
            ],
            [
                "lead time (freeze to YES)",
                """
                median \(duration(report.leadTimeMedian)), p90 \(duration(report.leadTimeP90)) over \
                \(report.leadTimesMilliseconds.count)
                """,
            ],
            [
                "change failure rate",
                report.changeFailureRate.map {
                    "\(fixed($0 * 100))% (\(report.failedRuns) of \(report.decidedRuns) runs)"
                } ?? "- (no decided runs)",
            ],
            [
                "time to restore",
                "median \(duration(report.timeToRestoreMedian)) over "
                    + "\(report.restoreTimesMilliseconds.count) incidents",
            ],
        ]
        context.console.line(
            Table(title: "DORA metrics \(start) to \(end)", headers: ["METRIC", "VALUE"], rows: rows).render(format))
    }
}

/// The runs DORA figures are computed from, and the window `metrics` and `report` use: `--since`
/// and `--until` when given, else from the first run to just after the last decision.
func doraWindow(
    store: any Ledger, since: String?, until: String?
) throws(LedgerError) -> (records: [RunRecord], start: Timestamp, end: Timestamp) {
    let records = try store.doraRuns()
    let start =
        try since.map { s throws(LedgerError) in try parseTime(s, option: "--since") }
        ?? records.map(\.openedAt).min() ?? Timestamp(millisecondsSinceEpoch: 0)
    let end =
        try until.map { s throws(LedgerError) in try parseTime(s, option: "--until") }
        ?? (records.compactMap(\.decidedAt) + records.map(\.openedAt)).max().map { $0.adding(milliseconds: 1) }
        ?? start.adding(milliseconds: 1)
    guard start < end else { throw .usage("--since must be before --until") }
    return (records, start, end)
}
