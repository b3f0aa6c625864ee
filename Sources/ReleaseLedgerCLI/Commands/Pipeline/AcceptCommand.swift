import ArgumentParser
import ReleaseLedgerCore

struct AcceptCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Record the acceptance verdict (YES or NO) of a candidate.",
        discussion: """
            Example:
              release-ledger accept --sha $SHA --verdict YES \\
                  --evidence report=https://ci.example/runs/1
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "YES or NO.", completion: .list(Decision.allowedValues)) var verdict: String
    @Option(parsing: .unconditional, help: "Why.") var reason: String?
    @Option(parsing: .unconditionalSingleValue, help: "NAME=URL of evidence (repeatable).") var evidence: [String] = []

    var plainStep: AcceptStep {
        AcceptStep(options: options.settings, sha: sha, verdict: verdict, reason: reason, evidence: evidence)
    }
}

struct AcceptStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var verdict = ""
    var reason: String?
    var evidence: [String] = []

    static let requiredOptions = ["--sha", "--verdict"]
    static var ownOptions: [QuickParse.Option<AcceptStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--verdict") { $0.verdict = $1 },
            .value("--reason") { $0.reason = $1 }, .repeated("--evidence") { $0.evidence.append($1) },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("verdict", .string(verdict))])
        if let reason { object["reason"] = .string(reason) }
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try options.record(.acceptanceRecorded, sha: sha, .object(object), context: context)
    }
}
