import ArgumentParser
import ReleaseLedgerCore

struct ApproveCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Record the production-control-plane approval.",
        discussion: "Example: release-ledger approve --sha $SHA --decision approved --approver alice")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "approved or rejected.", completion: .list(ApprovalDecision.allowedValues)) var decision: String
    @Option(parsing: .unconditional, help: "Who approved (default: the actor).") var approver: String?
    @Option(help: "The gate (control-plane).") var gate = "control-plane"

    func execute(in context: CommandContext) throws(LedgerError) {
        guard let who = approver ?? options.metadata.metadata(context.environment).actor else {
            throw .usage("approve needs --approver (or --actor / $GITHUB_ACTOR)")
        }
        try options.record(
            .approvalRecorded, sha: sha,
            ["gate": .string(gate), "decision": .string(decision), "approver": .string(who)], context: context)
    }
}
