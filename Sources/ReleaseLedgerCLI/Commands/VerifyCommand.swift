import ArgumentParser
import ReleaseLedgerCore
import Transparency

struct VerifyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            """
            Recompute the hash chain and every row, then check the read model against the events; exit 4 at the first \
            difference.
            """,
        discussion: """
            Example:
              # a head saved earlier must still be there
              release-ledger verify --anchor 1234:<hash>
              # the ledger still holds the tree an old signed checkpoint names
              release-ledger verify --checkpoint cp.txt --verifier-key "$VKEY"
              # one event against a checkpoint, without the ledger
              release-ledger verify --checkpoint cp.txt --verifier-key @vk --proof p.proof
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "A head saved elsewhere, POSITION:HASH, that the ledger must still contain.") var anchor: String?
    @Flag(help: "Check the chain only, not the read model against the events (faster on a large ledger).")
    var chainOnly = false
    @Option(help: "A signed checkpoint (c2sp.org/tlog-checkpoint) the ledger must still match.") var checkpoint: String?
    @Option(name: .customLong("verifier-key"), help: "The checkpoint's verifier key, name+keyid+base64 (or @FILE).")
    var verifierKey: String?
    @Option(help: "Check this proof (tlog-proof or `prove --json`) against the checkpoint instead of the ledger.")
    var proof: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        if checkpoint != nil || verifierKey != nil || proof != nil {
            guard let checkpoint, let verifierKey else {
                throw .usage("--checkpoint FILE and --verifier-key KEY go together (and --proof needs both)")
            }
            let signed = try CheckpointVerification(
                checkpointFile: checkpoint, verifierKey: verifierKey, context: context)
            if let proof {
                let proved = try signed.check(proofFile: proof, context: context)
                if ledger.json {
                    context.console.line(
                        CanonicalJSON.encode([
                            "ok": true, "checkpoint": .string(signed.summary), "proved": .string(proved),
                        ]))
                } else {
                    context.console.line(
                        "ok: checkpoint \(signed.summary) is signed by \(signed.verifier.name); \(proved)")
                }
                return
            }
            return try verifyLedger(against: signed, context: context)
        }
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
        let store = try context.openLedger(ledger.settings, for: .reading)
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
            context.console.line(
                "ok: \(report.eventCount) events, chain intact, head \(report.head.position):\(report.head.hash)\(also)"
            )
        }
        if let position = report.firstBadPosition {
            throw .integrity(
                "\(store.location): position \(position): \(report.problem ?? "does not check out")",
                firstBadPosition: position)
        }
        if let readModel {
            throw .integrity(
                "\(store.location): read model: \(readModel); run `release-ledger rebuild`", firstBadPosition: nil)
        }
    }

    /// The ledger's chain must hold and the root recomputed from its first `size` events must be
    /// the signed one: a history rewritten consistently (rows and head) is caught here.
    func verifyLedger(against signed: CheckpointVerification, context: CommandContext) throws(LedgerError) {
        let store = try context.openTransparencyLog(ledger.settings, for: .reading)
        let size = signed.checkpoint.size
        let (report, roots) = try store.verify(anchor: nil, rootsAt: [size])
        if let position = report.firstBadPosition {
            throw .integrity(
                "\(store.location): position \(position): \(report.problem ?? "does not check out")",
                firstBadPosition: position)
        }
        guard let root = roots[size] else {
            throw .integrity(
                """
                \(store.location): the checkpoint covers \(size) events but the ledger holds \(report.eventCount): \
                events were removed
                """,
                firstBadPosition: report.eventCount + 1)
        }
        guard root == signed.checkpoint.rootHash else {
            throw .integrity(
                """
                \(store.location): the first \(size) events do not have the checkpoint's root hash: the history was \
                rewritten after it was signed
                """,
                firstBadPosition: nil)
        }
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "ok": true, "events": .number(.integer(report.eventCount)), "checkpoint": .string(signed.summary),
                ]))
        } else {
            context.console.line(
                """
                ok: \(report.eventCount) events, chain intact; the first \(size) have the root signed by \
                \(signed.verifier.name) in the checkpoint
                """
            )
        }
    }
}
