import ArgumentParser
import ReleaseLedgerCore

/// What every pipeline step takes: the ledger, who recorded the step, its idempotency key, and
/// the candidate it is about.
struct StepOptions: ParsableArguments {
    @OptionGroup var append: AppendOptions
    @Option(help: "Commit SHA.") var sha: String

    var ledger: LedgerOptions { append.ledger }

    /// Appends the step's event and prints its receipt (unless `quiet`: the caller prints its
    /// own); returns the receipt and the ledger, for a step that reads on.
    @discardableResult
    func record(
        _ type: EventType, _ data: JSONValue, context: CommandContext, quiet: Bool = false
    ) throws(LedgerError) -> (receipt: AppendReceipt, ledger: any Ledger) {
        let ledger = try context.openLedger(append.ledger, for: .writing)
        let receipts: [AppendReceipt]
        do {
            receipts = try ledger.append([try append.proposed(type: type.rawValue, sha: sha, data: data, context: context)])
        } catch {
            throw error.namingFlags()
        }
        if !quiet {
            printReceipts(receipts, json: append.ledger.json, console: context.console)
            try GitHubActions(context, append.ledger).setOutputs(for: receipts[0], store: ledger)
        }
        return (receipts[0], ledger)
    }
}
