import ArgumentParser
import ReleaseLedgerCore
import ReleaseLedgerSQLite

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

struct StatusCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "What is in production now, the open run and its missing gates, and the last decisions.",
        discussion: "Example: release-ledger status --format markdown >> \"$GITHUB_STEP_SUMMARY\"")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Option(parsing: .unconditional, help: "How many recent decisions to list.") var recent: Int = 5

    func execute(in context: CommandContext) throws(LedgerError) {
        guard recent >= 0 else { throw .usage("--recent must be 0 or more") }
        let store = try context.openStore(ledger, forWriting: false)
        let production = try store.production()
        var openRun: (CandidateState, RunState, [GateResult])?
        if let pointer = production.openRun, let candidate = try store.candidate(pointer.sha), let run = candidate.openRun {
            openRun = (candidate, run, GateTable.evaluate(candidate, run: run))
        }
        let decisions = try store.latestDecisions(limit: max(0, recent))
        let format = output.resolved(ledger)
        if format == .json {
            let live: JSONValue = production.live.map { live in
                [
                    "sha": .string(live.sha), "images": ["api": .string(live.images.api), "web": .string(live.images.web)],
                    "since": .string(live.since.description), "run": .int(live.run), "actor": .optionalString(live.actor),
                ]
            } ?? .null
            let open: JSONValue = openRun.map { candidate, run, gates in
                [
                    "sha": .string(candidate.sha), "run": .int(run.number), "kind": .string(run.kind.rawValue),
                    "startedAt": .string(run.opened.at.description), "missingGates": .array(GateTable.unmet(gates).map { .string($0) }),
                ]
            } ?? .null
            context.console.line(CanonicalJSON.encode(["production": live, "openRun": open, "recentDecisions": .array(decisions.map(\.json))]))
            return
        }
        var liveRows: [[String]] = []
        if let live = production.live {
            liveRows = [[live.sha, String(live.run), live.since.description, live.actor.orDash, live.images.api, live.images.web]]
        }
        var text = [Table(title: "In production", headers: ["SHA", "RUN", "SINCE", "ACTOR", "API", "WEB"], rows: liveRows).render(format)]
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
        commandName: "history", abstract: "One line per run, newest first.",
        discussion: "Example: release-ledger history --since 2026-11-01 --decision NO --kind rollback --limit 20")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "Only this SHA.") var sha: String?
    @Option(help: "Runs started at or after (RFC 3339 or a date).") var since: String?
    @Option(help: "Runs started before (RFC 3339 or a date).") var until: String?
    @Option(help: "YES, NO or PENDING.") var decision: String?
    @Option(help: "promotion, replay or rollback.") var kind: String?
    @Option(parsing: .unconditional, help: "At most this many runs.") var limit: Int?

    func execute(in context: CommandContext) throws(LedgerError) {
        if let decision, !["YES", "NO", "PENDING"].contains(decision) { throw .usage("--decision must be YES, NO or PENDING") }
        var runKind: RunKind?
        if let kind {
            guard let parsed = RunKind(rawValue: kind) else { throw .usage("--kind must be promotion, replay or rollback") }
            runKind = parsed
        }
        if let limit, limit < 0 { throw .usage("--limit must be 0 or more") }
        let filter = RunFilter(
            sha: sha, since: try since.map { s throws(LedgerError) in try parseTime(s, option: "--since") },
            until: try until.map { s throws(LedgerError) in try parseTime(s, option: "--until") }, decision: decision, kind: runKind, limit: limit)
        let store = try context.openStore(ledger, forWriting: false)
        let runs = try store.runs(filter)
        switch output.resolved(ledger) {
        case .json: context.console.line(CanonicalJSON.encode(["runs": .array(runs.map(\.json))]))
        case let format: context.console.line(Table(title: format == .markdown ? "Release history" : nil, headers: RunSummary.headers, rows: runs.map(\.row)).render(format))
        }
    }
}

