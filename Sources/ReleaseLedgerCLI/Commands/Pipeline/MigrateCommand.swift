import ArgumentParser
import ReleaseLedgerCore

struct MigrateCommand: PipelineStepCommand {
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

    var plainStep: MigrateStep {
        MigrateStep(options: options.settings, sha: sha, step: step, image: image, outcome: outcome)
    }
}

struct MigrateStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var step = ""
    var image = ""
    var outcome = ""

    static let requiredOptions = ["--sha", "--step", "--image", "--outcome"]
    static var ownOptions: [QuickParse.Option<MigrateStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--step") { $0.step = $1 }, .value("--image") { $0.image = $1 },
            .value("--outcome") { $0.outcome = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .migrationRecorded, sha: sha,
            ["step": .string(step), "image": .string(image), "outcome": .string(outcome)], context: context)
    }
}
