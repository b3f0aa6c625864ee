import ArgumentParser
import ReleaseLedgerCore

struct RollbackCommand: LedgerCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "placeholder")
    @OptionGroup var options: AppendOptions
    func execute(in context: CommandContext) throws(LedgerError) {}
}

struct ReplayCommand: LedgerCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "placeholder")
    @OptionGroup var options: AppendOptions
    func execute(in context: CommandContext) throws(LedgerError) {}
}
