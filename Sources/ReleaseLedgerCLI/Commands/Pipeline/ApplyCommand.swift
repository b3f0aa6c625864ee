import ArgumentParser
import ReleaseLedgerCore

struct ApplyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Record an identity or infra apply.",
        discussion: "Example: release-ledger apply --sha $SHA --scope infra --outcome succeeded")

    @OptionGroup var options: StepOptions
    @Option(help: "identity or infra.", completion: .list(["identity", "infra"])) var scope: String
    @Option(help: "succeeded or failed.", completion: .list(["succeeded", "failed"])) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(.applyRecorded, ["scope": .string(scope), "outcome": .string(outcome)], context: context)
    }
}
