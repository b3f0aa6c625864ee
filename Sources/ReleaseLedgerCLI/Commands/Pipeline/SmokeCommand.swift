import ArgumentParser
import ReleaseLedgerCore

struct SmokeCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke", abstract: "Record an api or browser smoke test result.",
        discussion: """
            Example:
              release-ledger smoke --sha $SHA --suite browser --outcome passed \\
                  --evidence trace=https://ci.example/trace
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "api or browser.", completion: .list(SmokeSuite.allowedValues)) var suite: String
    @Option(help: "passed or failed.", completion: .list(SmokeOutcome.allowedValues)) var outcome: String
    @Option(parsing: .unconditionalSingleValue, help: "NAME=URL of evidence (repeatable).") var evidence: [String] = []

    var plainStep: SmokeStep {
        SmokeStep(options: options.settings, sha: sha, suite: suite, outcome: outcome, evidence: evidence)
    }
}

struct SmokeStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var suite = ""
    var outcome = ""
    var evidence: [String] = []

    static let requiredOptions = ["--sha", "--suite", "--outcome"]
    static var ownOptions: [QuickParse.Option<SmokeStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--suite") { $0.suite = $1 },
            .value("--outcome") { $0.outcome = $1 }, .repeated("--evidence") { $0.evidence.append($1) },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("suite", .string(suite)), ("outcome", .string(outcome))])
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try options.record(.smokeRecorded, sha: sha, .object(object), context: context)
    }
}
