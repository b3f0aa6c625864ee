import ArgumentParser
import ReleaseLedgerCore

/// Parses `--since`/`--until`/`at` times: RFC 3339, or a date meaning its midnight UTC.
func parseTime(_ text: String, option: String) throws(LedgerError) -> Timestamp {
    guard let time = Timestamp(rfc3339: text, allowDateOnly: true) else {
        throw .usage("\(option) must be an RFC 3339 date-time (2026-11-29T10:00:00Z) or a date (2026-11-29), not '\(text)'")
    }
    return time
}

extension RunSummary {
    var json: JSONValue {
        [
            "sha": .string(sha), "run": .int(run), "kind": .string(kind.rawValue), "replaces": .optionalString(replaces),
            "decision": .string(decision ?? "PENDING"), "startedAt": .string(openedAt.description),
            "decidedAt": .optionalString(decidedAt?.description), "actor": .optionalString(actor),
            "openedPosition": .number(.integer(openedPosition)), "decidedPosition": decidedPosition.map { .number(.integer($0)) } ?? .null,
        ]
    }

    var row: [String] {
        [sha, String(run), kind.rawValue, decision ?? "PENDING", openedAt.description, decidedAt?.description ?? "-", actor.orDash]
    }

    static let headers = ["SHA", "RUN", "KIND", "DECISION", "STARTED", "DECIDED", "ACTOR"]
}

/// What production runs and what was released, side by side: `status` and `at` print both.
struct ProductionView {
    var released: ProductionState.Live?
    var serving: [ServingApp]

    /// Whether an app runs something other than the released digest.
    var differs: Bool {
        serving.contains { app in app.image != (app.app == "api" ? released?.images.api : released?.images.web) }
            || (released != nil && serving.count < ServingApp.apps.count)
    }

    var releasedJSON: JSONValue {
        released.map { live in
            [
                "sha": .string(live.sha), "images": ["api": .string(live.images.api), "web": .string(live.images.web)],
                "since": .string(live.since.description), "run": .int(live.run), "actor": .optionalString(live.actor),
                "position": .number(.integer(live.position)),
            ]
        } ?? .null
    }

    var servingJSON: JSONValue {
        .object(
            JSONObject(
                serving.map { app in
                    (
                        app.app,
                        [
                            "image": .string(app.image), "sha": .string(app.sha), "run": app.run.map { .int($0) } ?? .null,
                            "since": .string(app.at.description), "position": .number(.integer(app.position)),
                        ] as JSONValue
                    )
                }))
    }

    func tables(_ format: OutputFormat) -> [String] {
        let releasedRows = released.map { live in
            [[live.sha, String(live.run), live.since.description, live.actor.orDash, live.images.api, live.images.web]]
        } ?? []
        let servingRows = serving.map { [$0.app, $0.image, $0.sha, $0.run.map(String.init) ?? "-", $0.at.description] }
        var text = [
            Table(title: "Released (last run decided YES)", headers: ["SHA", "RUN", "SINCE", "ACTOR", "API", "WEB"], rows: releasedRows)
                .render(format),
            Table(title: "Serving (last succeeded deploy per app)", headers: ["APP", "IMAGE", "SHA", "RUN", "SINCE"], rows: servingRows)
                .render(format),
        ]
        if differs { text.append("note: what is serving differs from what was released") }
        return text
    }
}

struct StatusCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What was released and what is serving now, the open run and its missing gates, and the last decisions.",
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
        let store = try context.openLedger(ledger, for: .reading)
        let status = try store.status(recentDecisions: recent)
        let view = ProductionView(released: status.production.live, serving: status.serving)
        let openRun = status.openRun.map { ($0.candidate, $0.run, $0.gates) }
        let decisions = status.recentDecisions
        let format = output.resolved(ledger)
        try GitHubActions(context, ledger).status(
            view, openRun: openRun.map { ($0.0.sha, $0.1.number, GateTable.unmet($0.2)) }, head: status.head, store: store)
        if format == .json {
            let open: JSONValue = openRun.map { candidate, run, gates in
                [
                    "sha": .string(candidate.sha), "run": .int(run.number), "kind": .string(run.kind.rawValue),
                    "startedAt": .string(run.opened.at.description), "missingGates": .array(GateTable.unmet(gates).map { .string($0) }),
                ]
            } ?? .null
            // `production` is kept for scripts written before `released` and `serving`: it is `released`.
            context.console.line(
                CanonicalJSON.encode([
                    "production": view.releasedJSON, "released": view.releasedJSON, "serving": view.servingJSON,
                    "servingDiffers": .bool(view.differs), "openRun": open, "recentDecisions": .array(decisions.map(\.json)),
                ]))
            return
        }
        var text = view.tables(format)
        let openRows = openRun.map { candidate, run, gates in
            [[candidate.sha, String(run.number), run.kind.rawValue, run.opened.at.description, GateTable.unmet(gates).joined(separator: ", ")]]
        } ?? []
        text.append(Table(title: "Open run", headers: ["SHA", "RUN", "KIND", "STARTED", "MISSING GATES"], rows: openRows).render(format))
        text.append(Table(title: "Recent decisions", headers: RunSummary.headers, rows: decisions.map(\.row)).render(format))
        context.console.line(text.joined(separator: "\n\n"))
    }
}

