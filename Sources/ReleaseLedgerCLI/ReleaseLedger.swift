import ArgumentParser
import ReleaseLedgerCore
import SecretScanning

/// A command that runs against a `CommandContext` and fails with a `LedgerError`.
protocol LedgerCommand: ParsableCommand {
    func execute(in context: CommandContext) throws(LedgerError)
}

extension LedgerCommand {
    // ArgumentParser's entry point is not used: `ReleaseLedger.main(arguments:context:)` calls `execute`.
    func run() throws {}
}

/// The `release-ledger` command line.
public struct ReleaseLedger: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "release-ledger",
        abstract: "An append-only, hash-chained ledger of a deployment pipeline's release events.",
        discussion: """
            Exit codes: 0 success; 2 refused by a release rule (or a computed check failed); 3 conflict \
            (expected version or idempotency); 4 integrity check failed; 64 usage; 65 invalid input; \
            74 storage or I/O error; 75 busy past the timeout (safe to retry); 77 permission denied (server).
            """,
        version: version,
        subcommands: [
            InitCommand.self, AppendCommand.self, EventsCommand.self, VerifyCommand.self,
            FreezeCommand.self, AcceptCommand.self, ReadinessCommand.self, PreflightCommand.self, ApproveCommand.self,
            ApplyCommand.self, MigrateCommand.self, DeployCommand.self, SmokeCommand.self, RecordDeploymentCommand.self,
            VerdictCommand.self, RollbackCommand.self, ReplayCommand.self, MaterializeCommand.self, RebuildCommand.self,
            StatusCommand.self, HistoryCommand.self, ShowCommand.self, AtCommand.self, DiffCommand.self,
            MetricsCommand.self,
            ExportCommand.self, SchemaCommand.self,
            ReportCommand.self, TokenCommand.self, ServeCommand.self,
            KeyCommand.self, CheckpointCommand.self, ProveCommand.self, AttestCommand.self, CopyCommand.self,
        ]
    )

    public init() {}

    /// Parses and runs one command line; returns the process exit code.
    public static func main(arguments: [String], context: CommandContext) -> Int32 {
        GitHubActions.guardingWorkflowCommands(context, arguments: arguments) { context in
            run(arguments: arguments, context: context)
        }
    }

    static func run(arguments: [String], context: CommandContext) -> Int32 {
        switch QuickParse.parse(arguments) {
        case .version:
            context.console.line(version)
            return 0
        case .append(let request):
            // The fast path skips ArgumentParser, but not the checks that combine options: a
            // line they refuse goes to the full parser, which reports it as usual.
            if request.usageProblem == nil { return execute(request.execute, arguments: arguments, context: context) }
        case .step(let step):
            return execute(step.execute, arguments: arguments, context: context)
        case nil:
            break
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                context.console.line(message)
            } else if let clearer = Suggestions.usageError(for: arguments) {
                context.console.error("release-ledger: error: \(oneLine(clearer))")
            } else {
                // Usage errors keep to one line on stderr; the full help is one `--help` away.
                let lines = message.split(separator: "\n")
                var first = lines.first.map(String.init) ?? message
                // ArgumentParser lists a long set of allowed values one per line ("  - api"): keep them.
                let values = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
                if first.hasSuffix(":"), !values.isEmpty { first += " " + values.joined(separator: ", ") }
                let line = "release-ledger: \(first.replacing("Error: ", with: "error: "))"
                context.console.error(SecretScanner.redactingSecrets(in: line, inputs: arguments))
            }
            return code == 0 ? 0 : 64
        }
        guard let ledgerCommand = command as? LedgerCommand else {
            // `--help` and `help SUBCOMMAND` arrive as ArgumentParser's help command: print the help asked for.
            context.console.line(helpMessage(for: helpTarget(arguments)))
            return 0
        }
        return execute(ledgerCommand.execute, arguments: arguments, context: context)
    }

    /// Runs a command's work; an error is one line on stderr (secrets in it redacted) and its exit code.
    static func execute(
        _ work: (CommandContext) throws(LedgerError) -> Void, arguments: [String], context: CommandContext
    ) -> Int32 {
        do {
            try work(context)
            return 0
        } catch {
            let line = "release-ledger: error: \(oneLine(error.description))"
            context.console.error(SecretScanner.redactingSecrets(in: line, inputs: arguments))
            return error.exitCode
        }
    }
}

/// An error is one line on stderr: a value from the input (a path, an option) that carries a line
/// break or another control character is escaped rather than allowed to split or hide the message.
func oneLine(_ message: String) -> String {
    var text = ""
    for scalar in message.unicodeScalars {
        switch scalar.value {
        case 0x0A: text += "\\n"
        case 0x0D: text += "\\r"
        case 0x09: text += "\\t"
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029:
            text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: text.unicodeScalars.append(scalar)
        }
    }
    return text
}

extension ReleaseLedger {
    /// The subcommand named in `arguments` (`append --help`, `help append`), or the root command.
    static func helpTarget(_ arguments: [String]) -> ParsableCommand.Type {
        let names = arguments.filter { !$0.hasPrefix("-") && $0 != "help" }
        guard let first = names.first else { return ReleaseLedger.self }
        return configuration.subcommands.first { $0._commandName == first } ?? ReleaseLedger.self
    }
}
