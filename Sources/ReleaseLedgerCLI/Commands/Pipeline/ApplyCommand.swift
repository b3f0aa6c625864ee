import ArgumentParser
import ReleaseLedgerCore

struct ApplyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Record an identity or infra apply.",
        discussion: "Example: release-ledger apply --sha $SHA --scope infra --outcome succeeded")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "identity or infra.", completion: .list(ApplyScope.allowedValues)) var scope: String
    @Option(help: "succeeded or failed.", completion: .list(Outcome.allowedValues)) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .applyRecorded, sha: sha, ["scope": .string(scope), "outcome": .string(outcome)], context: context)
    }
}