struct HistoryCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "One line per run, newest first, and one (kind acceptance, decision NO) per candidate refused at acceptance.",
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
        if let decision, !["YES", "NO", "PENDING"].contains(decision) { throw .usage("--decision must be YES, NO or PENDING") }
        var runKind: RunKind?
        if let kind {
            guard let parsed = RunKind(rawValue: kind) else { throw .usage("--kind must be promotion, replay, rollback or acceptance") }
            runKind = parsed
        }
        if let limit, limit < 0 { throw .usage("--limit must be 0 or more") }
        let filter = RunFilter(
            sha: sha, since: try since.map { s throws(LedgerError) in try parseTime(s, option: "--since") },
            until: try until.map { s throws(LedgerError) in try parseTime(s, option: "--until") }, decision: decision, kind: runKind, limit: limit,
            includeAcceptanceRefusals: true)
        let entries = try context.openLedger(ledger, for: .reading).history(filter)
        let lines = entries.map { ($0.summary, HistoryDetails($0)) }
        switch output.resolved(ledger) {
        case .json: context.console.line(CanonicalJSON.encode(["runs": .array(lines.map { $1.json(adding: $0.json) })]))
        case let format:
            let rows = lines.map { $0.row + $1.row(markdown: format == .markdown) }
            context.console.line(Table(title: format == .markdown ? "Release history" : nil, headers: RunSummary.headers + HistoryDetails.headers, rows: rows).render(format))
        }
    }
}

/// What a history line adds to the `runs` read model's columns: the reasons, the approver, whether
/// it was forced, the evidence, and the CI run of the event that decided it (opened it, while pending).
struct HistoryDetails {
    var reason: String?
    var decisionReason: String?
    var approver: String?
    var forced = false
    var evidence: [EvidenceLink] = []
    var ciRun = EventMetadata()

    init(_ entry: HistoryEntry) {
        ciRun = entry.metadata
        if let acceptance = entry.acceptance {
            decisionReason = acceptance.reason
            evidence = acceptance.evidence
        } else if let run = entry.run {
            reason = run.reason
            decisionReason = run.decision.flatMap { $0.reason.isEmpty ? nil : $0.reason }
            approver = run.approver
            forced = run.forced
            evidence = run.steps.flatMap(\.evidence)
        }
    }

    static let headers = ["APPROVER", "REASONS", "EVIDENCE", "CI RUN"]

    func row(markdown: Bool) -> [String] {
        let reasons = [reason.map { "requested: \($0)" }, forced ? "forced" : nil, decisionReason.map { "decided: \($0)" }].compactMap { $0 }
        let links = evidence.map { markdown ? "[\($0.name)](\($0.url))" : $0.name }
        let run = ciRun.runId.map { id in ciRun.ciRunURL.map { markdown ? "[\(id)](\($0))" : $0 } ?? id }
        return [approver.orDash, reasons.isEmpty ? "-" : reasons.joined(separator: "; "), links.isEmpty ? "-" : links.joined(separator: ", "), run.orDash]
    }

    func json(adding summary: JSONValue) -> JSONValue {
        guard var object = summary.objectValue else { return summary }
        object["approver"] = .optionalString(approver)
        object["reason"] = .optionalString(reason)
        object["decisionReason"] = .optionalString(decisionReason)
        object["forced"] = .bool(forced)
        object["evidence"] = .array(evidence.map { ["name": .string($0.name), "url": .string($0.url)] })
        object["ciRun"] = ciRun.ciRunJSON
        return .object(object)
    }
}

