import ArgumentParser
import Foundation
import Testing

@testable import ReleaseLedgerCLI

/// The hot commands' quick reading must give exactly what ArgumentParser gives, and leave every
/// other command line (errors, help, unusual forms) to ArgumentParser.
@Suite struct QuickParseTests {
    static let sha = String(repeating: "a", count: 40)

    /// Command lines a CI step sends, read both ways.
    static let plainLines: [[String]] = [
        ["append", "--db", "l.sqlite", "--type", "x-note", "--sha", sha, "--data", "{\"i\":1}"],
        ["append", "--type", "x-note", "--sha", sha, "--data", "@note.json", "--id", "step-42", "--expect", "none"],
        ["append", "--batch", "events.jsonl", "--json", "--busy-timeout", "250", "--no-github-output"],
        [
            "append", "--github-output", "--actor", "alice", "--source", "https://example.com/acme/shop", "--run-id",
            "7",
            "--run-attempt", "2", "--workflow", "ci", "--job", "deploy", "--repository", "acme/shop",
            "--correlation-id",
            "c-1", "--causation-id", "e-1", "--stream", "custom", "--type", "x-note", "--sha", sha, "--data", "-",
        ],
        ["append", "--server", "http://127.0.0.1:8080", "--type", "x-note", "--sha", sha, "--data", "{}"],
        ["append", "--postgres", "postgres://ledger@127.0.0.1/ledger", "--batch", "-"],
    ]

    /// Command lines the quick reading leaves to ArgumentParser.
    static let unusualLines: [[String]] = [
        ["append", "--data={}"], ["append", "--db", "a", "--db", "b"], ["append", "--busy-timeout", "-1"],
        ["append", "--github-output", "--no-github-output"], ["append", "--help"], ["append", "-h"],
        ["append", "--colour", "blue"], ["append", "positional"], ["append", "--db"],
        ["append", "--busy-timeout", "soon"],
        ["append", "--", "--db"], ["help", "append"], ["--help"], ["--version", "--help"], ["status"], [],
        ["smoke", "--sha", sha, "--sha", sha, "--suite", "api", "--outcome", "passed"],
        ["deploy", "--help"], ["freeze", "--migration-required", "--migration-required"],
        ["readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--slo-hours", "-1"],
        ["readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--slo-hours", "soon"],
    ]

