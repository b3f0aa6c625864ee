import ArgumentParser
import ReleaseLedgerCore

struct DiffCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "How two candidates' manifests differ: images, scopes, migration.",
        discussion: "Example: release-ledger diff $OLD_SHA $NEW_SHA")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The first SHA.") var first: String
    @Argument(help: "The second SHA.") var second: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .reading)
        func frozen(_ sha: String) throws(LedgerError) -> FrozenCandidate {
            guard let frozen = try store.candidate(sha)?.frozen else {
                throw .usage("\(sha) has no frozen manifest in the ledger")
            }
            return frozen
        }
        let a = try frozen(first)
        let b = try frozen(second)
        let fields: [(String, String, String)] = [
            ("images.api", a.images.api, b.images.api), ("images.web", a.images.web, b.images.web),
            ("scopes.runtime", "\(a.scopes.runtime)", "\(b.scopes.runtime)"),
            ("scopes.infra", "\(a.scopes.infra)", "\(b.scopes.infra)"),
            ("scopes.identity", "\(a.scopes.identity)", "\(b.scopes.identity)"),
            (
                "scopes.requiresInfraConvergence", "\(a.scopes.requiresInfraConvergence)",
                "\(b.scopes.requiresInfraConvergence)"
            ),
            ("migration.image", a.images.api, b.images.api),
            ("migration.required", "\(a.migrationRequired)", "\(b.migrationRequired)"),
        ]
        let differences = fields.filter { $0.1 != $0.2 }
        let format = output.resolved(ledger.settings)
        if format == .json {
            context.console.line(
                CanonicalJSON.encode([
                    "from": .string(first), "to": .string(second), "identical": .bool(differences.isEmpty),
                    "differences": .array(
                        differences.map { ["field": .string($0.0), "from": .string($0.1), "to": .string($0.2)] }),
                ]))
            return
        }
        let table = Table(
            title: "\(shortSHA(first)) -> \(shortSHA(second))", headers: ["FIELD", "FROM", "TO"],
            rows: differences.map { [$0.0, $0.1, $0.2] })
        context.console.line(
            differences.isEmpty
                ? "the manifests of \(shortSHA(first)) and \(shortSHA(second)) are identical in images, scopes "
                    + "and migration"
                : table.render(format))
    }
}
