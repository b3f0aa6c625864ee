import ReleaseLedgerCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a command hands to a GitHub Actions job besides its printed output: step outputs in
/// `$GITHUB_OUTPUT`, markdown in `$GITHUB_STEP_SUMMARY`, and `::error` annotations.
/// Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
struct GitHubActions {
    /// GitHub refuses a step summary over 1 MiB; each command keeps its part well under that.
    static let summaryLimit = 64 * 1024
    static let stepSummaryCap = 1024 * 1024

    let environment: [String: String]
    let currentDirectory: String
    /// Whether this command writes `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`.
    let enabled: Bool

    /// `--github-output`/`--no-github-output` win over the detection (`GITHUB_ACTIONS=true`).
    init(_ context: CommandContext, _ options: LedgerSettings) {
        environment = context.environment
        currentDirectory = context.currentDirectory
        enabled = options.githubOutput ?? Self.isActions(context.environment)
    }

    static func isActions(_ environment: [String: String]) -> Bool { environment["GITHUB_ACTIONS"] == "true" }

    // MARK: Outputs

    /// Appends `name<<DELIMITER` blocks to `$GITHUB_OUTPUT`, as `core.setOutput` does: a value may
    /// span lines, and one that contains the delimiter is refused rather than allowed to end it early.
    func setOutputs(_ outputs: [(String, String)]) throws(LedgerError) {
        guard enabled, let path = file("GITHUB_OUTPUT") else { return }
        let delimiter = "ghadelimiter_" + RandomUUIDGenerator().next()
        var text = ""
        for (name, value) in outputs {
            guard !value.contains(delimiter) else {
                throw .storage("GITHUB_OUTPUT: the value of \(name) contains the random delimiter; nothing written")
            }
            text += "\(name)<<\(delimiter)\n\(value)\n\(delimiter)\n"
        }
        try append(text, to: path, variable: "GITHUB_OUTPUT")
    }

    /// The outputs every write command sets: the event's position and SHA, and the ledger run it
    /// joined (empty when it joined none, as freeze and accept do).
    func setOutputs(for receipt: AppendReceipt, store: any Ledger, adding extra: [(String, String)] = [])
        throws(LedgerError)
    {
        guard enabled, file("GITHUB_OUTPUT") != nil else { return }
        try setOutputs(
            [
                ("position", String(receipt.position)), ("sha", receipt.sha),
                ("run", try Self.run(joinedBy: receipt, store: store)),
            ] + extra)
    }

    static func run(joinedBy receipt: AppendReceipt, store: any Ledger) throws(LedgerError) -> String {
        func find(_ candidate: CandidateState?) -> RunState? {
            candidate?.runs.last { $0.opened.position <= receipt.position && receipt.position <= $0.lastEvent.position }
        }
        // The rules' view holds the latest runs; a retry of an older event needs the whole history.
        if let run = find(try store.candidate(receipt.sha)) { return String(run.number) }
        return find(try store.candidateHistory(receipt.sha)).map { String($0.number) } ?? ""
    }

    // MARK: Step summary

    /// Appends markdown to `$GITHUB_STEP_SUMMARY`, cut (with a note) to stay under GitHub's per-step cap.
    func appendSummary(_ markdown: String, command: String) throws(LedgerError) {
        guard enabled, let path = file("GITHUB_STEP_SUMMARY") else { return }
        var info = stat()
        let used = stat(path, &info) == 0 ? Int(info.st_size) : 0
        let budget = min(Self.summaryLimit, Self.stepSummaryCap - used - 4096)
        let note =
            """
            \n\n_Summary cut at \(max(budget, 0) / 1024) KiB to stay under GitHub's 1 MiB step summary cap; \
            `release-ledger \(command) --json` prints all of it._\n
            """
        guard budget > note.utf8.count else { return }
        var text = markdown.hasSuffix("\n") ? markdown : markdown + "\n"
        if text.utf8.count > budget {
            var cut = ""
            var size = 0
            for character in text {
                size += character.utf8.count
                if size > budget - note.utf8.count { break }
                cut.append(character)
            }
            text = cut + note
        }
        try append("\n" + text, to: path, variable: "GITHUB_STEP_SUMMARY")
    }

