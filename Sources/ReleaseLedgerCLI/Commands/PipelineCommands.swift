import ArgumentParser
import ReleaseLedgerCore

/// Appends one pipeline event and prints its receipt (unless `quiet`: the caller prints its own);
/// returns the receipt and the ledger, for a command that reads on.
@discardableResult
func record(
    _ type: EventType, sha: String, data: JSONValue, options: AppendOptions, context: CommandContext, quiet: Bool = false
) throws(LedgerError) -> (receipt: AppendReceipt, ledger: any Ledger) {
    let store = try context.openLedger(options.ledger, for: .writing)
    let receipts: [AppendReceipt]
    do {
        let event = try options.proposed(type: type.rawValue, sha: sha, data: data, context: context)
        receipts = try store.append([event])
    } catch {
        throw error.namingFlags()
    }
    if !quiet {
        printReceipts(receipts, json: options.ledger.json, console: context.console)
        try GitHubActions(context, options.ledger).setOutputs(for: receipts[0], store: store)
    }
    return (receipts[0], store)
}

extension LedgerError {
    /// A typed verb builds the payload from its flags: a problem with `data.lastGreenAt` is a
    /// problem with `--last-green-at`, and the error says so.
    func namingFlags() -> LedgerError {
        guard case .invalidInput(let field, let rule) = self else { return self }
        // The rule may list more problems, each as "data.key: ...".
        let named = rule.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard word.hasPrefix("data.") else { return String(word) }
            let path = word.prefix { $0.isLetter || $0.isNumber || ".[]".contains($0) }
            return Self.flag(forPayloadField: String(path)) + word.dropFirst(path.count)
        }
        return .invalidInput(field: Self.flag(forPayloadField: field), rule: named.joined(separator: " "))
    }

    static func flag(forPayloadField field: String) -> String {
        if field == "sha" { return "--sha" }
        guard field.hasPrefix("data.") else { return field }
        let path = field.dropFirst("data.".count)
        let key = path.prefix { $0 != "." && $0 != "[" }
        switch key {
        case "images": return path.hasPrefix("images.web") ? "--web-image" : "--api-image"
        case "scopes": return "--scope"
        case "": return field
        default:
            // camelCase payload keys are kebab-case flags: lastGreenAt is --last-green-at.
            var flag = "--"
            for character in key {
                if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
            }
            return flag
        }
    }
}

/// `--evidence name=url`, repeatable.
func evidenceList(_ items: [String]) throws(LedgerError) -> JSONValue? {
    guard !items.isEmpty else { return nil }
    var list: [JSONValue] = []
    for item in items {
        guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
            throw .usage("--evidence must be NAME=URL, e.g. report=https://ci.example/run/1")
        }
        list.append(["name": .string(String(item[..<equals])), "url": .string(String(item[item.index(after: equals)...]))])
    }
    return .array(list)
}

struct FreezeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Record candidate.frozen: the digests and scopes of a release candidate.",
        discussion: """
            Example:
              release-ledger freeze --sha $SHA --scope runtime --migration-required \\
                  --api-image ghcr.io/acme/api@sha256:<64 hex> \\
                  --web-image ghcr.io/acme/web@sha256:<64 hex>
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(name: .customLong("api-image"), help: "API image digest ref REPO@sha256:<hex>.") var apiImage: String
    @Option(name: .customLong("web-image"), help: "Web image digest ref REPO@sha256:<hex>.") var webImage: String
    @Option(
        name: .customLong("scope"), help: "runtime, infra, identity or requires-infra-convergence (repeatable; at least one).",
        completion: .list(["runtime", "infra", "identity", "requires-infra-convergence"])
    ) var scopes: [String] = []
    @Flag(name: .customLong("migration-required"), help: "The database migration must run.") var migrationRequired = false

    func execute(in context: CommandContext) throws(LedgerError) {
        let known = ["runtime", "infra", "identity", "requires-infra-convergence"]
        guard !scopes.isEmpty else {
            // A candidate frozen with no scope could never be corrected: a SHA is frozen once.
            throw .invalidInput(field: "--scope", rule: "at least one is required: \(known.joined(separator: ", "))")
        }
        for scope in scopes where !known.contains(scope) {
            throw .invalidInput(field: "--scope", rule: "'\(scope)' is not one of \(known.joined(separator: ", "))")
        }
        let data: JSONValue = [
            "images": ["api": .string(apiImage), "web": .string(webImage)],
            "scopes": [
                "runtime": .bool(scopes.contains("runtime")), "infra": .bool(scopes.contains("infra")),
                "identity": .bool(scopes.contains("identity")), "requiresInfraConvergence": .bool(scopes.contains("requires-infra-convergence")),
            ],
            "migrationRequired": .bool(migrationRequired),
        ]
        try record(.candidateFrozen, sha: sha, data: data, options: options, context: context)
    }
}

struct AcceptCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Record the acceptance verdict (YES or NO) of a candidate.",
        discussion: """
            Example:
              release-ledger accept --sha $SHA --verdict YES \\
                  --evidence report=https://ci.example/runs/1
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "YES or NO.", completion: .list(["YES", "NO"])) var verdict: String
    @Option(parsing: .unconditional, help: "Why.") var reason: String?
    @Option(parsing: .unconditionalSingleValue, help: "NAME=URL of evidence (repeatable).") var evidence: [String] = []

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("verdict", .string(verdict))])
        if let reason { object["reason"] = .string(reason) }
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try record(.acceptanceRecorded, sha: sha, data: .object(object), options: options, context: context)
    }
}

