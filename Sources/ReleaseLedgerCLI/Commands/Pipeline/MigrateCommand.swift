import ArgumentParser
import ReleaseLedgerCore

struct MigrateCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Record a migration step: image-updated, then ran.",
        discussion: """
            Example:
              release-ledger migrate --sha $SHA --step image-updated \\
                  --image $API_DIGEST_REF --outcome succeeded
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "image-updated or ran.", completion: .list(MigrationStep.allowedValues)) var step: String
    @Option(help: "The migration job image (must be the frozen api digest).") var image: String
    @Option(help: "succeeded or failed.", completion: .list(Outcome.allowedValues)) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .migrationRecorded, sha: sha,
            ["step": .string(step), "image": .string(image), "outcome": .string(outcome)], context: context)
    }
}
