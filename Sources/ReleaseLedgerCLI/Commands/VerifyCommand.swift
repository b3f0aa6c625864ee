import ArgumentParser
import ReleaseLedgerCore

struct VerifyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and every row, then check the read model against the events; exit 4 at the first difference.",
        discussion: """
            Example:
              # a head saved earlier must still be there
              release-ledger verify --anchor 1234:<hash>
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "A head saved elsewhere, POSITION:HASH, that the ledger must still contain.") var anchor: String?
    @Flag(help: "Check the chain only, not the read model against the events (faster on a large ledger).") var chainOnly = false

    func execute(in context: CommandContext) throws(LedgerError) {
        var anchorHead: ChainHead?
        if let anchor {
            let parts = anchor.split(separator: ":", maxSplits: 1)
            // Hashes are lowercase hex: an upper-case copy is a usage slip, not tampering.
            guard parts.count == 2, let position = Int64(parts[0]), position > 0, parts[1].utf8.count == 64,
                parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            else {
                throw .usage("--anchor must be POSITION:HASH with 64 lowercase hex digits, e.g. 42:<64 hex>")
            }
            anchorHead = ChainHead(position: position, hash: String(parts[1]))
        }
        let store = try context.openLedger(ledger, for: .reading)
        let report = try store.verify(anchor: anchorHead)
        // The rules read the read model: once the chain holds, it must be the fold of the events.
        let readModel = report.isIntact && !chainOnly ? try store.readModelProblem() : nil
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "ok": .bool(report.isIntact && readModel == nil), "events": .number(.integer(report.eventCount)),
                    "head": ["position": .number(.integer(report.head.position)), "hash": .string(report.head.hash)],
                    "firstBadPosition": report.firstBadPosition.map { .number(.integer($0)) } ?? .null,
                    "problem": .optionalString(report.problem ?? readModel.map { "read model: \($0)" }),
                ]))
        } else if report.isIntact, readModel == nil {
            let also = chainOnly ? "" : ", read model matches"
            context.console.line("ok: \(report.eventCount) events, chain intact, head \(report.head.position):\(report.head.hash)\(also)")
        }
        if let position = report.firstBadPosition {
            throw .integrity("\(store.location): position \(position): \(report.problem ?? "does not check out")", firstBadPosition: position)
        }
        if let readModel {
            throw .integrity("\(store.location): read model: \(readModel); run `release-ledger rebuild`", firstBadPosition: nil)
        }
    }
}
