import ArgumentParser
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ReportCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            """
            Write the audit page: one self-contained HTML file of candidates, runs, gates, decisions, DORA charts and \
            the chain.
            """,
        discussion: """
            The page has no script and no external asset; it opens offline and can be handed on as one file. It \
            verifies the
            ledger first (as `verify` does) and shows the result beside the chain head.
            Example:
              release-ledger report --html --out ledger-report.html
              release-ledger report --html --since 2026-11-01 --candidates 20 --out -
            """)

    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "HTML (the only format so far).") var html = false
    @Option(help: "The file to write, or - for standard output.") var out: String = "-"
    @Option(help: "Start of the DORA window (RFC 3339 or a date; default: the first run).") var since: String?
    @Option(help: "End of the DORA window, exclusive (default: just after the last decision).") var until: String?
    @Option(parsing: .unconditional, help: "How many candidates the timeline shows, newest first (default 50).")
    var candidates: Int = 50

    func execute(in context: CommandContext) throws(LedgerError) {
        guard candidates >= 1, candidates <= 100_000 else { throw .usage("--candidates must be 1 to 100000") }
        let store = try context.openLedger(ledger.settings, for: .reading)
        let verification = try store.verify(anchor: nil)
        let readModelProblem = verification.isIntact ? try store.readModelProblem() : nil

        let runs = Array(try store.runs(RunFilter()).reversed())
        // The same window as `metrics` by default.
        let (records, start, end) = try doraWindow(store: store, since: since, until: until)

        let deploys = try store.succeededDeploys()
        // Newest candidates first, by the position of their last event.
        var shown: [CandidateState] = []
        for sha in try store.candidateSHAs() {
            if let candidate = try store.candidateHistory(sha) { shown.append(candidate) }
        }
        shown.sort { $0.lastPosition > $1.lastPosition }

        let page = AuditPage(
            candidates: Array(shown.prefix(candidates)), released: runs.filter { $0.decision == .yes },
            deploys: deploys, decided: runs.filter { $0.decision != nil },
            dora: DoraMetrics.compute(runs: records, since: start, until: end), verification: verification,
            readModelProblem: readModelProblem)
        let text = page.render()
        if out == "-" {
            context.console.line(String(text.dropLast()))
            return
        }
        let path = out.hasPrefix("/") ? out : context.currentDirectory + "/" + out
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .storage("cannot write \(path): \(fileWriteProblem(error))")
        }
        context.console.line(
            ledger.json
                ? CanonicalJSON.encode(["written": .string(out), "verified": .bool(page.isVerified)]) : "wrote \(out)")
    }
}
