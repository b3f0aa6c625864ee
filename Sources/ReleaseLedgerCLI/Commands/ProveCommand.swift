import ArgumentParser
import ReleaseLedgerCore
import Transparency

struct ProveCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof for one event, or a consistency proof between two tree sizes.",
        discussion: """
            --position N proves event N (leaf N-1) is in the tree of --size leaves (default: the newest checkpoint
            issued that covers N, else the whole ledger). When a checkpoint of that size was issued, the text output
            is a c2sp.org/tlog-proof@v1 whose extra line is the event's envelope bytes (SHA-256(0x00 || extra) is
            the leaf hash) and whose checkpoint is the signed note: an auditor needs nothing else but the verifier key.
            --from S1 --to S2 proves the tree of S1 leaves is a prefix of the one of S2.
            --json prints {"leafIndex","treeSize","leafHash","rootHash","path"} or
            {"fromSize","toSize","fromRoot","toRoot","path"}, hashes in lowercase hex.
            Examples:
              release-ledger prove --position 1234 > decision.tlog-proof
              release-ledger prove --position 1234 --size 5000 --json
              release-ledger prove --from 1000 --to 5000 --json > consistency.json
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The event's position (its leaf index is position - 1).") var position: Int64?
    @Option(help: "The tree size to prove against (default: the newest covering checkpoint, else the ledger's size).")
    var size: Int64?
    @Option(help: "The older tree size of a consistency proof.") var from: Int64?
    @Option(help: "The newer tree size of a consistency proof.") var to: Int64?

    func validate() throws {
        if position != nil, from != nil || to != nil {
            throw ValidationError("give --position N [--size S], or --from S1 --to S2, not both")
        }
        if position == nil, from == nil || to == nil {
            throw ValidationError("prove needs --position N, or both --from S1 and --to S2")
        }
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openTransparencyLog(ledger.settings, for: .reading)
        if let position {
            try inclusion(position: position, store: store, context: context)
        } else if let from, let to {
            try consistency(from: from, to: to, store: store, context: context)
        }
    }

    func inclusion(position: Int64, store: any TransparencyLog, context: CommandContext) throws(LedgerError) {
        let treeSize = try store.treeSize()
        guard position >= 1, UInt64(position) <= treeSize else {
            throw .invalidInput(field: "--position", rule: "must be between 1 and the ledger's size \(treeSize)")
        }
        let checkpoints = try CheckpointIssuer.recorded(in: store)
        let chosen: UInt64
        if let size {
            guard size >= position, UInt64(size) <= treeSize else {
                throw .invalidInput(
                    field: "--size", rule: "must be between --position (\(position)) and the ledger's size \(treeSize)")
            }
            chosen = UInt64(size)
        } else {
            chosen = checkpoints.last(where: { $0.size >= UInt64(position) })?.size ?? treeSize
        }
        let index = UInt64(position - 1)
        let proof = try store.inclusionProof(index: index, size: chosen)
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "leafIndex": .number(.integer(Int64(index))), "treeSize": .number(.integer(Int64(chosen))),
                    "leafHash": .string(Hex.encode(proof.leafHash)), "rootHash": .string(Hex.encode(proof.root)),
                    "path": .array(proof.path.map { .string(Hex.encode($0)) }),
                ]))
            return
        }
        if let checkpoint = checkpoints.last(where: { $0.size == chosen }) {
            let extra = try store.envelopeBytes(at: position)
            context.console.line(
                TlogProof(extra: extra, index: index, path: proof.path, checkpoint: checkpoint.note).text,
                terminator: "")
            return
        }
        // No checkpoint of this size was issued: the proof alone, to check against a root obtained otherwise.
        var lines = [
            "inclusion proof: event \(position) (leaf index \(index)) in the tree of \(chosen) events",
            "leaf hash: \(Hex.encode(proof.leafHash))", "root hash: \(Hex.encode(proof.root))",
            "no checkpoint of size \(chosen) was issued; run `release-ledger checkpoint` for one an auditor can check",
            "path:",
        ]
        lines += proof.path.map { "  " + Hex.encode($0) }
        context.console.line(lines.joined(separator: "\n"))
    }

    func consistency(from: Int64, to: Int64, store: any TransparencyLog, context: CommandContext) throws(LedgerError) {
        let treeSize = try store.treeSize()
        guard from >= 1 else {
            throw .invalidInput(field: "--from", rule: "must be 1 or more (RFC 9162 has no proof from the empty tree)")
        }
        guard to >= from, UInt64(to) <= treeSize else {
            throw .invalidInput(
                field: "--to", rule: "must be between --from (\(from)) and the ledger's size \(treeSize)")
        }
        let proof = try store.consistencyProof(from: UInt64(from), to: UInt64(to))
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "fromSize": .number(.integer(from)), "toSize": .number(.integer(to)),
                    "fromRoot": .string(Hex.encode(proof.root1)),
                    "toRoot": .string(Hex.encode(proof.root2)),
                    "path": .array(proof.path.map { .string(Hex.encode($0)) }),
                ]))
            return
        }
        var lines = [
            "consistency proof: the tree of \(from) events is a prefix of the tree of \(to)",
            "root at \(from): \(Hex.encode(proof.root1))", "root at \(to): \(Hex.encode(proof.root2))", "path:",
        ]
        lines += proof.path.map { "  " + Hex.encode($0) }
        context.console.line(lines.joined(separator: "\n"))
    }
}
