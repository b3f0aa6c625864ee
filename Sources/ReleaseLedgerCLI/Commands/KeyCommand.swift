import ArgumentParser
import ReleaseLedgerCore
import Transparency

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Make the Ed25519 key that signs checkpoints and attestations.",
        subcommands: [KeyGenerateCommand.self])
}

struct KeyGenerateCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a new Ed25519 signing key (mode 0600) and print its verifier key.",
        discussion: """
            The key file holds one line, PRIVATE+KEY+<name>+<keyid>+<base64>, the signer key format Go's
            golang.org/x/mod/sumdb/note reads. The verifier key printed, <name>+<keyid>+<base64(0x01||public key)>,
            is what auditors need; publish it. The name is the checkpoints' origin.
            Example:
              release-ledger key generate --name ledger.example.com/release --out signing.key
            """)

    @Option(help: "The key's name, which is also the checkpoints' origin (e.g. example.com/release-ledger).") var name:
        String
    @Option(help: "The file to create; it must not exist.") var out: String
    @Flag(help: "Print JSON: {\"verifierKey\", \"keyId\", \"name\", \"file\"}.") var json = false

    func execute(in context: CommandContext) throws(LedgerError) {
        let signer: NoteSigner
        do { signer = try NoteSigner.generate(name: name) } catch {
            throw .invalidInput(field: "--name", rule: error.description)
        }
        try SigningKey.write(signer, to: out, context: context)
        let verifierKey = signer.verifier.verifierKey
        if json {
            context.console.line(
                CanonicalJSON.encode([
                    "verifierKey": .string(verifierKey), "name": .string(signer.name), "file": .string(out),
                    "keyId": .string(String(verifierKey.split(separator: "+")[1])),
                ]))
        } else {
            context.console.line(verifierKey)
        }
    }
}
