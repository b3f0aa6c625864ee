import ArgumentParser
import ReleaseLedgerCore

struct PreflightCommand: PipelineStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight", abstract: "Run and record the identity config preflight (runbook contract).",
        discussion: """
            API_IDENTIFIER_URI first, ENTRA_AUDIENCE as fallback; fails if both are set and differ or the \
            result is not api://...
            A failing preflight is recorded and exits 2.
            Example:
              API_IDENTIFIER_URI=api://compass-api release-ledger preflight --sha $SHA
            """)

    @OptionGroup var options: AppendOptions
    @Option(help: "Commit SHA.") var sha: String
    @Option(name: .customLong("api-identifier-uri"), help: "Default: $API_IDENTIFIER_URI.") var apiIdentifierURI:
        String?
    @Option(name: .customLong("entra-audience"), help: "Default: $ENTRA_AUDIENCE.") var entraAudience: String?

    var plainStep: PreflightStep {
        PreflightStep(
            options: options.settings, sha: sha, apiIdentifierURI: apiIdentifierURI, entraAudience: entraAudience)
    }
}

struct PreflightStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var apiIdentifierURI: String?
    var entraAudience: String?

    static let requiredOptions = ["--sha"]
    static var ownOptions: [QuickParse.Option<PreflightStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--api-identifier-uri") { $0.apiIdentifierURI = $1 },
            .value("--entra-audience") { $0.entraAudience = $1 },
        ]
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        let uri = apiIdentifierURI ?? context.environment["API_IDENTIFIER_URI"]
        let audience = entraAudience ?? context.environment["ENTRA_AUDIENCE"]
        let result = IdentityPreflight.evaluate(apiIdentifierURI: uri, entraAudience: audience)
        let (receipt, _) = try options.record(
            .identityPreflightRecorded, sha: sha,
            IdentityPreflight.payload(apiIdentifierURI: uri, entraAudience: audience), context: context)
        if result.status == .fail {
            throw .refused(
                rule: "identity preflight", reason: "\(result.reason) (recorded at position \(receipt.position))")
        }
    }
}