struct ReadinessCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness", abstract: "Record pre-deploy auth readiness: the Entra canary or the delegated probe.",
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
    @Option(help: "entra-canary or delegated-probe.", completion: .list(["entra-canary", "delegated-probe"])) var check: String
    @Option(help: "pass or fail.", completion: .list(["pass", "fail"])) var status: String
    @Option(name: .customLong("last-green-at"), help: "Canary: when it was last green (RFC 3339).") var lastGreenAt: String?
    @Option(name: .customLong("slo-hours"), parsing: .unconditional, help: "Canary: freshness SLO in hours.") var sloHours: Double?
    @Option(name: .customLong("target-api-base-url"), help: "Probe: the API it probed.") var targetAPIBaseURL: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        try NumericOption.sloHours(sloHours)
        var object = JSONObject([("check", .string(check)), ("status", .string(status))])
        if let lastGreenAt { object["lastGreenAt"] = .string(lastGreenAt) }
        if let sloHours { object["sloHours"] = sloHours.rounded() == sloHours ? .number(.integer(Int64(sloHours))) : .number(.double(sloHours)) }
        if let targetAPIBaseURL { object["targetApiBaseUrl"] = .string(targetAPIBaseURL) }
        let (receipt, ledger) = try record(.readinessRecorded, sha: sha, data: .object(object), options: options, context: context)
        // The canary's outcome is computed here (status and freshness), so a failure fails the step;
        // the probe's status is reported by its own workflow and only recorded, like a failed smoke.
        guard check == "entra-canary" else { return }
        if status != "pass" {
            throw .refused(rule: "auth readiness", reason: "the entra canary is not green (recorded at position \(receipt.position))")
        }
        if let canary = try ledger.candidate(sha)?.canary, canary.fresh == false {
            throw .refused(
                rule: "auth readiness",
                reason: "the entra canary was last green at \(lastGreenAt ?? "?"), outside its \(sloHours.map { "\($0)" } ?? "?") h SLO (recorded at position \(receipt.position))")
        }
    }
}

