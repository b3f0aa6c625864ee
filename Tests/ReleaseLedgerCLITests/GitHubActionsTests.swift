import EventStoreConformance
import Foundation
import ReleaseLedgerCLI
import ReleaseLedgerCore
import Synchronization
import Testing

/// Inside a simulated GitHub Actions job: results reach `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`,
/// a refusal is an `::error` annotation, and user text cannot run a workflow command.
@Suite struct GitHubActionsTests {
    /// One job's files and variables, in a folder of its own.
    struct Job {
        let folder = FileManager.default.temporaryDirectory.path + "/release-ledger-gha-" + UUID().uuidString
        var output: String { folder + "/output" }
        var summary: String { folder + "/summary" }

        init() { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

        var environment: [String: String] {
            [
                "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary,
                "GITHUB_RUN_ID": "4242",
                "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "production", "GITHUB_ACTOR": "ci-bot",
                "GITHUB_ACTION": "__run",
                "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop",
            ]
        }

        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

        /// Empties `$GITHUB_OUTPUT`, so the next read holds one command's outputs.
        func clearOutput() { FileManager.default.createFile(atPath: output, contents: Data()) }

        /// `$GITHUB_OUTPUT` parsed back as the runner reads it: `name<<DELIMITER`, value lines, `DELIMITER`.
        func outputs() throws -> [String: String] {
            var values: [String: String] = [:]
            var lines = read(output).components(separatedBy: "\n")[...]
            while let line = lines.popFirst(), !line.isEmpty {
                let parts = line.components(separatedBy: "<<")
                try #require(parts.count == 2, "not a name<<delimiter line: \(line)")
                let delimiter = parts[1]
                #expect(delimiter.count >= 32, "the delimiter is random and long: \(delimiter)")
                var value: [String] = []
                while let next = lines.popFirst(), next != delimiter { value.append(next) }
                values[parts[0]] = value.joined(separator: "\n")
            }
            return values
        }
    }

    func sha(_ n: Int) -> String { Fixtures.sha(n) }

    /// Every gate of candidate `n`'s run passed; only the verdict is left.
    func readyForVerdict(_ cli: CLIHarness, _ n: Int) {
        cli.prepare(n)
        cli.deploy(n)
        for suite in ["api", "browser"] {
            cli.expectSuccess(cli.run(["smoke", "--sha", sha(n), "--suite", suite, "--outcome", "passed"]))
        }
        cli.expectSuccess(cli.run(["record-deployment", "--sha", sha(n), "--deployment-id", "77"]))
    }

    // MARK: Outputs

