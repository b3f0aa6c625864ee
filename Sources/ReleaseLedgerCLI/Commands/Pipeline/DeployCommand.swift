import ArgumentParser
import ReleaseLedgerCore

struct DeployCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Record a deploy of the api or web app by digest.",
        discussion: """
            Example:
              release-ledger deploy --sha $SHA --app api --image $API_DIGEST_REF \\
                  --outcome succeeded
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "api or web.", completion: .list(App.allowedValues)) var app: String
    @Option(help: "The image deployed (must be the frozen digest).") var image: String
    @Option(help: "succeeded or failed.", completion: .list(Outcome.allowedValues)) var outcome: String

    var plainStep: DeployStep {
        DeployStep(options: options.settings, sha: sha, app: app, image: image, outcome: outcome)
    }
}

struct DeployStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var app = ""
    var image = ""
    var outcome = ""

    static let requiredOptions = ["--sha", "--app", "--image", "--outcome"]
    static var ownOptions: [QuickParse.Option<DeployStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--app") { $0.app = $1 }, .value("--image") { $0.image = $1 },
            .value("--outcome") { $0.outcome = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .deployRecorded, sha: sha, ["app": .string(app), "image": .string(image), "outcome": .string(outcome)],
            context: context)
    }
}