struct PreflightCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight", abstract: "Run and record the identity config preflight (runbook contract).",
        discussion: """
            API_IDENTIFIER_URI first, ENTRA_AUDIENCE as fallback; fails if both are set and differ or the result is not api://...
            A failing preflight is recorded and exits 2.
            Example:
              API_IDENTIFIER_URI=api://compass-api release-ledger preflight --sha $SHA
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(name: .customLong("api-identifier-uri"), help: "Default: $API_IDENTIFIER_URI.") var apiIdentifierURI: String?
    @Option(name: .customLong("entra-audience"), help: "Default: $ENTRA_AUDIENCE.") var entraAudience: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        let uri = apiIdentifierURI ?? context.environment["API_IDENTIFIER_URI"]
        let audience = entraAudience ?? context.environment["ENTRA_AUDIENCE"]
        let result = IdentityPreflight.evaluate(apiIdentifierURI: uri, entraAudience: audience)
        let (receipt, _) = try record(
            .identityPreflightRecorded, sha: sha, data: IdentityPreflight.payload(apiIdentifierURI: uri, entraAudience: audience),
            options: options, context: context)
        if result.status == .fail {
            throw .refused(rule: "identity preflight", reason: "\(result.reason) (recorded at position \(receipt.position))")
        }
    }
}

struct ApproveCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Record the production-control-plane approval.",
        discussion: "Example: release-ledger approve --sha $SHA --decision approved --approver alice")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "approved or rejected.", completion: .list(["approved", "rejected"])) var decision: String
    @Option(parsing: .unconditional, help: "Who approved (default: the actor).") var approver: String?
    @Option(help: "The gate (control-plane).") var gate = "control-plane"

    func execute(in context: CommandContext) throws(LedgerError) {
        guard let who = approver ?? options.metadata.metadata(context.environment).actor else {
            throw .usage("approve needs --approver (or --actor / $GITHUB_ACTOR)")
        }
        try record(
            .approvalRecorded, sha: sha, data: ["gate": .string(gate), "decision": .string(decision), "approver": .string(who)],
            options: options, context: context)
    }
}

struct ApplyCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Record an identity or infra apply.",
        discussion: "Example: release-ledger apply --sha $SHA --scope infra --outcome succeeded")

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "identity or infra.", completion: .list(["identity", "infra"])) var scope: String
    @Option(help: "succeeded or failed.", completion: .list(["succeeded", "failed"])) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try record(.applyRecorded, sha: sha, data: ["scope": .string(scope), "outcome": .string(outcome)], options: options, context: context)
    }
}

struct MigrateCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Record a migration step: image-updated, then ran.",
        discussion: """
            Example:
              release-ledger migrate --sha $SHA --step image-updated \\
                  --image $API_DIGEST_REF --outcome succeeded
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "image-updated or ran.", completion: .list(["image-updated", "ran"])) var step: String
    @Option(help: "The migration job image (must be the frozen api digest).") var image: String
    @Option(help: "succeeded or failed.", completion: .list(["succeeded", "failed"])) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try record(
            .migrationRecorded, sha: sha, data: ["step": .string(step), "image": .string(image), "outcome": .string(outcome)],
            options: options, context: context)
    }
}

struct DeployCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Record a deploy of the api or web app by digest.",
        discussion: """
            Example:
              release-ledger deploy --sha $SHA --app api --image $API_DIGEST_REF \\
                  --outcome succeeded
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "api or web.", completion: .list(["api", "web"])) var app: String
    @Option(help: "The image deployed (must be the frozen digest).") var image: String
    @Option(help: "succeeded or failed.", completion: .list(["succeeded", "failed"])) var outcome: String

    func execute(in context: CommandContext) throws(LedgerError) {
        try record(
            .deployRecorded, sha: sha, data: ["app": .string(app), "image": .string(image), "outcome": .string(outcome)],
            options: options, context: context)
    }
}

struct SmokeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke", abstract: "Record an api or browser smoke test result.",
        discussion: """
            Example:
              release-ledger smoke --sha $SHA --suite browser --outcome passed \\
                  --evidence trace=https://ci.example/trace
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(help: "api or browser.", completion: .list(["api", "browser"])) var suite: String
    @Option(help: "passed or failed.", completion: .list(["passed", "failed"])) var outcome: String
    @Option(parsing: .unconditionalSingleValue, help: "NAME=URL of evidence (repeatable).") var evidence: [String] = []

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject([("suite", .string(suite)), ("outcome", .string(outcome))])
        if let list = try evidenceList(evidence) { object["evidence"] = list }
        try record(.smokeRecorded, sha: sha, data: .object(object), options: options, context: context)
    }
}

