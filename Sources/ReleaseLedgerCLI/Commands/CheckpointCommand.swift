import ArgumentParser
import ReleaseLedgerCore
import Transparency

struct CheckpointCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract:
            "Sign a checkpoint (c2sp.org/tlog-checkpoint) of the ledger's Merkle tree and record that it was issued.",
        discussion: """
            Prints the signed note: origin (the key's name), size, base64 root hash, blank line, signature. Keep it
            anywhere outside the ledger (a CI artifact, a release page): `verify --checkpoint` later proves the ledger
            still extends it. Refused (exit 4) when an earlier checkpoint no longer matches the ledger.
            Examples:
              release-ledger checkpoint --key signing.key > checkpoint.txt
              RELEASE_LEDGER_SIGNING_KEY_FILE=signing.key release-ledger checkpoint --json
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "The signing key file (default: $RELEASE_LEDGER_SIGNING_KEY_FILE).") var key: String?
    @Option(help: "Also write the signed checkpoint to this file.") var out: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        let signer = try SigningKey.require(option: key, context: context)
        let settings = options.settings
        let store = try context.openTransparencyLog(settings.ledger, for: .writing)
        let issued = try CheckpointIssuer.issue(
            signer: signer, log: store, metadata: settings.metadata.eventMetadata(context.environment)
        ) { data throws(LedgerError) in
            try settings.retryKey(
                type: EventCatalog.checkpointIssued, sha: EventCatalog.checkpointSHA, data: data,
                environment: context.environment)
        }
        if let out { try writeText(issued.note, to: out, field: "--out", context: context) }
        if options.ledger.json {
            context.console.line(CanonicalJSON.encode(CheckpointIssuer.json(issued)))
        } else {
            context.console.line(issued.note, terminator: "")
        }
    }
}
