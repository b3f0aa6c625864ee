import NIOConcurrencyHelpers
import NIOPosix
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerPostgres

/// Runs a read command of the command line in process, against the server's ledger, so an
/// API read answers exactly what `release-ledger <command> --format json` prints locally.
///
/// Arguments are built here, never taken from the request as such: every value a client sends is
/// passed as `--name=value` or after `--`, so it cannot become another option (`--db`).
struct CommandRunner: Sendable {
    /// `RELEASE_LEDGER_DB` or `RELEASE_LEDGER_POSTGRES`: the server's ledger, and nothing else.
    let ledgerEnvironment: [String: String]

    struct Output: Sendable {
        var exitCode: Int32
        var standardOutput: String
        var standardError: String
    }

    func run(_ arguments: [String]) async throws -> Output {
        // The command line is synchronous and reads the store: off the event loops and the cooperative pool.
        try await NIOThreadPool.singleton.runIfActive {
            let out = NIOLockedValueBox("")
            let err = NIOLockedValueBox("")
            let console = Console(
                out: { text in out.withLockedValue { $0 += text } }, err: { text in err.withLockedValue { $0 += text } }
            )
            // Only the ledger's own settings: the server's environment (GITHUB_ACTIONS, tokens) stays out.
            var context = CommandContext(
                environment: ledgerEnvironment, currentDirectory: "/", clock: SystemClock(), console: console)
            context.postgres = PostgresLedgerOpening()
            let code = ReleaseLedger.main(arguments: arguments, context: context)
            return Output(
                exitCode: code, standardOutput: out.withLockedValue { $0 }, standardError: err.withLockedValue { $0 })
        }
    }
}

extension CommandRunner.Output {
    /// A failed command's problem: its class from the exit code, its one stderr line as the detail.
    var problem: ProblemDetails {
        let line = standardError.split(separator: "\n").first.map(String.init) ?? "the command failed"
        let detail =
            line.hasPrefix("release-ledger: error: ") ? String(line.dropFirst("release-ledger: error: ".count)) : line
        let kind: ProblemDetails.Kind =
            switch exitCode {
            case 2: .ruleRefusal
            case 3: .conflict
            case 4: .integrity
            case 64: .usage
            case 65: .invalidInput
            case 75: .busy
            default: .storage
            }
        return ProblemDetails(kind: kind, detail: detail, retryAfterSeconds: kind == .busy ? 1 : nil)
    }
}