struct RecordDeploymentCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-deployment", abstract: "Record the GitHub Deployment of this run.",
        discussion: """
            Example:
              release-ledger record-deployment --sha $SHA --deployment-id 123456 \\
                  --environment-url https://app.example.com
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(name: .customLong("deployment-id"), parsing: .unconditional, help: "The deployment's id.") var deploymentID: String?
    @Option(name: .customLong("environment-url"), help: "The environment's URL.") var environmentURL: String?
    @Option(parsing: .unconditional, help: "The environment's name.") var environment: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject()
        if let deploymentID { object["deploymentId"] = Int64(deploymentID).map { .number(.integer($0)) } ?? .string(deploymentID) }
        if let environmentURL { object["environmentUrl"] = .string(environmentURL) }
        if let environment { object["environment"] = .string(environment) }
        try record(.deploymentRecorded, sha: sha, data: .object(object), options: options, context: context)
    }
}

struct VerdictCommand: LedgerCommand {
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
    @Option(help: "YES or NO (default: computed from the gate table).", completion: .list(["YES", "NO"])) var decision: String?
    @Option(parsing: .unconditional, help: "Why (default: the gates that did not pass).") var reason: String?
    @Flag(name: .customLong("fail-on-no"), help: "Exit 2 when the recorded decision is NO, so the job goes red.")
    var failOnNo = false
    @Flag(help: "Then sign a checkpoint covering the verdict (--key or $RELEASE_LEDGER_SIGNING_KEY_FILE).") var checkpoint = false
    @Option(help: "The signing key file for --checkpoint.") var key: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        var object = JSONObject()
        // Left out, the ledger decides inside its write transaction, from the gates as they are then.
        if let decision { object["decision"] = .string(decision) }
        if let reason { object["reason"] = .string(reason) }
        // The key is read before anything is recorded: a bad key file must not leave a verdict unsigned.
        let signer = checkpoint ? try SigningKey.require(option: key, context: context) : nil
        let (receipt, ledger) = try record(.verdictRecorded, sha: sha, data: .object(object), options: options, context: context, quiet: true)
        guard let candidate = try ledger.candidate(sha),
            let run = candidate.runs.first(where: { $0.decision?.event.position == receipt.position }), let decided = run.decision
        else {
            throw .storage("the verdict at position \(receipt.position) is not in the read model; run `release-ledger rebuild`")
        }
        var verdict = VerdictReport(sha: sha, run: run.number, decision: decided, receipt: receipt)
        if let signer {
            verdict.checkpoint = try CheckpointIssuer.issue(
                signer: signer, log: try transparencyLog(ledger), metadata: options.metadata.metadata(context.environment), retryKey: { _ in nil })
        }
        context.console.line(options.ledger.json ? CanonicalJSON.encode(verdict.json) : verdict.text)
        try GitHubActions(context, options.ledger).verdict(verdict, store: ledger)
        if failOnNo, !decided.isYes {
            throw .refused(rule: "release decision", reason: "\(shortSHA(sha)) run \(run.number) was decided NO (--fail-on-no)")
        }
    }
}

/// What `verdict` prints: the decision, why, and the gates behind it.
struct VerdictReport {
    var sha: String
    var run: Int
    var decision: DecisionFact
    var receipt: AppendReceipt
    /// Signed after the verdict with `--checkpoint`.
    var checkpoint: CheckpointIssuer.Issued?

    var failingGates: [GateResult] { decision.gates.filter { $0.required && $0.status != .passed } }

    /// The recorded reason, then each required gate that did not pass.
    var reasons: [String] {
        let gates = failingGates.map { "\($0.name) (\($0.status.rawValue))" }
        return decision.reason.hasPrefix("gates not passed: ") ? gates : [decision.reason] + gates
    }

    var json: JSONValue {
        let base: JSONValue = [
            "status": .string(receipt.status.rawValue), "sha": .string(sha), "run": .int(run), "decision": .string(decision.decision),
            "reason": .string(decision.reason), "reasons": .array(reasons.map { .string($0) }),
            "failingGates": .array(failingGates.map { .string($0.name) }), "gates": .array(decision.gates.map(\.json)),
            "position": .number(.integer(receipt.position)), "id": .string(receipt.id),
        ]
        return base.adding("checkpoint", checkpoint.map(CheckpointIssuer.json))
    }

    var text: String {
        let how = receipt.status == .recorded ? "recorded at position" : "already recorded at position"
        var lines = ["verdict \(decision.decision) for \(shortSHA(sha)) run \(run) (\(how) \(receipt.position))"]
        lines.append("reasons:")
        lines += reasons.map { "  - \($0)" }
        let failing = failingGates.map(\.name)
        lines.append("failing gates: " + (failing.isEmpty ? "none" : failing.joined(separator: ", ")))
        lines.append(Table(title: nil, headers: ["GATE", "REQUIRED", "STATUS"], rows: decision.gates.map {
            [$0.name, $0.required ? "yes" : "no", $0.status.rawValue]
        }).render(.table))
        if let checkpoint {
            lines.append("checkpoint (size \(checkpoint.checkpoint.size), recorded at position \(checkpoint.receipt.position)):")
            lines.append(checkpoint.note)
        }
        return lines.joined(separator: "\n")
    }
}
