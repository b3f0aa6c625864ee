import ArgumentParser
import ReleaseLedgerCore

struct VerdictCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "verdict",
        abstract: "Record the release decision of the open run; computed from the gates when --decision is left out.",
        discussion: """
            Prints the decision, its reasons and the gates that did not pass. YES is refused (exit 2) unless every
            required gate passed; NO is always accepted and closes the run. A retry of the step that decided the run
            answers "already recorded" with the recorded decision.
            Examples:
              # decide from the evidence
              release-ledger verdict --sha $SHA
              release-ledger verdict --sha $SHA --fail-on-no     # and fail the job on NO
              release-ledger verdict --sha $SHA --decision NO \\
                  --reason "error budget spent"
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "YES or NO (default: computed from the gate table).", completion: .list(Decision.allowedValues))
    var decision: String?
    @Option(parsing: .unconditional, help: "Why (default: the gates that did not pass).") var reason: String?
    @Flag(name: .customLong("fail-on-no"), help: "Exit 2 when the recorded decision is NO, so the job goes red.")
    var failOnNo = false
    @Flag(help: "Then sign a checkpoint covering the verdict (--key or $RELEASE_LEDGER_SIGNING_KEY_FILE).")
    var checkpoint = false
    @Option(help: "The signing key file for --checkpoint.") var key: String?

    var plainStep: VerdictStep {
        VerdictStep(
            options: options.settings, sha: sha, decision: decision, reason: reason, failOnNo: failOnNo,
            checkpoint: checkpoint, key: key)
    }
}

struct VerdictStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var decision: String?
    var reason: String?
    var failOnNo = false
    var checkpoint = false
    var key: String?

    static let requiredOptions = ["--sha"]
    static var ownOptions: [QuickParse.Option<VerdictStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--decision") { $0.decision = $1 },
            .value("--reason") { $0.reason = $1 }, .flag("--fail-on-no") { $0.failOnNo = true },
            .flag("--checkpoint") { $0.checkpoint = true }, .value("--key") { $0.key = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject()
        // Left out, the ledger decides inside its write transaction, from the gates as they are then.
        if let decision { object["decision"] = .string(decision) }
        if let reason { object["reason"] = .string(reason) }
        // The key is read before anything is recorded: a bad key file must not leave a verdict unsigned.
        let signer = checkpoint ? try SigningKey.require(option: key, context: context) : nil
        let (receipt, ledger) = try options.record(
            .verdictRecorded, sha: sha, .object(object), context: context, quiet: true)
        guard let candidate = try ledger.candidate(sha),
            let run = candidate.runs.first(where: { $0.decision?.event.position == receipt.position }),
            let decided = run.decision
        else {
            throw .storage(
                "the verdict at position \(receipt.position) is not in the read model; run `release-ledger rebuild`")
        }
        var verdict = VerdictReport(sha: sha, run: run.number, decision: decided, receipt: receipt)
        if let signer {
            verdict.checkpoint = try CheckpointIssuer.issue(
                signer: signer, log: try transparencyLog(ledger),
                metadata: options.metadata.eventMetadata(context.environment), retryKey: { _ in nil })
        }
        context.console.line(options.ledger.json ? CanonicalJSON.encode(verdict.json) : verdict.text)
        try GitHubActions(context, options.ledger).verdict(verdict, store: ledger)
        if failOnNo, !decided.isYes {
            throw .refused(
                rule: "release decision", reason: "\(shortSHA(sha)) run \(run.number) was decided NO (--fail-on-no)")
        }
    }
}
