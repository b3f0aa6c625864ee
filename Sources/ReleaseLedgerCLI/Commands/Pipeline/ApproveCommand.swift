import ArgumentParser
import ReleaseLedgerCore

struct ApproveCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Record the production-control-plane approval.",
        discussion: "Example: release-ledger approve --sha $SHA --decision approved --approver alice")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "approved or rejected.", completion: .list(ApprovalDecision.allowedValues)) var decision: String
    @Option(parsing: .unconditional, help: "Who approved (default: the actor).") var approver: String?
    @Option(help: "The gate (control-plane).") var gate = "control-plane"

    var plainStep: ApproveStep {
        ApproveStep(options: options.settings, sha: sha, decision: decision, approver: approver, gate: gate)
    }
}

struct ApproveStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var decision = ""
    var approver: String?
    var gate = "control-plane"

    static let requiredOptions = ["--sha", "--decision"]
    static var ownOptions: [QuickParse.Option<ApproveStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--decision") { $0.decision = $1 },
            .value("--approver") { $0.approver = $1 }, .value("--gate") { $0.gate = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        guard let who = approver ?? options.metadata.eventMetadata(context.environment).actor else {
            throw .usage("approve needs --approver (or --actor / $GITHUB_ACTOR)")
        }
        try options.record(
            .approvalRecorded, sha: sha,
            ["gate": .string(gate), "decision": .string(decision), "approver": .string(who)], context: context)
    }
}
