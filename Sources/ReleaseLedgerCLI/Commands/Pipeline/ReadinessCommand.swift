import ArgumentParser
import ReleaseLedgerCore

struct ReadinessCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness",
        abstract: "Record pre-deploy auth readiness: the Entra canary or the delegated probe.",
        discussion: """
            The canary's freshness is computed from --last-green-at, --slo-hours and the time of recording; \
            a stale or red canary is recorded and exits 2; a probe's status is recorded as reported (exit 0).
            Examples:
              release-ledger readiness --sha $SHA --check entra-canary --status pass \\
                  --last-green-at 2026-11-29T02:00:00Z --slo-hours 24
              release-ledger readiness --sha $SHA --check delegated-probe --status pass \\
                  --target-api-base-url https://api.example.com
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "entra-canary or delegated-probe.", completion: .list(ReadinessCheck.allowedValues)) var check: String
    @Option(help: "pass or fail.", completion: .list(CheckStatus.allowedValues)) var status: String
    @Option(name: .customLong("last-green-at"), help: "Canary: when it was last green (RFC 3339).") var lastGreenAt:
        String?
    @Option(name: .customLong("slo-hours"), parsing: .unconditional, help: "Canary: freshness SLO in hours.")
    var sloHours: Double?
    @Option(name: .customLong("target-api-base-url"), help: "Probe: the API it probed.") var targetAPIBaseURL: String?

    var plainStep: ReadinessStep {
        ReadinessStep(
            options: options.settings, sha: sha, check: check, status: status, lastGreenAt: lastGreenAt,
            sloHours: sloHours, targetAPIBaseURL: targetAPIBaseURL)
    }
}

struct ReadinessStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var check = ""
    var status = ""
    var lastGreenAt: String?
    var sloHours: Double?
    var targetAPIBaseURL: String?

    static let requiredOptions = ["--sha", "--check", "--status"]
    static var ownOptions: [QuickParse.Option<ReadinessStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--check") { $0.check = $1 }, .value("--status") { $0.status = $1 },
            .value("--last-green-at") { $0.lastGreenAt = $1 }, .double("--slo-hours") { $0.sloHours = $1 },
            .value("--target-api-base-url") { $0.targetAPIBaseURL = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        try NumericOption.sloHours(sloHours)
        var object = JSONObject([("check", .string(check)), ("status", .string(status))])
        if let lastGreenAt { object["lastGreenAt"] = .string(lastGreenAt) }
        if let sloHours {
            object["sloHours"] =
                sloHours.rounded() == sloHours ? .number(.integer(Int64(sloHours))) : .number(.double(sloHours))
        }
        if let targetAPIBaseURL { object["targetApiBaseUrl"] = .string(targetAPIBaseURL) }
        let (receipt, ledger) = try options.record(.readinessRecorded, sha: sha, .object(object), context: context)
        // The canary's outcome is computed here (status and freshness), so a failure fails the step;
        // the probe's status is reported by its own workflow and only recorded, like a failed smoke.
        guard check == "entra-canary" else { return }
        if status != "pass" {
            throw .refused(
                rule: "auth readiness",
                reason: "the entra canary is not green (recorded at position \(receipt.position))")
        }
        if let canary = try ledger.candidate(sha)?.canary, canary.fresh == false {
            throw .refused(
                rule: "auth readiness",
                reason:
                    """
                    the entra canary was last green at \(lastGreenAt ?? "?"), outside its \
                    \(sloHours.map { "\($0)" } ?? "?") h SLO (recorded at position \(receipt.position))
                    """
            )
        }
    }
}
