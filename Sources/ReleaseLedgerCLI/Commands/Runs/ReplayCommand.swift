import ArgumentParser
import ReleaseLedgerCore

struct ReplayCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Run an accepted candidate again with the same manifest and digests: opens a new run and prints the plan.",
        discussion: """
            Example:
              release-ledger replay --sha $SHA \\
                  --reason "re-run after a transient smoke failure"
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "The accepted candidate to replay.") var sha: String
    @Option(parsing: .unconditional, help: "Why: recorded with the request.") var reason: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(options.ledger.settings, for: .writing)
        try RunRequest(mode: "replay", sha: sha, reason: reason).submit(
            to: store, options: options.settings, context: context)
    }
}