    /// A link to this workflow run, as GitHub builds it, or nil outside Actions.
    var currentRunURL: String? {
        let server = environment["GITHUB_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let repository = environment["GITHUB_REPOSITORY"].flatMap { $0.isEmpty ? nil : $0 }
        let metadata = EventMetadata(
            source: server.map { server in repository.map { "\(server)/\($0)" } ?? server },
            runId: environment["GITHUB_RUN_ID"].flatMap { $0.isEmpty ? nil : $0 }, runAttempt: nil)
        return metadata.ciRunURL
    }

    /// The CI run page of the event at `position`, when its metadata names one.
    static func ciRunURL(at position: Int64, store: any Ledger) throws(LedgerError) -> String? {
        guard let event = try store.event(at: position),
            let json = try? JSONParser.parse(bytes: Array(event.metadata.utf8), field: "metadata"),
            let metadata = try? EventMetadata(stored: json)
        else { return nil }
        return metadata.ciRunURL
    }

    /// User text in markdown: no raw HTML, and its line breaks kept inside one list item or cell.
    static func markdownText(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
            .replacing("\r\n", with: "<br>").replacing("\n", with: "<br>").replacing("\r", with: "<br>")
    }

    static func link(_ label: String, _ url: String) -> String {
        "[\(markdownText(label))](\(url.replacing(")", with: "%29").replacing(" ", with: "%20")))"
    }

    // MARK: Files

    private func file(_ variable: String) -> String? {
        guard let path = environment[variable], !path.isEmpty else { return nil }
        return path.hasPrefix("/") ? path : currentDirectory + "/" + path
    }

    private func append(_ text: String, to path: String, variable: String) throws(LedgerError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .storage("\(variable): cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var text = text
        let failure: Int32? = text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return errno }
                offset += written
            }
            return nil
        }
        if let failure { throw .storage("\(variable): cannot write \(path): \(String(cString: strerror(failure)))") }
    }
}

// MARK: Annotations and workflow-command safety

extension GitHubActions {
    /// `::error title=...::message`, escaped as the Actions toolkit's `command.ts` does, so a
    /// message can neither end the line nor add properties.
    static func errorAnnotation(title: String, message: String) -> String {
        "::error title=\(escapeProperty(title))::\(escapeData(message))"
    }

    static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    /// What a refusal's exit code means, for the annotation's title.
    static func refusalTitle(exitCode: Int32, arguments: [String]) -> String {
        let kind =
            switch exitCode {
            case 2: "refused by a release rule"
            case 3: "conflict"
            case 4: "integrity check failed"
            case 64: "usage error"
            case 65: "invalid input"
            case 74: "storage or I/O error"
            case 75: "busy"
            default: "failed"
            }
        let verb = arguments.first { !$0.hasPrefix("-") }.flatMap { name in
            ReleaseLedger.configuration.subcommands.contains { $0._commandName == name } ? name : nil
        }
        return "release-ledger\(verb.map { " " + $0 } ?? ""): \(kind) (exit \(exitCode))"
    }

    /// Whether the runner would read some line of `text` as a workflow command: `::name::` at the
    /// start after any blanks (it trims Unicode white space), or the older `##[name]` anywhere. It
    /// splits lines at CR as well as LF, so this does too (Swift's "\r\n" is one Character).
    static func looksLikeWorkflowCommand(_ text: Substring) -> Bool {
        text.unicodeScalars.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r" }.contains { line in
            let start = line.drop { $0.properties.isWhitespace }
            return start.starts(with: "::".unicodeScalars) || String(line).contains("##[")
        }
    }
}

/// Standard output inside Actions: a line that the runner would read as a workflow command (user
/// text: a reason, a note) opens a `::stop-commands::TOKEN` block, with a token no one can guess,
/// and `finish` ends it, so the runner prints such lines instead of running them. Output with no
/// such line passes through unchanged, so `--json` stays parseable.
final class WorkflowCommandGuard: Sendable {
    private struct State {
        var pending = ""
        var token: String?
    }

    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    func output(_ text: String) {
        let ready: String = state.withLock { state in
            state.pending += text
            let scalars = state.pending.unicodeScalars
            guard let last = scalars.lastIndex(where: { $0 == "\n" }) else { return "" }
            let lines = Substring(scalars[...last])
            state.pending = String(scalars[scalars.index(after: last)...])
            return Self.guarded(lines, &state.token)
        }
        if !ready.isEmpty { write(ready) }
    }

