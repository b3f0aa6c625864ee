import ArgumentParser
import ReleaseLedgerCore

struct ShowCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract:
            """
            A candidate's whole timeline, grouped by run: every event with position, time, actor, outcome, approver, \
            reasons, evidence and CI run.
            """,
        discussion: "Example: release-ledger show $SHA --format markdown")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The candidate's commit SHA.") var sha: String

    func execute(in context: CommandContext) throws(LedgerError) {
        guard let timeline = try context.openLedger(ledger.settings, for: .reading).timeline(of: sha) else {
            throw .usage("\(sha) is not in the ledger")
        }
        let groups = timeline.groups
        let format = output.resolved(ledger.settings)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "sha": .string(sha),
                    "acceptance": timeline.acceptance.map {
                        ["verdict": .string($0.verdict.rawValue), "reason": .optionalString($0.reason)]
                    } ?? .null,
                    "groups": .array(
                        try groups.map { (group) throws(LedgerError) in
                            try ShowTimeline.groupJSON(group.run, events: group.events)
                        }),
                ]))
            return
        }
        var text = [format == .markdown ? "## \(sha)" : sha]
        if let acceptance = timeline.acceptance, !acceptance.isYes {
            text.append(
                "acceptance \(acceptance.verdict)" + (acceptance.reason.map { ": \($0)" } ?? "")
                    + " (no production run)")
        }
        for group in groups {
            let facts = ShowTimeline.facts(group.run)
            var lines = [format == .markdown ? "### \(ShowTimeline.title(group.run))" : ShowTimeline.title(group.run)]
            lines += facts.map { format == .markdown ? "- \($0)" : "  \($0)" }
            if format == .markdown { lines.append("") }
            let table = Table(
                title: nil, headers: ["POSITION", "TIME", "EVENT", "SUBJECT", "OUTCOME", "ACTOR", "DETAILS", "CI RUN"],
                rows: try group.events.map { (event) throws(LedgerError) -> [String] in
                    let metadata = try event.metadataValue()
                    let ciRun = metadata.runId.map { id in
                        metadata.ciRunURL.map { format == .markdown ? "[\(id)](\($0))" : $0 } ?? id
                    }
                    let data = try event.payload()
                    let details = ShowTimeline.details(data, markdown: format == .markdown)
                    return [
                        String(event.position), event.recordedAt.description, event.type, ShowTimeline.subject(data),
                        ShowTimeline.outcome(data),
                        metadata.actor.orDash, details.isEmpty ? "-" : details.joined(separator: "; "),
                        ciRun.orDash,
                    ]
                })
            text.append(lines.joined(separator: "\n") + "\n" + table.render(format))
        }
        context.console.line(text.joined(separator: "\n\n"))
    }
}
