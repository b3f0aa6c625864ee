import ArgumentParser
import ReleaseLedgerCore

struct StatusCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "What was released and what is serving now, the open run and its missing gates, and the last decisions.",
        discussion: """
            `released` is the last run decided YES; `serving` is, per app, the digest of the last deploy that
            succeeded. They differ while a run is in progress and after deploys that were then decided NO.
            Example: release-ledger status --format markdown >> "$GITHUB_STEP_SUMMARY"
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Option(parsing: .unconditional, help: "How many recent decisions to list.") var recent: Int = 5

    func execute(in context: CommandContext) throws(LedgerError) {
        guard recent >= 0 else { throw .usage("--recent must be 0 or more") }
        let store = try context.openLedger(ledger.settings, for: .reading)
        let status = try store.status(recentDecisions: recent)
        let view = ProductionView(released: status.production.live, serving: status.serving)
        let openRun = status.openRun.map { ($0.candidate, $0.run, $0.gates) }
        let decisions = status.recentDecisions
        let format = output.resolved(ledger.settings)
        try GitHubActions(context, ledger.settings).status(
            view, openRun: openRun.map { ($0.0.sha, $0.1.number, GateTable.unmet($0.2)) }, head: status.head,
            store: store)
        if format == .json {
            let open: JSONValue =
                openRun.map { candidate, run, gates in
                    [
                        "sha": .string(candidate.sha), "run": .int(run.number), "kind": .string(run.kind.rawValue),
                        "startedAt": .string(run.opened.at.description),
                        "missingGates": .array(GateTable.unmet(gates).map { .string($0) }),
                    ]
                } ?? .null
            // `production` is kept for scripts written before `released` and `serving`: it is `released`.
            context.console.line(
                CanonicalJSON.encode([
                    "production": view.releasedJSON, "released": view.releasedJSON, "serving": view.servingJSON,
                    "servingDiffers": .bool(view.differs), "openRun": open,
                    "recentDecisions": .array(decisions.map(\.json)),
                ]))
            return
        }
        var text = view.tables(format)
        let openRows =
            openRun.map { candidate, run, gates in
                [
                    [
                        candidate.sha, String(run.number), run.kind.rawValue, run.opened.at.description,
                        GateTable.unmet(gates).joined(separator: ", "),
                    ]
                ]
            } ?? []
        text.append(
            Table(title: "Open run", headers: ["SHA", "RUN", "KIND", "STARTED", "MISSING GATES"], rows: openRows)
                .render(format))
        text.append(
            Table(title: "Recent decisions", headers: RunSummary.headers, rows: decisions.map(\.row)).render(format))
        context.console.line(text.joined(separator: "\n\n"))
    }
}
