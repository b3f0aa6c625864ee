import ArgumentParser
import ReleaseLedgerCore

struct HistoryCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract:
            """
            One line per run, newest first, and one (kind acceptance, decision NO) per candidate refused at \
            acceptance.
            """,
        discussion: """
            Example:
              release-ledger history --since 2026-11-01 --decision NO --kind rollback \\
                  --limit 20
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "Only this SHA.") var sha: String?
    @Option(help: "Runs started at or after (RFC 3339 or a date).") var since: String?
    @Option(help: "Runs started before (RFC 3339 or a date).") var until: String?
    @Option(help: "YES, NO or PENDING.", completion: .list(["YES", "NO", "PENDING"])) var decision: String?
    @Option(
        help: "promotion, replay, rollback or acceptance (candidates refused at acceptance).",
        completion: .list(["promotion", "replay", "rollback", "acceptance"])
    ) var kind: String?
    @Option(parsing: .unconditional, help: "At most this many runs.") var limit: Int?

    func execute(in context: CommandContext) throws(LedgerError) {
        if let decision, !["YES", "NO", "PENDING"].contains(decision) {
            throw .usage("--decision must be YES, NO or PENDING")
        }
        var runKind: RunKind?
        if let kind {
            guard let parsed = RunKind(rawValue: kind) else {
                throw .usage("--kind must be promotion, replay, rollback or acceptance")
            }
            runKind = parsed
        }
        if let limit, limit < 0 { throw .usage("--limit must be 0 or more") }
        let filter = RunFilter(
            sha: sha, since: try since.map { s throws(LedgerError) in try parseTime(s, option: "--since") },
            until: try until.map { s throws(LedgerError) in try parseTime(s, option: "--until") }, decision: decision,
            kind: runKind, limit: limit,
            includeAcceptanceRefusals: true)
        let entries = try context.openLedger(ledger.settings, for: .reading).history(filter)
        let lines = entries.map { ($0.summary, HistoryDetails($0)) }
        switch output.resolved(ledger.settings) {
        case .json: context.console.line(CanonicalJSON.encode(["runs": .array(lines.map { $1.json(adding: $0.json) })]))
        case let format:
            let rows = lines.map { $0.row + $1.row(markdown: format == .markdown) }
            context.console.line(
                Table(
                    title: format == .markdown ? "Release history" : nil,
                    headers: RunSummary.headers + HistoryDetails.headers, rows: rows
                ).render(format))
        }
    }
}
