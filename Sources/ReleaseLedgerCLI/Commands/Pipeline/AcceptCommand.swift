import ArgumentParser
import ReleaseLedgerCore

struct AcceptCommand: LedgerCommand {
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

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("verdict", .string(verdict))])
        if let reason { object["reason"] = .string(reason) }
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try options.record(.acceptanceRecorded, sha: sha, .object(object), context: context)
    }
}
