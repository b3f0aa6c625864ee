import ReleaseLedgerCore

extension AppendSettings {
    /// Appends one pipeline step's event and prints its receipt (unless `quiet`: the caller prints
    /// its own); returns the receipt and the ledger, for a step that reads on.
    ///
    /// The verbs declare `--sha` beside this group rather than in a group around it: each level
    /// of option groups multiplies ArgumentParser's work at start-up (a CI step's cost).
    @discardableResult
    func record(
        _ type: EventType, sha: String, _ data: JSONValue, context: CommandContext, quiet: Bool = false
    ) throws(LedgerError) -> (receipt: AppendReceipt, ledger: any Ledger) {
        let ledger: any Ledger
        let receipts: [AppendReceipt]
        do {
            let events = [try proposed(type: type.rawValue, sha: sha, data: data, context: context)]
            ledger = try context.openLedger(self.ledger, for: .writing, toAppend: events)
            receipts = try ledger.append(events)
        } catch {
            throw error.namingFlags()
        }
        if !quiet {
            printReceipts(receipts, json: self.ledger.json, console: context.console)
            try GitHubActions(context, self.ledger).setOutputs(for: receipts[0], store: ledger)
        }
        return (receipts[0], ledger)
    }
}
