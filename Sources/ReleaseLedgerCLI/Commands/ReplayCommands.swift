import ArgumentParser
import ReleaseLedgerCore
import ReleaseLedgerSQLite

struct RollbackCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Roll production back to an earlier accepted SHA: opens a new run of it and prints the plan.",
        discussion: """
            Without --to, picks the last SHA decided YES before the one in production, and says so.
            Refused (exit 2) when there is none, when the target is already in production (use replay), or while a run is open.
            Examples:
              release-ledger rollback --reason "checkout errors after 9f8e7d6" 
              release-ledger rollback --to $GOOD_SHA --reason "bad migration" --json
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "The SHA to roll back to (default: the last one decided YES before the current).") var to: String?
    @Option(parsing: .unconditional, help: "Why: recorded with the request.") var reason: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openStore(options.ledger, forWriting: true)
        let production = try store.production()
        var target = to
        if target == nil {
            guard let live = production.live else {
                throw Rule.replayTargets.refusal("nothing is in production, so there is nothing to roll back from")
            }
            guard let previous = try store.lastYes(excluding: live.sha) else {
                throw Rule.replayTargets.refusal("no SHA other than \(shortSHA(live.sha)) was ever decided YES; there is nothing to roll back to")
            }
            target = previous.sha
        }
        try requestRun(
            mode: "rollback", sha: target!, reason: reason, picked: to == nil, store: store, production: production, options: options,
            context: context)
    }
}

struct ReplayCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Run an accepted candidate again with the same manifest and digests: opens a new run and prints the plan.",
        discussion: "Example: release-ledger replay --sha $SHA --reason \"re-run after a transient smoke failure\"")

    @OptionGroup var options: AppendOptions
    @Option(help: "The accepted candidate to replay.") var sha: String
    @Option(parsing: .unconditional, help: "Why: recorded with the request.") var reason: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openStore(options.ledger, forWriting: true)
        try requestRun(
            mode: "replay", sha: sha, reason: reason, picked: false, store: store, production: try store.production(), options: options,
            context: context)
    }
}

/// Appends `replay.requested` and prints what the new run must do.
func requestRun(
    mode: String, sha: String, reason: String, picked: Bool, store: SQLiteEventStore, production: ProductionState, options: AppendOptions,
    context: CommandContext
) throws(LedgerError) {
    var data = JSONObject([("mode", .string(mode)), ("reason", .string(reason))])
    if let actor = options.metadata.metadata(context.environment).actor { data["requestedBy"] = .string(actor) }
    let event = try options.proposed(type: EventType.replayRequested.rawValue, sha: sha, data: .object(data), context: context)
    let receipt = try store.append([event])[0]
    guard let target = try store.candidate(sha), let frozen = target.frozen, let run = target.runs.last else {
        throw .storage("the new run of \(sha) is not in the read model")
    }
    let manifest = Artifacts.manifest(target)!
    let gates = GateTable.evaluate(target, run: run).filter(\.required)
    var warning: String?
    if let live = production.live, live.sha != sha, let current = try store.candidate(live.sha), let currentFrozen = current.frozen,
        currentFrozen.event.position > frozen.event.position,
        currentFrozen.migrationRequired || current.runs.contains(where: { $0.migrationRan == "succeeded" })
    {
        warning = "\(shortSHA(live.sha)) (in production) carries a database migration newer than \(shortSHA(sha)); a replay does not reverse migrations"
    }
    if options.ledger.json {
        context.console.line(
            CanonicalJSON.encode([
                "status": .string(receipt.status.rawValue), "mode": .string(mode), "sha": .string(sha), "picked": .bool(picked),
                "run": .int(run.number), "kind": .string(run.kind.rawValue), "replaces": .optionalString(run.replaces),
                "position": .number(.integer(run.opened.position)),
                "digests": ["api": .string(frozen.images.api), "web": .string(frozen.images.web)],
                "gates": .array(gates.map { ["name": .string($0.name), "status": .string($0.status.rawValue)] }),
                "migrationWarning": .optionalString(warning), "manifest": manifest,
            ]))
        return
    }
    let console = context.console
    if picked { console.line("picked \(sha): the last SHA decided YES before the one in production") }
    let replaces = run.replaces.map { ", replacing \(shortSHA($0)) in production" } ?? ""
    let opened = receipt.status == .recorded ? "opened" : "already opened"
    console.line("\(mode) of \(shortSHA(sha)): run \(run.number) (\(run.kind.rawValue)) \(opened) at position \(run.opened.position)\(replaces)")
    console.line("deploy exactly these digests:")
    console.line("  api  \(frozen.images.api)")
    console.line("  web  \(frozen.images.web)")
    console.line("gates this run must pass: " + gates.map { "\($0.name) [\($0.status.rawValue)]" }.joined(separator: ", "))
    if let warning { console.line("warning: \(warning)") }
    console.line("manifest (candidate/\(sha)/manifest.json):")
    console.line(CanonicalJSON.encodePretty(manifest), terminator: "")
}

extension Console {
    func line(_ text: String, terminator: String) { writeOut(text + terminator) }
}