struct ShowCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A candidate's whole timeline: every event with position, time, actor and outcome, grouped by run.",
        discussion: "Example: release-ledger show $SHA --format markdown")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The candidate's commit SHA.") var sha: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openStore(ledger, forWriting: false)
        let candidate = try store.candidate(sha)
        let events = try store.events(EventQuery(sha: sha))
        guard !events.isEmpty else { throw .usage("\(sha) is not in the ledger") }
        let runs = candidate?.runs ?? []
        /// The run an event belongs to: the last run opened at or before it (candidate facts before run 1 have none).
        func runNumber(_ event: RecordedEvent) -> Int? {
            guard EventType(rawValue: event.type)?.isCandidateFact != true else { return nil }
            return runs.last(where: { $0.opened.position <= event.position })?.number
        }
        var groups: [(title: String, run: Int?, events: [RecordedEvent])] = []
        for event in events {
            let number = runNumber(event)
            if groups.last?.run == number, !groups.isEmpty {
                groups[groups.count - 1].events.append(event)
            } else if let index = groups.firstIndex(where: { $0.run == number }) {
                groups[index].events.append(event)
            } else {
                let title = number.map { n in "Run \(n) (\(runs[n - 1].kind.rawValue))" + (runs[n - 1].decision.map { ": \($0.decision)" } ?? ": open") } ?? "Candidate"
                groups.append((title, number, [event]))
            }
        }
        func outcome(_ event: RecordedEvent) -> String {
            let data = event.dataValue
            for key in ["outcome", "verdict", "decision", "status", "mode"] { if let value = data[key]?.stringValue { return value } }
            return "-"
        }
        func subject(_ event: RecordedEvent) -> String {
            let data = event.dataValue
            for key in ["app", "suite", "scope", "step", "check", "gate"] { if let value = data[key]?.stringValue { return value } }
            return ""
        }
        let format = output.resolved(ledger)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "sha": .string(sha),
                    "groups": .array(
                        groups.map { group in
                            [
                                "run": group.run.map { .int($0) } ?? .null, "title": .string(group.title),
                                "events": .array(
                                    group.events.map { event in
                                        [
                                            "position": .number(.integer(event.position)), "type": .string(event.type),
                                            "subject": .string(subject(event)), "recordedAt": .string(event.recordedAt.description),
                                            "actor": .optionalString(event.metadataValue.actor), "outcome": .string(outcome(event)),
                                        ]
                                    }),
                            ]
                        }),
                ]))
            return
        }
        let tables = groups.map { group in
            Table(
                title: group.title, headers: ["POSITION", "TIME", "EVENT", "SUBJECT", "OUTCOME", "ACTOR"],
                rows: group.events.map {
                    [String($0.position), $0.recordedAt.description, $0.type, subject($0), outcome($0), $0.metadataValue.actor.orDash]
                }
            ).render(format)
        }
        context.console.line((format == .markdown ? ["## \(sha)"] : ["\(sha)"]).joined() + "\n\n" + tables.joined(separator: "\n\n"))
    }
}

struct AtCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "at", abstract: "What was in production at a moment, derived only from events up to then.",
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
        let store = try context.openStore(ledger, forWriting: false)
        let upTo: Int64
        if let time {
            upTo = try store.lastPosition(atOrBefore: try parseTime(time, option: "TIME"))
        } else {
            guard let position, position >= 0 else { throw .usage("--position must be 0 or more") }
            upTo = min(position, try store.head().position)
        }
        let live = try store.liveRun(atOrBeforePosition: upTo)
        let open = try store.openRun(atPosition: upTo)
        var images: Images?
        if let live { images = try store.candidate(live.sha)?.frozen?.images }
        let format = output.resolved(ledger)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "at": time.map { .string($0) } ?? .null, "position": .number(.integer(upTo)),
                    "production": live.map { live in
                        [
                            "sha": .string(live.sha), "run": .int(live.run), "kind": .string(live.kind.rawValue),
                            "since": .optionalString(live.decidedAt?.description), "actor": .optionalString(live.actor),
                            "images": images.map { ["api": .string($0.api), "web": .string($0.web)] } ?? .null,
                        ]
                    } ?? .null,
                    "openRun": open.map { ["sha": .string($0.sha), "run": .int($0.run), "kind": .string($0.kind.rawValue)] } ?? .null,
                ]))
            return
        }
        let rows = live.map { [[$0.sha, String($0.run), $0.kind.rawValue, $0.decidedAt?.description ?? "-", $0.actor.orDash, images?.api ?? "-", images?.web ?? "-"]] } ?? []
        var text = Table(title: "In production at position \(upTo)" + (time.map { " (\($0))" } ?? ""), headers: ["SHA", "RUN", "KIND", "SINCE", "ACTOR", "API", "WEB"], rows: rows).render(format)
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
        let store = try context.openStore(ledger, forWriting: false)
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
