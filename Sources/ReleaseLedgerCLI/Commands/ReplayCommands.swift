import ArgumentParser
import ReleaseLedgerCore

struct RollbackCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll production back to an earlier accepted SHA: opens a new run of it and prints the plan.",
        discussion: """
            Without --to, picks the newest SHA decided YES that production was not rolled back from since and
            whose latest run said YES, and names the ones it skipped. Refused (exit 2) when there is none, when
            the target is already in production (use replay), while a run is open, or when the target's latest
            production run was decided NO or it was never decided YES (unless --force, which is recorded).
            Examples:
              release-ledger rollback --reason "checkout errors after 9f8e7d6"
              release-ledger rollback --to $GOOD_SHA --reason "bad migration" --json
              release-ledger rollback --to $SHA --force \\
                  --reason "only build without the leak"
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "The SHA to roll back to (default: the last good one, see above).") var to: String?
    @Option(parsing: .unconditional, help: "Why: recorded with the request.") var reason: String
    @Flag(help: "Roll back to a target not known good in production (its latest run said NO, or it never said YES).")
    var force = false

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(options.ledger, for: .writing)
        let production = try store.production()
        var target = to
        var skipped: [RollbackTarget.Skipped] = []
        if target == nil {
            guard let live = production.live else {
                throw Rule.replayTargets.refusal("nothing is in production, so there is nothing to roll back from")
            }
            let choice = try store.rollbackTarget(from: live.sha)
            skipped = choice.skipped
            guard let picked = choice.sha else {
                let passed = skipped.map { "\(shortSHA($0.sha)) (\($0.why))" }.joined(separator: "; ")
                throw Rule.replayTargets.refusal(
                    "no SHA other than \(shortSHA(live.sha)) is known good to roll back to" + (passed.isEmpty ? "" : "; skipped: \(passed)"))
            }
            target = picked
        }
        try requestRun(
            mode: "rollback", sha: target!, reason: reason, picked: to == nil, skipped: skipped, forced: force, store: store,
            options: options, context: context)
    }
}

struct ReplayCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Run an accepted candidate again with the same manifest and digests: opens a new run and prints the plan.",
        discussion: """
            Example:
              release-ledger replay --sha $SHA \\
                  --reason "re-run after a transient smoke failure"
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "The accepted candidate to replay.") var sha: String
    @Option(parsing: .unconditional, help: "Why: recorded with the request.") var reason: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(options.ledger, for: .writing)
        try requestRun(
            mode: "replay", sha: sha, reason: reason, picked: false, skipped: [], forced: false, store: store, options: options,
            context: context)
    }
}

/// Appends `replay.requested` and prints what the new run must do.
func requestRun(
    mode: String, sha: String, reason: String, picked: Bool, skipped: [RollbackTarget.Skipped], forced: Bool, store: any Ledger,
    options: AppendOptions, context: CommandContext
) throws(LedgerError) {
    var data = JSONObject([("mode", .string(mode)), ("reason", .string(reason))])
    if let actor = options.metadata.metadata(context.environment).actor { data["requestedBy"] = .string(actor) }
    if forced { data["forced"] = .bool(true) }
    let receipt: AppendReceipt
    do {
        let event = try options.proposed(type: EventType.replayRequested.rawValue, sha: sha, data: .object(data), context: context)
        receipt = try store.append([event])[0]
    } catch {
        throw error.namingFlags()
    }
    let plan = try store.runPlan(of: sha)
    let frozen = plan.frozen, run = plan.run, gates = plan.gates, warning = plan.migrationWarning
    let manifest = Artifacts.manifest(plan.candidate)!
    let earlier = plan.earlierRuns
    let notShown = plan.earlierRunsNotShown
    try GitHubActions(context, options.ledger).plan(
        mode: mode, reason: reason, receipt: receipt, run: run, images: frozen.images, gates: gates, warning: warning, store: store)
    if options.ledger.json {
        context.console.line(
            CanonicalJSON.encode([
                "status": .string(receipt.status.rawValue), "mode": .string(mode), "sha": .string(sha), "picked": .bool(picked),
                "forced": .bool(run.forced),
                "skipped": .array(skipped.map { ["sha": .string($0.sha), "why": .string($0.why)] }),
                "history": .array(earlier.map(\.json)), "earlierRunsNotShown": .int(notShown),
                "run": .int(run.number), "kind": .string(run.kind.rawValue), "replaces": .optionalString(run.replaces),
                "position": .number(.integer(run.opened.position)),
                "digests": ["api": .string(frozen.images.api), "web": .string(frozen.images.web)],
                "gates": .array(gates.map { ["name": .string($0.name), "status": .string($0.status.rawValue)] }),
                "migrationWarning": .optionalString(warning), "manifest": manifest,
            ]))
        return
    }
    let console = context.console
    for skip in skipped { console.line("skipped \(skip.sha): \(skip.why)") }
    if picked { console.line("picked \(sha): the newest SHA decided YES that production was not rolled back from") }
    if run.forced { console.line("forced: \(shortSHA(sha)) is not known good in production; recorded as forced") }
    let replaces = run.replaces.map { ", replacing \(shortSHA($0)) in production" } ?? ""
    let opened = receipt.status == .recorded ? "opened" : "already opened"
    console.line("\(mode) of \(shortSHA(sha)): run \(run.number) (\(run.kind.rawValue)) \(opened) at position \(run.opened.position)\(replaces)")
    console.line("deploy exactly these digests:")
    console.line("  api  \(frozen.images.api)")
    console.line("  web  \(frozen.images.web)")
    console.line("production history of \(shortSHA(sha)):" + (earlier.isEmpty ? " none (this is its first run)" : ""))
    if notShown > 0 { console.line("  (\(notShown) earlier runs not shown; `release-ledger history --sha \(sha)` lists them)") }
    for earlierRun in earlier { console.line("  " + earlierRun.line) }
    console.line("gates this run must pass: " + gates.map { "\($0.name) [\($0.status.rawValue)]" }.joined(separator: ", "))
    if let warning { console.line("warning: \(warning)") }
    console.line("manifest (candidate/\(sha)/manifest.json):")
    console.line(CanonicalJSON.encodePretty(manifest), terminator: "")
}

extension Console {
    func line(_ text: String, terminator: String) { writeOut(text + terminator) }
}

/// One earlier run in a replay's or rollback's plan: how it ended and why.
extension RunPlan.EarlierRun {
    var json: JSONValue {
        [
            "run": .int(summary.run), "kind": .string(summary.kind.rawValue), "decision": .string(summary.decision ?? "PENDING"),
            "reason": .optionalString(reason), "decidedAt": .optionalString(summary.decidedAt?.description),
            "position": summary.decidedPosition.map { .number(.integer($0)) } ?? .null,
        ]
    }

    var line: String {
        guard let decision = summary.decision, let at = summary.decidedAt, let position = summary.decidedPosition else {
            return "run \(summary.run) (\(summary.kind.rawValue)): open"
        }
        return "run \(summary.run) (\(summary.kind.rawValue)): \(decision) at \(at) (position \(position)): \(reason ?? "-")"
    }
}
