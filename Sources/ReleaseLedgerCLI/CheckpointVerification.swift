import ReleaseLedgerCore
import Transparency

/// `verify --checkpoint`: a signed checkpoint checked on its own, against a proof, or against the
/// local ledger (which must still contain exactly the tree the checkpoint signed).
struct CheckpointVerification {
    let checkpoint: Checkpoint
    let note: String
    let verifier: NoteVerifier

    init(checkpointFile: String, verifierKey: String, context: CommandContext) throws(LedgerError) {
        let keyText =
            verifierKey.hasPrefix("@")
            ? try readText(String(verifierKey.dropFirst()), field: "--verifier-key", context: context) : verifierKey
        do {
            verifier = try NoteVerifier(verifierKey: keyText.hasSuffix("\n") ? String(keyText.dropLast()) : keyText)
        } catch {
            throw .invalidInput(field: "--verifier-key", rule: error.description)
        }
        note = try readText(checkpointFile, field: "--checkpoint", context: context)
        checkpoint = try Self.open(note, verifier: verifier, field: "--checkpoint")
    }

    static func open(_ note: String, verifier: NoteVerifier, field: String) throws(LedgerError) -> Checkpoint {
        do {
            return try Checkpoint.open(note, verifier: verifier)
        } catch {
            switch error {
            case .malformed(let why): throw .invalidInput(field: field, rule: why)
            // A signature that does not verify is tampering (or the wrong key): exit 4.
            default: throw .integrity("\(field): \(error.description)", firstBadPosition: nil)
            }
        }
    }

    /// What the checkpoint says, on one line.
    var summary: String { "\(checkpoint.origin) size \(checkpoint.size) root \(Hex.encode(checkpoint.rootHash))" }

    /// Checks a proof file: a c2sp.org/tlog-proof, or the JSON `prove --json` prints. Returns what it proved.
    func check(proofFile: String, context: CommandContext) throws(LedgerError) -> String {
        let text = try readText(proofFile, field: "--proof", context: context)
        if text.hasPrefix(TlogProof.header) {
            let proof: TlogProof
            do { proof = try TlogProof(text: text) } catch {
                throw .invalidInput(field: "--proof", rule: error.description)
            }
            let embedded = try Self.open(proof.checkpoint, verifier: verifier, field: "--proof (its checkpoint)")
            guard embedded == checkpoint else {
                throw .integrity(
                    "--proof: its checkpoint (size \(embedded.size)) is not the one given with --checkpoint (size \(checkpoint.size))",
                    firstBadPosition: nil)
            }
            guard let extra = proof.extra else {
                throw .invalidInput(field: "--proof", rule: "needs the extra line (the event's envelope bytes)")
            }
            try inclusion(
                index: proof.index, leafHash: RFC6962.leafHash(extra), path: proof.path, size: checkpoint.size)
            return "event \(proof.index + 1) (leaf \(proof.index)) is in the signed tree of \(checkpoint.size) events"
        }
        let json: JSONValue
        do { json = try JSONParser.parse(text, field: "--proof") } catch {
            throw .invalidInput(field: "--proof", rule: "is neither a tlog proof nor JSON")
        }
        func hash(_ value: JSONValue?, _ name: String) throws(LedgerError) -> [UInt8] {
            guard let text = value?.stringValue, let bytes = Hex.decode(text), bytes.count == 32 else {
                throw .invalidInput(field: "--proof", rule: "\(name) must be 64 lowercase hex digits")
            }
            return bytes
        }
        func size(_ name: String) throws(LedgerError) -> UInt64 {
            guard let value = json[name]?.intValue, value >= 0 else {
                throw .invalidInput(field: "--proof", rule: "\(name) must be a whole number")
            }
            return UInt64(value)
        }
        func path() throws(LedgerError) -> [[UInt8]] {
            guard let items = json["path"]?.arrayElements else {
                throw .invalidInput(field: "--proof", rule: "path must be an array")
            }
            var hashes: [[UInt8]] = []
            for item in items { hashes.append(try hash(item, "each path entry")) }
            return hashes
        }
        if json["leafIndex"] != nil {
            let index = try size("leafIndex")
            let treeSize = try size("treeSize")
            guard treeSize == checkpoint.size, try hash(json["rootHash"], "rootHash") == checkpoint.rootHash else {
                throw .integrity(
                    "--proof: its tree (size \(treeSize)) is not the checkpoint's (size \(checkpoint.size))",
                    firstBadPosition: nil)
            }
            try inclusion(
                index: index, leafHash: try hash(json["leafHash"], "leafHash"), path: try path(), size: treeSize)
            return "leaf \(index) (event \(index + 1)) is in the signed tree of \(checkpoint.size) events"
        }
        guard json["fromSize"] != nil else {
            throw .invalidInput(field: "--proof", rule: "is neither an inclusion nor a consistency proof")
        }
        let fromSize = try size("fromSize")
        let toSize = try size("toSize")
        let fromRoot = try hash(json["fromRoot"], "fromRoot")
        let toRoot = try hash(json["toRoot"], "toRoot")
        // The signed checkpoint pins one end; the proof binds the other to it.
        guard
            (fromSize == checkpoint.size && fromRoot == checkpoint.rootHash)
                || (toSize == checkpoint.size && toRoot == checkpoint.rootHash)
        else {
            throw .integrity(
                "--proof: neither end (\(fromSize), \(toSize)) is the checkpoint's tree (size \(checkpoint.size))",
                firstBadPosition: nil)
        }
        let hashes = try path()
        do {
            try MerkleProof.verifyConsistency(
                size1: fromSize, size2: toSize, proof: hashes, root1: fromRoot, root2: toRoot)
        } catch {
            throw .integrity(
                "--proof: the consistency proof does not verify: \(error.description)", firstBadPosition: nil)
        }
        return "the tree of \(fromSize) events is a prefix of the tree of \(toSize)"
    }

    func inclusion(index: UInt64, leafHash: [UInt8], path: [[UInt8]], size: UInt64) throws(LedgerError) {
        do {
            try MerkleProof.verifyInclusion(
                index: index, size: size, leafHash: leafHash, proof: path, root: checkpoint.rootHash)
        } catch {
            throw .integrity(
                "--proof: the inclusion proof does not verify against the checkpoint: \(error.description)",
                firstBadPosition: nil)
        }
    }
}
