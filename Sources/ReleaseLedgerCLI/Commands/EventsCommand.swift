import ArgumentParser
import ReleaseLedgerCore

struct EventsCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Print events as JSON Lines, in position order.",
        discussion: """
            Example:
              release-ledger events --sha $SHA --type deploy.recorded --after 100 \\
                  --limit 50
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only this commit SHA.") var sha: String?
    @Option(help: "Only this event type.") var type: String?
    @Option(parsing: .unconditional, help: "Only events after this position.") var after: Int64 = 0
    @Option(parsing: .unconditional, help: "At most this many events.") var limit: Int?

    func execute(in context: CommandContext) throws(LedgerError) {
        if let limit, limit < 0 { throw .usage("--limit must be 0 or more") }
        if after < 0 { throw .usage("--after must be 0 or more") }
        let store = try context.openStore(ledger, forWriting: false)
        try store.forEachEvent(EventQuery(sha: sha, type: type, afterPosition: after, limit: limit)) { event in
            context.console.line(CanonicalJSON.encode(event.json))
            return true
        }
    }
}