    @Test(arguments: plainLines)
    func theQuickReadingIsArgumentParsersReading(_ line: [String]) throws {
        guard case .append(let quick) = try #require(QuickParse.parse(line)) else {
            Issue.record("\(line) is not read as an append")
            return
        }
        let parsed = try #require(try ReleaseLedger.parseAsRoot(line) as? AppendCommand)
        #expect(quick == parsed.request)
    }

    /// A CI step's line for every pipeline verb, with each of its options (and the shared ones).
    static let stepLines: [[String]] = [
        [
            "freeze", "--db", "l.sqlite", "--sha", sha, "--api-image", "r/api@sha256:1", "--web-image",
            "r/web@sha256:2",
            "--scope", "runtime", "--scope", "infra", "--migration-required", "--id", "f-1", "--expect", "none",
        ],
        [
            "accept", "--sha", sha, "--verdict", "YES", "--reason", "green", "--evidence", "a=https://x/1",
            "--evidence", "b=https://x/2", "--json",
        ],
        [
            "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at",
            "2026-11-29T10:00:00Z", "--slo-hours", "2.5", "--target-api-base-url", "https://api.example",
        ],
        [
            "preflight", "--sha", sha, "--api-identifier-uri", "api://x", "--entra-audience", "api://x",
            "--github-output",
        ],
        [
            "approve", "--sha", sha, "--decision", "approved", "--approver", "alice", "--gate", "control-plane",
            "--actor", "bob", "--run-id", "7", "--run-attempt", "1", "--workflow", "w", "--job", "j",
        ],
        ["apply", "--sha", sha, "--scope", "identity", "--outcome", "succeeded", "--server", "http://127.0.0.1:1"],
        [
            "migrate", "--sha", sha, "--step", "ran", "--image", "r/api@sha256:1", "--outcome", "succeeded",
            "--busy-timeout", "5",
        ],
        [
            "deploy", "--sha", sha, "--app", "api", "--image", "r/api@sha256:1", "--outcome", "failed",
            "--postgres", "postgres://l@127.0.0.1/l", "--source", "s", "--repository", "acme/shop",
        ],
        [
            "smoke", "--sha", sha, "--suite", "browser", "--outcome", "passed", "--evidence", "trace=https://x/t",
            "--correlation-id", "c", "--causation-id", "e", "--no-github-output",
        ],
        [
            "record-deployment", "--sha", sha, "--deployment-id", "42", "--environment-url", "https://e",
            "--environment", "production",
        ],
        [
            "verdict", "--sha", sha, "--decision", "NO", "--reason", "red", "--fail-on-no", "--checkpoint",
            "--key", "k.key",
        ],
    ]

    /// Each verb's ArgumentParser command, to compare the readings and the options.
    static let stepCommands: [String: any PipelineStepCommand.Type] = [
        "freeze": FreezeCommand.self, "accept": AcceptCommand.self, "readiness": ReadinessCommand.self,
        "preflight": PreflightCommand.self, "approve": ApproveCommand.self, "apply": ApplyCommand.self,
        "migrate": MigrateCommand.self, "deploy": DeployCommand.self, "smoke": SmokeCommand.self,
        "record-deployment": RecordDeploymentCommand.self, "verdict": VerdictCommand.self,
    ]

    static func sameStep<Step: PipelineStep>(_ quick: Step, _ parsed: any ParsableCommand) -> Bool {
        guard let command = parsed as? any PipelineStepCommand else { return false }
        return (command.plainStep as? Step) == quick
    }

    @Test(arguments: stepLines)
    func theQuickReadingOfAVerbIsArgumentParsersReading(_ line: [String]) throws {
        guard case .step(let quick) = try #require(QuickParse.parse(line)) else {
            Issue.record("\(line) is not read as a pipeline step")
            return
        }
        #expect(Self.sameStep(quick, try ReleaseLedger.parseAsRoot(line)), "\(line)")
    }

    /// With only its required options, a verb's defaults (`approve --gate`, empty lists, false
    /// flags, the shared options) are the same both ways.
    @Test(arguments: stepLines)
    func aVerbsDefaultsAreArgumentParsersDefaults(_ line: [String]) throws {
        guard case .step(let full) = try #require(QuickParse.parse(line)) else { return }
        var minimal = [line[0]]
        for required in type(of: full).requiredOptions {
            let index = try #require(line.firstIndex(of: required))
            minimal += [required, line[index + 1]]
        }
        guard case .step(let quick) = try #require(QuickParse.parse(minimal)) else {
            Issue.record("\(minimal) is not read as a pipeline step")
            return
        }
        #expect(Self.sameStep(quick, try ReleaseLedger.parseAsRoot(minimal)), "\(minimal)")
    }

    /// Each line names every option its verb has: without any one of them, a line ArgumentParser
    /// refuses (a required option is missing) is left to it, so the user sees its error.
    @Test(arguments: stepLines)
    func aVerbWithoutARequiredOptionGoesToArgumentParser(_ line: [String]) throws {
        let command = try #require(Self.stepCommands[line[0]])
        var index = 1
        while index < line.count {
            let takesValue = index + 1 < line.count && !line[index + 1].hasPrefix("--")
            var without = line
            without.removeSubrange(index...(takesValue ? index + 1 : index))
            let refused = (try? command.parse(Array(without.dropFirst()))) == nil
            if refused { #expect(QuickParse.parse(without) == nil, "\(without)") }
            index += takesValue ? 2 : 1
        }
    }

    @Test func everyOptionOfEveryVerbIsKnownToTheQuickReading() {
        for (name, command) in Self.stepCommands {
            var expected = Suggestions.knownOptions(of: command)
            expected["--help"] = nil
            expected["--version"] = nil
            guard case .step(let step) = QuickParse.parse(Self.stepLines.first { $0[0] == name }!) else {
                Issue.record("\(name) has no quick reading")
                continue
            }
            let options = AppendSettings.quickOptions.map { ($0.name, $0.takesValue) } + Self.ownOptionNames(step)
            #expect(Dictionary(uniqueKeysWithValues: options) == expected, "\(name)")
        }
    }

    static func ownOptionNames<Step: PipelineStep>(_: Step) -> [(String, Bool)] {
        Step.ownOptions.map { ($0.name, $0.takesValue) }
    }

    @Test(arguments: unusualLines)
    func unusualCommandLinesGoToArgumentParser(_ line: [String]) {
        #expect(QuickParse.parse(line) == nil)
    }

    @Test func everyOptionOfAppendIsKnownToTheQuickReading() {
        var expected = Suggestions.knownOptions(of: AppendCommand.self)
        expected["--help"] = nil
        expected["--version"] = nil
        let quick = Dictionary(uniqueKeysWithValues: AppendRequest.quickOptions.map { ($0.name, $0.takesValue) })
        #expect(quick == expected)
    }

    @Test func versionPrintsWhatArgumentParserPrints() {
        let quick = CLIHarness().run(["--version"])
        var parserOutput = ""
        do { _ = try ReleaseLedger.parseAsRoot(["--version"]) } catch {
            parserOutput = ReleaseLedger.fullMessage(for: error) + "\n"
        }
        #expect(quick.exitCode == 0)
        #expect(quick.stdout == parserOutput)
        #expect(quick.stdout == ReleaseLedger.version + "\n")
    }
}

/// A line the quick reading accepts but `validate()` refuses still gets ArgumentParser's usage
/// error (exit 64), not a crash: the fast path runs the same checks.
@Test func aLineValidateRefusesIsAUsageError() {
    let cli = CLIHarness()
    for line in [["append"], ["append", "--sha", String(repeating: "a", count: 40), "--data", "{}"]] {
        let result = cli.run(line)
        #expect(result.exitCode == 64, "\(line): \(result.stderr)")
        #expect(result.stderr.contains("append needs --type"), "\(result.stderr)")
    }
}

/// The start-up path reads the environment from `environ` itself: the same variables and values
/// that Foundation's ProcessInfo reports.
@Test func theEnvironmentReadDirectlyIsProcessInfos() {
    #expect(processEnvironment() == ProcessInfo.processInfo.environment)
}
