import ArgumentParser
import ReleaseLedgerCore

/// `copy --from SRC --to DST`: a whole ledger moved between engines (SQLite and PostgreSQL, either
/// way), every event, position and hash kept (`LedgerCopy`).
struct CopyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract:
            "Copy a whole ledger between a file and a PostgreSQL database, keeping every event, position and hash.",
        discussion: """
            SRC and DST are each a file path or a postgres:// URL. The source is verified first (exit 4,
            nothing written, when it does not verify); the destination must be empty or hold the start of
            the same ledger (a copy that stopped part way resumes; exit 3 otherwise). A PostgreSQL
            destination is initialized as `init` would, so its URL names the owner role. The destination's
            read model is rebuilt and the destination verified against the source's head.
            Examples:
              release-ledger copy --from .release-ledger/ledger.sqlite \\
                  --to postgres://owner@db.internal/releases
              release-ledger copy --from postgres://reader@db.internal/releases \\
                  --to backup.sqlite
            """)

    @Option(name: .long, help: "The ledger to copy: a file path or a postgres:// URL.") var from: String
    @Option(name: .long, help: "Where to copy it: a file path or a postgres:// URL.") var to: String
    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.") var json = false
    @Option(
        name: .customLong("busy-timeout"), parsing: .unconditional,
        help: "Milliseconds to wait for another writer, 0 to 86400000 (default: 10000).")
    var busyTimeout: Int?

    func execute(in context: CommandContext) throws(LedgerError) {
        let timeout = try NumericOption.busyTimeout(busyTimeout ?? 10_000, name: "--busy-timeout")
        guard from != to else { throw .usage("--from and --to name the same ledger") }
        let source = try context.openLedger(at: from, busyTimeoutMilliseconds: timeout, for: .reading)
        guard let events = source as? any EventStore else { throw .usage("\(source.location) cannot be copied from") }
        let destination = try context.openLedger(at: to, busyTimeoutMilliseconds: timeout, for: .initializing)
        guard let importer = destination as? any RecordedEventImporting else {
            throw .usage("\(destination.location) cannot be copied to")
        }
        let report = try LedgerCopy.copy(from: events, to: importer)
        if json {
            context.console.line(
                CanonicalJSON.encode([
                    "from": .string(source.location), "to": .string(destination.location),
                    "copied": .number(.integer(report.copied)),
                    "resumedFrom": .number(.integer(report.resumedFrom)),
                    "head": ["position": .number(.integer(report.head.position)), "hash": .string(report.head.hash)],
                ]))
        } else {
            let resumed = report.resumedFrom > 0 ? " (resumed after position \(report.resumedFrom))" : ""
            context.console.line(
                "copied \(report.copied) events from \(source.location) to \(destination.location)\(resumed); "
                    + "both verify to head \(report.head.position) \(report.head.hash)")
        }
    }
}
