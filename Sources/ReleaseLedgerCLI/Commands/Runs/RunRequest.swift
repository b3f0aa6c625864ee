import ReleaseLedgerCore

/// A replay or a rollback: what `replay` and `rollback` ask the ledger for.
struct RunRequest {
    /// `replay` or `rollback`.
    var mode: String
    var sha: String
    var reason: String
    /// Whether the ledger picked the target (a rollback without `--to`), and what it passed over.
    var picked = false
    var skipped: [RollbackTarget.Skipped] = []
    var forced = false

    /// Appends `replay.requested` and prints what the new run must do.
    func submit(to store: any Ledger, options: AppendSettings, context: CommandContext) throws(LedgerError) {
        var data = JSONObject([("mode", .string(mode)), ("reason", .string(reason))])
        if let actor = options.metadata.eventMetadata(context.environment).actor {
            data["requestedBy"] = .string(actor)
        }
        if forced { data["forced"] = .bool(true) }
        let receipt: AppendReceipt
        do {
            let event = try options.proposed(
                type: EventType.replayRequested.rawValue, sha: sha, data: .object(data), context: context)
            receipt = try store.append([event])[0]
        } catch {
            throw error.namingFlags()
        }
        let plan = try store.runPlan(of: sha)
        let frozen = plan.frozen
        let run = plan.run
        let gates = plan.gates
        let warning = plan.migrationWarning
        let manifest = try Artifacts.manifest(plan.candidate)!
        let earlier = plan.earlierRuns
        let notShown = plan.earlierRunsNotShown
        try GitHubActions(context, options.ledger).plan(
            mode: mode, reason: reason, receipt: receipt, run: run, images: frozen.images, gates: gates,
            warning: warning, store: store)
        if options.ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "status": .string(receipt.status.rawValue), "mode": .string(mode), "sha": .string(sha),
                    "picked": .bool(picked),
                    "forced": .bool(run.forced),
                    "skipped": .array(skipped.map { ["sha": .string($0.sha), "why": .string($0.why)] }),
                    "history": .array(earlier.map(\.json)), "earlierRunsNotShown": .int(notShown),
                    "run": .int(run.number), "kind": .string(run.kind.rawValue),
                    "replaces": .optionalString(run.replaces),
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
        console.line(
            """
            \(mode) of \(shortSHA(sha)): run \(run.number) (\(run.kind.rawValue)) \(opened) at position \
            \(run.opened.position)\(replaces)
            """
        )
        console.line("deploy exactly these digests:")
        console.line("  api  \(frozen.images.api)")
        console.line("  web  \(frozen.images.web)")
        console.line(
            "production history of \(shortSHA(sha)):" + (earlier.isEmpty ? " none (this is its first run)" : ""))
        if notShown > 0 {
            console.line("  (\(notShown) earlier runs not shown; `release-ledger history --sha \(sha)` lists them)")
        }
        for earlierRun in earlier { console.line("  " + earlierRun.line) }
        console.line(
            "gates this run must pass: " + gates.map { "\($0.name) [\($0.status.rawValue)]" }.joined(separator: ", "))
        if let warning { console.line("warning: \(warning)") }
        console.line("manifest (candidate/\(sha)/manifest.json):")
        console.line(CanonicalJSON.encodePretty(manifest), terminator: "")
    }
}

extension Console {
    func line(_ text: String, terminator: String) { writeOut(text + terminator) }
}

/// One earlier run in a replay's or rollback's plan: how it ended and why.
extension RunPlan.EarlierRun {
    var json: JSONValue {
        [
            "run": .int(summary.run), "kind": .string(summary.kind.rawValue),
            "decision": .string(summary.decision?.rawValue ?? "PENDING"),
            "reason": .optionalString(reason), "decidedAt": .optionalString(summary.decidedAt?.description),
            "position": summary.decidedPosition.map { .number(.integer($0)) } ?? .null,
        ]
    }

    var line: String {
        guard let decision = summary.decision, let at = summary.decidedAt, let position = summary.decidedPosition else {
            return "run \(summary.run) (\(summary.kind.rawValue)): open"
        }
        return
            """
            run \(summary.run) (\(summary.kind.rawValue)): \(decision) at \(at) (position \(position)): \
            \(reason ?? "-")
            """
    }
}
