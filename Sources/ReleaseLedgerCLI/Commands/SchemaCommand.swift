import ArgumentParser
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `release-ledger schema`: the JSON Schema of an event type's payload, made from the payload
/// types the ledger validates with (`EventSchema`), so a schema cannot say other than the ledger.
struct SchemaCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of an event type's payload, or write every one into a directory.",
        discussion: """
            The schemas come from the event catalog the ledger validates appends with; Schema/events/*.json \
            in the repository is this command's output.
            Examples:
              release-ledger schema deploy.recorded
              release-ledger schema --write Schema/events
            """)

    @Argument(help: "An event type.") var type: EventType?
    @Option(help: "Write every event type's schema into this directory, as <type with _ for .>.json.") var write:
        String?

    func validate() throws {
        guard (type == nil) != (write == nil) else {
            throw ValidationError("schema needs an event type, or --write DIR for every type")
        }
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        if let type {
            // The text ends in a newline already.
            context.console.line(String(EventSchema.text(of: type).dropLast()))
            return
        }
        guard let write else { return }
        let folder = write.hasPrefix("/") ? write : context.currentDirectory + "/" + write
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .storage("--write: cannot create \(write): \(fileWriteProblem(error))")
        }
        for type in EventType.allCases {
            try writeText(
                EventSchema.text(of: type), to: folder + "/" + EventSchema.fileName(of: type), field: "--write",
                context: context)
        }
        context.console.line("wrote \(EventType.allCases.count) schemas to \(write)")
    }
}
