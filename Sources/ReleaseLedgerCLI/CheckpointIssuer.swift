import ReleaseLedgerCore
import Transparency

/// Signs a checkpoint of the ledger as it is and records that it was issued. The ledger never
/// signs a checkpoint inconsistent with one it issued before: each recorded checkpoint's root must
/// still be the root of the tree's first `size` leaves (the tree only grows, so it then extends them).
enum CheckpointIssuer {
    static let stream = "checkpoints"

    struct Issued {
        var checkpoint: Checkpoint
        var note: String
        var receipt: AppendReceipt
    }

    /// The checkpoints recorded so far, oldest first: (position of the record, size, root).
    static func recorded(in log: any Ledger) throws(LedgerError) -> [(
        position: Int64, size: UInt64, root: [UInt8], note: String
    )] {
        var checkpoints: [(position: Int64, size: UInt64, root: [UInt8], note: String)] = []
        for event in try log.events(EventQuery(type: EventCatalog.checkpointIssued, stream: stream)) {
            let data = try event.payload()
            let size =
                data["size"]?.intValue.map { UInt64(max(0, $0)) } ?? data["size"]?.stringValue.flatMap { UInt64($0) }
            guard let size, let root = data["rootHash"]?.stringValue.flatMap({ Hex.decode($0) }),
                let note = data["signedNote"]?.stringValue
            else { continue }
            checkpoints.append((event.position, size, root, note))
        }
        return checkpoints
    }

    static func issue(
        signer: NoteSigner, log: any TransparencyLog, metadata: EventMetadata,
        retryKey: (JSONValue) throws(LedgerError) -> String?
    ) throws(LedgerError) -> Issued {
        let size = try log.treeSize()
        let root = try log.treeRoot(size: size)
        for earlier in try recorded(in: log) {
            let now = earlier.size <= size ? try log.treeRoot(size: earlier.size) : nil
            guard now == earlier.root else {
                throw .integrity(
                    "\(log.location): the checkpoint recorded at position \(earlier.position) (size \(earlier.size)) "
                        + "no longer matches the ledger's tree; refusing to sign a checkpoint inconsistent with it "
                        + "(run `release-ledger verify`)",
                    firstBadPosition: nil)
            }
        }
        let checkpoint = Checkpoint(origin: signer.name, size: size, rootHash: root)
        let note: String
        do { note = try checkpoint.signed(by: signer) } catch {
            throw .invalidInput(field: "--key", rule: error.description)
        }
        let data: JSONValue = [
            "origin": .string(signer.name), "size": .number(.integer(Int64(size))),
            "rootHash": .string(Hex.encode(root)),
            "verifier": .string(signer.verifier.verifierKey), "signedNote": .string(note),
        ]
        let event = ProposedEvent(
            type: EventCatalog.checkpointIssued, sha: EventCatalog.checkpointSHA, stream: stream, data: data,
            metadata: metadata,
            retryKey: try retryKey(data))
        let receipt = try log.append([event])[0]
        return Issued(checkpoint: checkpoint, note: note, receipt: receipt)
    }

    static func json(_ issued: Issued) -> JSONValue {
        [
            "origin": .string(issued.checkpoint.origin), "size": .number(.integer(Int64(issued.checkpoint.size))),
            "rootHash": .string(Hex.encode(issued.checkpoint.rootHash)), "checkpoint": .string(issued.note),
            "position": .number(.integer(issued.receipt.position)),
        ]
    }
}

extension JSONValue {
    /// The object with one more member, when `value` is not nil.
    func adding(_ key: String, _ value: JSONValue?) -> JSONValue {
        guard let value, case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }
}

/// The ledger as a transparency log, or a clear refusal for a backend that keeps no Merkle tree.
func transparencyLog(_ ledger: any Ledger) throws(LedgerError) -> any TransparencyLog {
    guard let log = ledger as? any TransparencyLog else {
        throw .usage(
            "\(ledger.location) keeps no Merkle tree: checkpoints, proofs and attestations need a ledger that does")
    }
    return log
}

extension CommandContext {
    func openTransparencyLog(_ options: LedgerSettings, for access: LedgerAccess) throws(LedgerError)
        -> any TransparencyLog
    {
        try transparencyLog(openLedger(options, for: access))
    }
}