struct ShowCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A candidate's whole timeline, grouped by run: every event with position, time, actor, outcome, approver, reasons, evidence and CI run.",
        discussion: "Example: release-ledger show $SHA --format markdown")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The candidate's commit SHA.") var sha: String

    func execute(in context: CommandContext) throws(LedgerError) {
        guard let timeline = try context.openLedger(ledger, for: .reading).timeline(of: sha) else {
            throw .usage("\(sha) is not in the ledger")
        }
        let groups = timeline.groups
        let format = output.resolved(ledger)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "sha": .string(sha),
                    "acceptance": timeline.acceptance.map { ["verdict": .string($0.verdict), "reason": .optionalString($0.reason)] } ?? .null,
                    "groups": .array(try groups.map { (group) throws(LedgerError) in try ShowTimeline.groupJSON(group.run, events: group.events) }),
                ]))
            return
        }
        var text = [format == .markdown ? "## \(sha)" : sha]
        if let acceptance = timeline.acceptance, !acceptance.isYes {
            text.append("acceptance \(acceptance.verdict)" + (acceptance.reason.map { ": \($0)" } ?? "") + " (no production run)")
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
                        String(event.position), event.recordedAt.description, event.type, ShowTimeline.subject(data), ShowTimeline.outcome(data),
                        metadata.actor.orDash, details.isEmpty ? "-" : details.joined(separator: "; "),
                        ciRun.orDash,
                    ]
                })
            text.append(lines.joined(separator: "\n") + "\n" + table.render(format))
        }
        context.console.line(text.joined(separator: "\n\n"))
    }
}

/// What `show` says about a run and its events, beside the raw event fields: the facts an auditor
/// asks for first (approver, reasons, evidence, the CI run).
enum ShowTimeline {
    static func title(_ run: RunState?) -> String {
        guard let run else { return "Candidate" }
        return "Run \(run.number) (\(run.kind.rawValue)): " + (run.decision?.decision ?? "open")
    }

    /// One line per fact of the run that its events' columns do not show at a glance.
    static func facts(_ run: RunState?) -> [String] {
        guard let run else { return [] }
        var facts: [String] = []
        if run.kind != .promotion {
            var line = "\(run.kind.rawValue) requested by \(run.requestedBy.orDash)"
            if let replaces = run.replaces { line += ", replacing \(replaces)" }
            if let reason = run.reason { line += ": \(reason)" }
            if run.forced { line += " (forced)" }
            facts.append(line)
        }
        if let approval = run.approval { facts.append("control-plane \(approval) by \(run.approver.orDash)") }
        if let decision = run.decision {
            facts.append("decision \(decision.decision) at \(decision.event.at) by \(decision.actor.orDash)" + (decision.reason.isEmpty ? "" : ": \(decision.reason)"))
        }
        return facts
    }

    static func groupJSON(_ run: RunState?, events: [RecordedEvent]) throws(LedgerError) -> JSONValue {
        [
            "run": run.map { .int($0.number) } ?? .null,
            "title": .string(title(run)),
            "kind": run.map { .string($0.kind.rawValue) } ?? .null,
            "decision": run.map { .string($0.decision?.decision ?? "PENDING") } ?? .null,
            "decidedAt": .optionalString(run?.decision?.event.at.description),
            "decidedBy": .optionalString(run?.decision?.actor),
            "decisionReason": run?.decision.map { $0.reason.isEmpty ? .null : .string($0.reason) } ?? .null,
            "reason": .optionalString(run?.reason),
            "replaces": .optionalString(run?.replaces),
            "requestedBy": .optionalString(run?.kind == .promotion ? nil : run?.requestedBy),
            "forced": .bool(run?.forced ?? false),
            "approval": .optionalString(run?.approval),
            "approver": .optionalString(run?.approver),
            "events": .array(try events.map { (event) throws(LedgerError) in try eventJSON(event) }),
        ]
    }

    static func eventJSON(_ event: RecordedEvent) throws(LedgerError) -> JSONValue {
        let data = try event.payload()
        let metadata = try event.metadataValue()
        return [
            "position": .number(.integer(event.position)), "type": .string(event.type), "subject": .string(subject(data)),
            "recordedAt": .string(event.recordedAt.description), "actor": .optionalString(metadata.actor), "outcome": .string(outcome(data)),
            "approver": .optionalString(data["approver"]?.stringValue), "reason": .optionalString(data["reason"]?.stringValue),
            "evidence": .array(evidence(data).map { ["name": .string($0.name), "url": .string($0.url)] }),
            "ciRun": metadata.ciRunJSON,
        ]
    }

    static func outcome(_ data: JSONValue) -> String {
        for key in ["outcome", "verdict", "decision", "status", "mode"] { if let value = data[key]?.stringValue { return value } }
        return "-"
    }

    static func subject(_ data: JSONValue) -> String {
        for key in ["app", "suite", "scope", "step", "check", "gate"] { if let value = data[key]?.stringValue { return value } }
        return ""
    }

    static func evidence(_ data: JSONValue) -> [EvidenceLink] {
        (data["evidence"]?.arrayValue ?? []).map { EvidenceLink(name: $0["name"]?.stringValue ?? "", url: $0["url"]?.stringValue ?? "") }
    }

