import ArgumentParser
import ReleaseLedgerCore

struct DeployCommand: LedgerCommand {
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

    func execute(in context: CommandContext) throws(LedgerError) {
        try options.record(
            .deployRecorded, sha: sha, ["app": .string(app), "image": .string(image), "outcome": .string(outcome)],
            context: context)
    }
}
