import ArgumentParser
import ReleaseLedgerCore

struct ApplyCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Record an identity or infra apply.",
        discussion: "Example: release-ledger apply --sha $SHA --scope infra --outcome succeeded")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "identity or infra.", completion: .list(ApplyScope.allowedValues)) var scope: String
    @Option(help: "succeeded or failed.", completion: .list(Outcome.allowedValues)) var outcome: String

    var plainStep: ApplyStep { ApplyStep(options: options.settings, sha: sha, scope: scope, outcome: outcome) }
}

struct ApplyStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var scope = ""
    var outcome = ""

    static let requiredOptions = ["--sha", "--scope", "--outcome"]
    static var ownOptions: [QuickParse.Option<ApplyStep>] {
        [.value("--sha") { $0.sha = $1 }, .value("--scope") { $0.scope = $1 }, .value("--outcome") { $0.outcome = $1 }]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .applyRecorded, sha: sha, ["scope": .string(scope), "outcome": .string(outcome)], context: context)
    }
}
