import ArgumentParser
import ReleaseLedgerCore
import Transparency

struct AttestCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Print a run's release decision as a signed in-toto attestation (SLSA VSA predicate, DSSE envelope).",
        discussion: """
            The statement's subjects are the commit and the frozen image digests; the predicate says PASSED (YES) or
            FAILED (NO), when it was decided, the rules catalog's digest as the policy, the verdict event, the
            acceptance evidence and the first checkpoint covering the verdict as inputs, and the gate table under
            \(DecisionAttestation.decisionKey). Built from the ledger alone: the same bytes every time.
            --predicate-only prints the predicate without signing (for actions/attest with a predicate file).
            Examples:
              release-ledger attest --sha $SHA --key signing.key > decision.intoto.jsonl
              release-ledger attest --sha $SHA --predicate-only > predicate.json
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(parsing: .unconditional, help: "A run (default: the latest decided one).") var run: Int?
    @Option(help: "The signing key file (default: $RELEASE_LEDGER_SIGNING_KEY_FILE).") var key: String?
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(name: .customLong("predicate-only"), help: "Print the VSA predicate alone, unsigned.") var predicateOnly =
        false
    @Option(help: "With --predicate-only and no key: the verifier's name (default: release-ledger).") var verifier:
        String?

    func execute(in context: CommandContext) throws(LedgerError) {
        let signer =
            predicateOnly
            ? try SigningKey.load(option: key, context: context) : try SigningKey.require(option: key, context: context)
        let store = try context.openTransparencyLog(ledger.settings, for: .reading)
        guard let candidate = try store.candidateHistory(sha) else { throw .usage("\(sha) is not in the ledger") }
        let input = try DecisionAttestation.input(
            candidate: candidate, runNumber: run, checkpoints: try CheckpointIssuer.recorded(in: store),
            verifierName: signer?.name ?? verifier ?? "release-ledger")
        let text: String
        if predicateOnly {
            text = CanonicalJSON.encodePretty(try DecisionAttestation.predicate(input))
        } else if let signer {
            text = try DecisionAttestation.envelope(input, signer: signer) + "\n"
        } else {
            throw .usage("a signing key is needed")
        }
        if let out {
            try writeText(text, to: out, field: "--out", context: context)
        } else {
            context.console.line(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}
