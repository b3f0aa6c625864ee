import ArgumentParser
import ReleaseLedgerCore

/// How `events` prints: the ledger's own envelopes, or CDEvents 0.5.1.
enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, cdevents
}

struct EventsCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Print events as JSON Lines, in position order.",
        discussion: """
            Example:
              release-ledger events --sha $SHA --type deploy.recorded --after 100 \\
                  --limit 50
              release-ledger events --format cdevents
              release-ledger events --format cdevents --sink http://127.0.0.1:8080/events
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only this commit SHA.") var sha: String?
    @Option(help: "Only this event type.") var type: String?
    @Option(parsing: .unconditional, help: "Only events after this position.") var after: Int64 = 0
    @Option(parsing: .unconditional, help: "At most this many events.") var limit: Int?
    @Option(help: "jsonl (the ledger's envelopes) or cdevents (CDEvents 0.5.1).") var format: EventsFormat = .jsonl
    @Option(help: "Post the CDEvents to this http:// URL as CloudEvents (binary mode) instead of printing them.")
    var sink: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        if let limit, limit < 0 { throw .usage("--limit must be 0 or more") }
        if after < 0 { throw .usage("--after must be 0 or more") }
        let sink = try sink.map { url throws(LedgerError) in try CloudEventsSink(url: url) }
        let format = sink != nil ? .cdevents : format
        let store = try context.openLedger(ledger.settings, for: .reading)
        guard format == .cdevents else {
            var failure: LedgerError?
            try store.forEachEvent(EventQuery(sha: sha, type: type, afterPosition: after, limit: limit)) { event in
                do throws(LedgerError) { context.console.line(CanonicalJSON.encode(try event.json)) } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
            return
        }
        // A deploy's CDEvent type depends on earlier deploys, so every event is folded and the
        // filters choose only what is printed.
        var mapper = CDEventsMapper()
        var emitted = 0
        var failure: LedgerError?
        try store.forEachEvent(EventQuery()) { event in
            if let limit, emitted >= limit { return false }
            let cdevent: JSONValue
            do throws(LedgerError) { cdevent = try mapper.map(event) } catch {
                failure = error
                return false
            }
            guard event.position > after, sha == nil || event.sha == sha, type == nil || event.type == type else {
                return true
            }
            emitted += 1
            if let sink {
                do throws(LedgerError) { try sink.post(cdevent) } catch {
                    failure = error
                    return false
                }
            } else {
                context.console.line(CanonicalJSON.encode(cdevent))
            }
            return true
        }
        if let failure { throw failure }
        if let sink { context.console.line("posted \(emitted) CDEvents to \(sink.host):\(sink.port)\(sink.path)") }
    }
}
