import ArgumentParser
import ReleaseLedgerCore

struct FreezeCommand: PipelineStepCommand {
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
        name: .customLong("scope"),
        help: "runtime, infra, identity or requires-infra-convergence (repeatable; at least one).",
        completion: .list(["runtime", "infra", "identity", "requires-infra-convergence"])
    ) var scopes: [String] = []
    @Flag(name: .customLong("migration-required"), help: "The database migration must run.") var migrationRequired =
        false

    var plainStep: FreezeStep {
        FreezeStep(
            options: options.settings, sha: sha, apiImage: apiImage, webImage: webImage, scopes: scopes,
            migrationRequired: migrationRequired)
    }
}

struct FreezeStep: PipelineStep {
    var options = AppendSettings()
    var sha = ""
    var apiImage = ""
    var webImage = ""
    var scopes: [String] = []
    var migrationRequired = false

    static let requiredOptions = ["--sha", "--api-image", "--web-image"]
    static var ownOptions: [QuickParse.Option<FreezeStep>] {
        [
            .value("--sha") { $0.sha = $1 }, .value("--api-image") { $0.apiImage = $1 },
            .value("--web-image") { $0.webImage = $1 }, .repeated("--scope") { $0.scopes.append($1) },
            .flag("--migration-required") { $0.migrationRequired = true },
        ]
    }

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
                "identity": .bool(scopes.contains("identity")),
                "requiresInfraConvergence": .bool(scopes.contains("requires-infra-convergence")),
            ],
            "migrationRequired": .bool(migrationRequired),
        ]
        try options.record(.candidateFrozen, sha: sha, data, context: context)
    }
}
