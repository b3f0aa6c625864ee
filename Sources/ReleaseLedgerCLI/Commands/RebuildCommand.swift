import ArgumentParser
import ReleaseLedgerCore

struct RebuildCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract:
            """
            Drop the read model (candidates, runs, production, snapshots) and fold it again from the events alone, \
            tables and guards included.
            """,
        discussion: "Example: release-ledger rebuild")

    @OptionGroup var ledger: LedgerOptions

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .writing)
        let count = try store.rebuildReadModel()
        if ledger.json {
            context.console.line(CanonicalJSON.encode(["candidates": .int(count)]))
        } else {
            context.console.line("rebuilt the read model: \(count) candidates")
        }
    }
}
