import ArgumentParser
import ReleaseLedgerCore

struct RecordDeploymentCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-deployment", abstract: "Record the GitHub Deployment of this run.",
        discussion: """
            Example:
              release-ledger record-deployment --sha $SHA --deployment-id 123456 \\
                  --environment-url https://app.example.com
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(name: .customLong("deployment-id"), parsing: .unconditional, help: "The deployment's id.") var deploymentID:
        String?
    @Option(name: .customLong("environment-url"), help: "The environment's URL.") var environmentURL: String?
    @Option(parsing: .unconditional, help: "The environment's name.") var environment: String?

    var plainStep: RecordDeploymentStep {
        RecordDeploymentStep(
            options: options.settings, sha: sha, deploymentID: deploymentID, environmentURL: environmentURL,
            environment: environment)
    }
}

struct RecordDeploymentStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var deploymentID: String?
    var environmentURL: String?
    var environment: String?

    static let requiredOptions = ["--sha"]
    static var ownOptions: [QuickParse.Option<RecordDeploymentStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--deployment-id") { $0.deploymentID = $1 },
            .value("--environment-url") { $0.environmentURL = $1 }, .value("--environment") { $0.environment = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject()
        if let deploymentID {
            object["deploymentId"] = Int64(deploymentID).map { .number(.integer($0)) } ?? .string(deploymentID)
        }
        if let environmentURL { object["environmentUrl"] = .string(environmentURL) }
        if let environment { object["environment"] = .string(environment) }
        try options.record(.deploymentRecorded, sha: sha, .object(object), context: context)
    }
}