    @Test func writeCommandsSetPositionShaAndTheRunTheyJoined() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        let freeze = cli.run([
            "freeze", "--sha", sha(1), "--api-image", Fixtures.digest("api", 1), "--web-image",
            Fixtures.digest("web", 1), "--scope", "runtime",
        ])
        #expect(freeze.exitCode == 0, "\(freeze.stderr)")
        #expect(
            try job.outputs() == ["position": "1", "sha": sha(1), "run": ""], "a frozen candidate has joined no run yet"
        )
        cli.prepare(2, migration: false)
        cli.expectSuccess(
            cli.run([
                "migrate", "--sha", sha(2), "--step", "image-updated", "--image", Fixtures.digest("api", 2),
                "--outcome", "succeeded",
            ]))
        job.clearOutput()
        let deploy = cli.run([
            "deploy", "--sha", sha(2), "--app", "api", "--image", Fixtures.digest("api", 2), "--outcome", "succeeded",
            "--json",
        ])
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let printed = try JSONParser.parse(deploy.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try job.outputs() == ["position": "\(printed["position"]?.intValue ?? -1)", "sha": sha(2), "run": "1"])
    }

    @Test func verdictSetsTheDecisionAndAMultiLineReasonSurvives() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        readyForVerdict(cli, 1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        job.clearOutput()
        let verdict = cli.run([
            "verdict", "--sha", sha(1), "--decision", "NO", "--reason", "error budget spent\nsee the incident",
        ])
        #expect(verdict.exitCode == 0, "\(verdict.stderr)")
        let outputs = try job.outputs()
        #expect(outputs["decision"] == "NO")
        #expect(outputs["run"] == "1")
        #expect(outputs["sha"] == sha(1))
        #expect(outputs["reasons"] == "error budget spent\nsee the incident")
    }

    @Test func rollbackSetsTheDigestsToDeploy() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        job.clearOutput()
        let rollback = cli.run(["rollback", "--reason", "checkout errors"])
        #expect(rollback.exitCode == 0, "\(rollback.stderr)")
        let outputs = try job.outputs()
        #expect(outputs["target-sha"] == sha(1))
        #expect(outputs["sha"] == sha(1))
        #expect(outputs["api-image"] == Fixtures.digest("api", 1))
        #expect(outputs["web-image"] == Fixtures.digest("web", 1))
        #expect(outputs["run"] == "2")
        #expect(outputs["replaces"] == sha(2))
    }

    @Test func statusSetsTheReleasedAndServingDigests() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.deploy(2)  // serving 2, released 1
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        job.clearOutput()
        #expect(cli.run(["status"]).exitCode == 0)
        let outputs = try job.outputs()
        #expect(outputs["released-sha"] == sha(1))
        #expect(outputs["released-api-image"] == Fixtures.digest("api", 1))
        #expect(outputs["released-web-image"] == Fixtures.digest("web", 1))
        #expect(outputs["serving-api-image"] == Fixtures.digest("api", 2))
        #expect(outputs["serving-web-image"] == Fixtures.digest("web", 2))
        #expect(outputs["serving-differs"] == "true")
    }

    @Test func theSwitchOverridesTheDetection() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        let freeze = [
            "freeze", "--api-image", Fixtures.digest("api", 1), "--web-image", Fixtures.digest("web", 1), "--scope",
            "runtime",
        ]
        #expect(cli.run(freeze + ["--sha", sha(1), "--no-github-output"]).exitCode == 0)
        #expect(job.read(job.output).isEmpty, "--no-github-output writes nothing")
        #expect(cli.run(freeze + ["--sha", sha(2)], environment: ["GITHUB_ACTIONS": ""]).exitCode == 0)
        #expect(job.read(job.output).isEmpty, "outside Actions nothing is written")
        #expect(
            cli.run(freeze + ["--sha", sha(3), "--github-output"], environment: ["GITHUB_ACTIONS": ""]).exitCode == 0)
        #expect(try job.outputs()["sha"] == sha(3), "--github-output writes outside Actions")
    }

    // MARK: Step summary

    @Test func theVerdictSummaryHasTheGateTableReasonsAndRunLinksAppended() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        cli.prepare(1)
        cli.deploy(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        try "an earlier step's summary\n".write(toFile: job.summary, atomically: false, encoding: .utf8)
        #expect(
            cli.run(["verdict", "--sha", sha(1), "--decision", "NO", "--reason", "error budget <b>spent</b>"]).exitCode
                == 0)
        let summary = job.read(job.summary)
        #expect(summary.hasPrefix("an earlier step's summary\n"), "appended, not overwritten")
        #expect(summary.contains("| Gate | Required | Status |"))
        #expect(summary.contains("| browser-smoke | yes |") || summary.contains("smoke"))
        #expect(summary.contains("error budget &lt;b&gt;spent&lt;/b&gt;"), "user text is not HTML")
        #expect(summary.contains(Fixtures.digest("api", 1)))
        #expect(summary.contains("https://github.com/acme/shop/actions/runs/4242"))
    }

    @Test func aHugeReasonKeepsTheSummaryWellUnderTheCap() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        readyForVerdict(cli, 1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        // Each `<` is four bytes of markdown: the summary would be about 240 KiB.
        let reason = String(repeating: "<", count: 60_000)
        let verdict = cli.run(["verdict", "--sha", sha(1), "--decision", "NO", "--reason", reason])
        #expect(verdict.exitCode == 0, "\(verdict.stderr)")
        let summary = job.read(job.summary)
        #expect(summary.utf8.count <= 64 * 1024 + 16)
        #expect(summary.contains("Summary cut at 64 KiB"))
        #expect(try job.outputs()["reasons"] == reason, "the output keeps all of it")
    }

    // MARK: Annotations and injection

    @Test func aRefusalPrintsAnEscapedErrorAnnotation() throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        cli.prepare(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let refused = cli.run(["verdict", "--sha", sha(1), "--decision", "YES"])
        #expect(refused.exitCode == 2)
        let annotation = try #require(refused.lines.last)
        #expect(
            annotation.hasPrefix("::error title=release-ledger verdict%3A refused by a release rule (exit 2)::"),
            "\(annotation)")
        let message = try #require(refused.stderr.split(separator: "\n").last).dropFirst(
            "release-ledger: error: ".count)
        let escaped = message.replacing("%", with: "%25")
        #expect(annotation.hasSuffix("::" + escaped))
        // With --json, standard output stays one JSON document and the annotation goes to stderr.
        let json = cli.run(["verdict", "--sha", sha(1), "--decision", "YES", "--json"])
        #expect(!json.stdout.contains("::error"))
        #expect(
            json.stderr.split(separator: "\n").last?.hasPrefix("::error title=release-ledger verdict%3A") == true,
            "\(json.stderr)")
        // A `%` and a comma in the input: data escapes `%`, the title escapes `:` and `,`.
        let usage = cli.run([
            "freeze", "--sha", "100%,bad", "--api-image", "x", "--web-image", "y", "--scope", "runtime",
        ])
        #expect(usage.exitCode == 65)
        let line = try #require(usage.lines.last)
        #expect(line.hasPrefix("::error title=release-ledger freeze%3A invalid input (exit 65)::"), "\(line)")
        #expect(!line.dropFirst(2).contains("%,"), "a % in the data is %25: \(line)")
        #expect(!line.contains("\n") && !line.contains("\r"))
    }

    @Test func anArgumentThatIsNotUTF8IsAnnotatedToo() {
        let job = Job()
        let out = Mutex("")
        let console = Console(out: { text in out.withLock { $0 += text } }, err: { _ in })
        let context = CommandContext(
            environment: job.environment, currentDirectory: job.folder, clock: FixedClock(Fixtures.start),
            console: console)
        let code = ReleaseLedger.main(
            rawArguments: [Array("freeze".utf8), Array("--sha".utf8), [0x61, 0xFF]], context: context)
        #expect(code == 65)
        #expect(
            out.withLock { $0 }.hasPrefix("::error title=release-ledger freeze%3A invalid input (exit 65)::"),
            "\(out.withLock { $0 })")
    }

    @Test(arguments: [
        "ok\n::set-output name=x::y", "%0A::error::boom", "fine\r::warning::sneaky", "ok\n\u{00A0}::add-mask::hidden",
        "see ##[set-output name=x;]y",
    ])
    func userTextCannotRunAWorkflowCommand(reason: String) throws {
        let job = Job()
        let cli = CLIHarness(environment: job.environment)
        cli.prepare(1)
        cli.deploy(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        for arguments in [
            ["verdict", "--sha", sha(1), "--decision", "NO", "--reason", reason],
            ["replay", "--sha", sha(1), "--reason", reason],
            // refused: a run is open; the reason is not echoed, the annotation is
            ["rollback", "--to", sha(1), "--reason", reason],
        ] {
            let result = cli.run(arguments)
            let commands = Self.workflowCommandsRun(result.stdout)
            #expect(
                commands.allSatisfy {
                    $0.hasPrefix("::stop-commands::") || $0.hasPrefix("::error title=release-ledger")
                }, "\(arguments[0]): \(commands)")
            if arguments[0] == "rollback" { #expect(result.exitCode == 2, "refused: run 2 is open") }
            if result.exitCode != 0 {
                #expect(commands.last?.hasPrefix("::error title=release-ledger \(arguments[0])") == true, "\(commands)")
            }
        }
        let verdict = cli.run(["verdict", "--sha", sha(1), "--decision", "NO", "--reason", reason])
        #expect(
            verdict.stdout.contains(reason.components(separatedBy: CharacterSet.newlines).last!),
            "the reason is still printed")
    }

    /// The lines the runner would run as workflow commands, read as it reads them: lines end at CR
    /// or LF, leading white space is trimmed, `##[...]` counts anywhere, and between
    /// `::stop-commands::TOKEN` and `::TOKEN::` nothing runs.
    static func workflowCommandsRun(_ stdout: String) -> [String] {
        var run: [String] = []
        var stopToken: String?
        for rawLine in stdout.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(rawLine.drop { $0.properties.isWhitespace })
            if let token = stopToken {
                if line == "::\(token)::" { stopToken = nil }
                continue
            }
            if line.hasPrefix("::stop-commands::") { stopToken = String(line.dropFirst("::stop-commands::".count)) }
            if line.hasPrefix("::") || line.contains("##[") { run.append(line) }
        }
        return run
    }
}