    /// The approver, the reason and the evidence links an event carries, for the DETAILS column.
    static func details(_ data: JSONValue, markdown: Bool) -> [String] {
        var details: [String] = []
        if let approver = data["approver"]?.stringValue { details.append("approver \(approver)") }
        if let reason = data["reason"]?.stringValue { details.append("reason: \(reason)") }
        if data["forced"]?.boolValue == true { details.append("forced") }
        for link in evidence(data) { details.append(markdown ? "[\(link.name)](\(link.url))" : "\(link.name): \(link.url)") }
        return details
    }
}

struct AtCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "at", abstract: "What was released and what was serving at a moment, derived only from events up to then.",
        discussion: """
            Examples:
              release-ledger at 2026-11-29T10:15:00Z
              release-ledger at --position 1234
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The moment (RFC 3339 or a date).") var time: String?
    @Option(parsing: .unconditional, help: "A ledger position instead of a time.") var position: Int64?

    func execute(in context: CommandContext) throws(LedgerError) {
        guard (time != nil) != (position != nil) else { throw .usage("at needs exactly one of TIME or --position N") }
        let point: LedgerMoment.Point
        if let time {
            point = .time(try parseTime(time, option: "TIME"))
        } else {
            guard let position, position >= 0 else { throw .usage("--position must be 0 or more") }
            point = .position(position)
        }
        let moment = try context.openLedger(ledger, for: .reading).moment(point)
        let upTo = moment.position, live = moment.liveRun, open = moment.openRun
        let view = ProductionView(released: moment.released, serving: moment.serving)
        let format = output.resolved(ledger)
        if format == .json {
            var releasedJSON = view.releasedJSON
            if case .object(var object) = releasedJSON, let live {
                object["kind"] = .string(live.kind.rawValue)
                releasedJSON = .object(object)
            }
            // `production` is kept for scripts written before `released` and `serving`: it is `released`.
            context.console.line(
                CanonicalJSON.encode([
                    "at": time.map { .string($0) } ?? .null, "position": .number(.integer(upTo)),
                    "production": releasedJSON, "released": releasedJSON, "serving": view.servingJSON,
                    "servingDiffers": .bool(view.differs),
                    "openRun": open.map { ["sha": .string($0.sha), "run": .int($0.run), "kind": .string($0.kind.rawValue)] } ?? .null,
                ]))
            return
        }
        var text = "At position \(upTo)" + (time.map { " (\($0))" } ?? "") + "\n\n" + view.tables(format).joined(separator: "\n\n")
        if let open { text += "\n\nopen run: \(open.sha) run \(open.run) (\(open.kind.rawValue))" }
        context.console.line(text)
    }
}

struct DiffCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "How two candidates' manifests differ: images, scopes, migration.",
        discussion: "Example: release-ledger diff $OLD_SHA $NEW_SHA")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The first SHA.") var first: String
    @Argument(help: "The second SHA.") var second: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger, for: .reading)
        func frozen(_ sha: String) throws(LedgerError) -> FrozenCandidate {
            guard let frozen = try store.candidate(sha)?.frozen else { throw .usage("\(sha) has no frozen manifest in the ledger") }
            return frozen
        }
        let a = try frozen(first)
        let b = try frozen(second)
        let fields: [(String, String, String)] = [
            ("images.api", a.images.api, b.images.api), ("images.web", a.images.web, b.images.web),
            ("scopes.runtime", "\(a.scopes.runtime)", "\(b.scopes.runtime)"), ("scopes.infra", "\(a.scopes.infra)", "\(b.scopes.infra)"),
            ("scopes.identity", "\(a.scopes.identity)", "\(b.scopes.identity)"),
            ("scopes.requiresInfraConvergence", "\(a.scopes.requiresInfraConvergence)", "\(b.scopes.requiresInfraConvergence)"),
            ("migration.image", a.images.api, b.images.api), ("migration.required", "\(a.migrationRequired)", "\(b.migrationRequired)"),
        ]
        let differences = fields.filter { $0.1 != $0.2 }
        let format = output.resolved(ledger)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "from": .string(first), "to": .string(second), "identical": .bool(differences.isEmpty),
                    "differences": .array(differences.map { ["field": .string($0.0), "from": .string($0.1), "to": .string($0.2)] }),
                ]))
            return
        }
        let table = Table(title: "\(shortSHA(first)) -> \(shortSHA(second))", headers: ["FIELD", "FROM", "TO"], rows: differences.map { [$0.0, $0.1, $0.2] })
        context.console.line(differences.isEmpty ? "the manifests of \(shortSHA(first)) and \(shortSHA(second)) are identical in images, scopes and migration" : table.render(format))
    }
}