    /// Prints what is left and ends the block, if one was opened.
    func finish() {
        let rest: String = state.withLock { state in
            var text = state.pending.isEmpty ? "" : Self.guarded(Substring(state.pending + "\n"), &state.token)
            state.pending = ""
            if let token = state.token { text += "::\(token)::\n" }
            state.token = nil
            return text
        }
        if !rest.isEmpty { write(rest) }
    }

    /// Complete lines, preceded by `::stop-commands::TOKEN` the first time one of them would run.
    private static func guarded(_ lines: Substring, _ token: inout String?) -> String {
        if token == nil, GitHubActions.looksLikeWorkflowCommand(lines) {
            let fresh = RandomUUIDGenerator().next().replacing("-", with: "")
            token = fresh
            return "::stop-commands::\(fresh)\n" + lines
        }
        return String(lines)
    }
}

extension GitHubActions {
    /// Runs one command line; inside Actions its standard output is guarded against user text that
    /// reads as a workflow command, and a refusal adds an `::error` annotation after it. The
    /// annotation's message is the error line already printed, so already scrubbed of secrets.
    static func guardingWorkflowCommands(_ context: CommandContext, arguments: [String], run: (CommandContext) -> Int32)
        -> Int32
    {
        guard isActions(context.environment) else { return run(context) }
        let console = context.console
        let output = WorkflowCommandGuard(write: console.writeOut)
        let lastError = Mutex<String?>(nil)
        var guarded = context
        guarded.console = Console(
            isTerminal: console.isTerminal, out: output.output,
            err: { text in
                lastError.withLock { $0 = text }
                // The runner reads stderr for commands too: the old `##[name]` form may sit anywhere in a line.
                console.writeErr(text.replacing("##[", with: "#\\#["))
            })
        let code = run(guarded)
        output.finish()
        if code != 0 {
            let line = lastError.withLock { $0 } ?? ""
            var message = line.hasSuffix("\n") ? String(line.dropLast()) : line
            message =
                message.hasPrefix("release-ledger: error: ")
                ? String(message.dropFirst("release-ledger: error: ".count)) : message
            // With JSON asked for, standard output stays one JSON document: the runner reads stderr for commands too.
            let json =
                arguments.contains("--json") || arguments.contains("--format=json")
                || zip(arguments, arguments.dropFirst()).contains { $0 == "--format" && $1 == "json" }
            (json ? console.writeErr : console.writeOut)(
                errorAnnotation(title: refusalTitle(exitCode: code, arguments: arguments), message: message) + "\n")
        }
        return code
    }
}

// MARK: What each command hands on

extension GitHubActions {
    /// `verdict`: outputs `decision` and `reasons` (one a line); the summary has the gate table.
    func verdict(_ report: VerdictReport, store: any Ledger) throws(LedgerError) {
        guard enabled else { return }
        try setOutputs([
            ("position", String(report.receipt.position)), ("sha", report.sha), ("run", String(report.run)),
            ("decision", report.decision.decision.rawValue), ("reasons", report.reasons.joined(separator: "\n")),
        ])
        let images = try store.candidate(report.sha)?.frozen?.images
        var lines = [
            "### Release verdict: \(report.decision.decision) for `\(shortSHA(report.sha))` run \(report.run)", "",
        ]
        let how = report.receipt.status == .recorded ? "Recorded" : "Already recorded"
        lines.append("\(how) at ledger position \(report.receipt.position) for `\(report.sha)`.")
        lines += ["", "**Reasons**", ""] + report.reasons.map { "- " + Self.markdownText($0) }
        lines += [
            "",
            Table(
                title: nil, headers: ["Gate", "Required", "Status"],
                rows: report.decision.gates.map {
                    [$0.name, $0.required ? "yes" : "no", $0.status.rawValue]
                }
            ).render(.markdown),
        ]
        if let images { lines += ["", Self.digestTable(images)] }
        lines += try ciRuns([("Decided in", report.receipt.position)], store: store)
        try appendSummary(lines.joined(separator: "\n"), command: "verdict")
    }

