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
        let store = try context.openLedger(options.ledger.settings, for: .writing)
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
                    "no SHA other than \(shortSHA(live.sha)) is known good to roll back to"
                        + (passed.isEmpty ? "" : "; skipped: \(passed)"))
            }
            target = picked
        }
        let request = RunRequest(
            mode: "rollback", sha: target!, reason: reason, picked: to == nil, skipped: skipped, forced: force)
        try request.submit(to: store, options: options.settings, context: context)
    }
}
