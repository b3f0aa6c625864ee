import ArgumentParser
import ReleaseLedgerCore

struct InitCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the ledger file (appending creates it too).",
        discussion: "Example: release-ledger init --db .release-ledger/ledger.sqlite")

    @OptionGroup var ledger: LedgerOptions

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .initializing)
        let head = try store.head()
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "path": .string(store.location), "events": .number(.integer(head.position)),
                    "head": .string(head.hash),
                ]))
        } else {
            context.console.line("ledger ready at \(store.location) (\(head.position) events)")
        }
    }
}