    /// `rollback` and `replay`: the digests to deploy, as outputs and in the summary.
    func plan(
        mode: String, reason: String, receipt: AppendReceipt, run: RunState, images: Images, gates: [GateResult],
        warning: String?,
        store: any Ledger
    ) throws(LedgerError) {
        guard enabled else { return }
        try setOutputs([
            ("position", String(receipt.position)), ("sha", receipt.sha), ("run", String(run.number)),
            ("api-image", images.api), ("web-image", images.web), ("target-sha", receipt.sha),
            ("replaces", run.replaces ?? ""),
        ])
        var lines = [
            """
            ### \(mode.prefix(1).uppercased() + mode.dropFirst()) of `\(shortSHA(receipt.sha))`: run \(run.number) \
            (\(run.kind.rawValue))
            """,
            "",
        ]
        lines.append("Target `\(receipt.sha)`" + (run.replaces.map { ", replacing `\($0)` in production" } ?? "") + ".")
        lines += ["", "**Reason:** " + Self.markdownText(reason)]
        if run.forced { lines += ["", "**Forced:** the target is not known good in production."] }
        if let warning { lines += ["", "**Warning:** " + Self.markdownText(warning)] }
        lines += ["", "Deploy exactly these digests:", "", Self.digestTable(images)]
        lines += [
            "",
            Table(
                title: nil, headers: ["Gate this run must pass", "Status"],
                rows: gates.map { [$0.name, $0.status.rawValue] }
            ).render(.markdown),
        ]
        lines += try ciRuns([("Requested in", receipt.position)], store: store)
        try appendSummary(lines.joined(separator: "\n"), command: mode)
    }

    /// `status`: what was released and what is serving, per app.
    func status(
        _ view: ProductionView, openRun: (sha: String, run: Int, missing: [String])?, head: Int64, store: any Ledger
    ) throws(LedgerError) {
        guard enabled else { return }
        func serving(_ app: String) -> String { view.serving.first { $0.app == app }?.image ?? "" }
        try setOutputs([
            ("position", String(head)), ("sha", view.released?.sha ?? ""),
            ("run", view.released.map { String($0.run) } ?? ""),
            ("released-sha", view.released?.sha ?? ""), ("released-run", view.released.map { String($0.run) } ?? ""),
            ("released-api-image", view.released?.images.api ?? ""),
            ("released-web-image", view.released?.images.web ?? ""),
            ("serving-api-image", serving("api")), ("serving-web-image", serving("web")),
            ("serving-differs", String(view.differs)),
        ])
        var lines = ["### Release ledger status (position \(head))", ""]
        lines.append(view.tables(.markdown).joined(separator: "\n\n"))
        if let openRun {
            let missing = openRun.missing.isEmpty ? "none" : openRun.missing.joined(separator: ", ")
            lines += ["", "Open run: `\(shortSHA(openRun.sha))` run \(openRun.run); missing gates: \(missing)."]
        }
        var runs: [(String, Int64)] = []
        if let released = view.released { runs.append(("Released by", released.position)) }
        try appendSummary((lines + (try ciRuns(runs, store: store))).joined(separator: "\n"), command: "status")
    }

    static func digestTable(_ images: Images) -> String {
        Table(
            title: nil, headers: ["App", "Digest"], rows: [["api", "`\(images.api)`"], ["web", "`\(images.web)`"]]
        ).render(.markdown)
    }

    /// Links to the CI runs behind the given events, then to this workflow run.
    func ciRuns(_ events: [(String, Int64)], store: any Ledger) throws(LedgerError) -> [String] {
        var links: [String] = []
        for (label, position) in events {
            if let url = try Self.ciRunURL(at: position, store: store) {
                links.append("- \(label): " + Self.link(url, url))
            }
        }
        if let url = currentRunURL { links.append("- This workflow run: " + Self.link(url, url)) }
        return links.isEmpty ? [] : ["", "**CI runs**", ""] + links
    }
}
