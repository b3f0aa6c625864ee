import ArgumentParser
import ReleaseLedgerCore

struct SmokeCommand: LedgerCommand {
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

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("suite", .string(suite)), ("outcome", .string(outcome))])
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try options.record(.smokeRecorded, sha: sha, .object(object), context: context)
    }
}
