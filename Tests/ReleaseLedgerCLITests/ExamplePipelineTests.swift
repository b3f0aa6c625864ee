import EventStoreConformance
import Foundation
import ReleaseLedgerCLI
import ReleaseLedgerCore
import Testing

/// `tools/github/cloud-deployment-pipeline.yml` calls the tool as it really parses: every
/// `release-ledger ...` line of a `run:` block, with its expressions and variables replaced by
/// plausible values, is a valid command line, and the calls in file order promote a candidate.
@Suite struct ExamplePipelineTests {
    static let workflowPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/github/cloud-deployment-pipeline.yml").path

    /// One ledger call: where it is in the workflow, and its arguments after `release-ledger`.
    struct Call: CustomStringConvertible {
        var line: Int
        var text: String
        var arguments: [String]
        var description: String { "line \(line): \(text)" }
    }

    /// What each variable or expression stands for in a real run. A name not listed fails the test:
    /// a new variable in the workflow needs a plausible value here.
    static func values(sha: String, api: String, web: String) -> [String: String] {
        [
            "CANDIDATE_SHA": sha, "API_IMAGE": api, "WEB_IMAGE": web,
            "SCOPE_FLAGS": "--scope runtime --scope infra --scope identity --migration-required",
            "VERDICT": "YES", "REPORT_URL": "https://github.com/acme/app/actions/runs/1",
            "LAST_GREEN_AT": Fixtures.start.description, "PROBE_STATUS": "pass",
            "TARGET_API_BASE_URL": "https://api.example.com", "REASON": "re-run after a transient smoke failure",
            "APPROVER": "alice", "OUTCOME": "succeeded",
            "TRACE_URL": "https://github.com/acme/app/actions/runs/1/artifacts/2",
            "DEPLOYMENT_ID": "123456", "ENVIRONMENT_URL": "https://app.example.com",
        ]
    }

    /// Lines of `run:` blocks (block scalars and one-line values) that start with `release-ledger`,
    /// with `\` continuations joined.
    static func calls(in yaml: String, values: [String: String]) throws -> [Call] {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var calls: [Call] = []
        var blockIndent: Int?  // inside a `run: |` block: the indent of its key
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if let keyIndent = blockIndent, !trimmed.isEmpty, indent <= keyIndent { blockIndent = nil }
            var command: String?
            if blockIndent != nil, trimmed.hasPrefix("release-ledger ") { command = trimmed }
            if let range = trimmed.range(of: "run: "), trimmed.hasPrefix("run: ") || trimmed.hasPrefix("- run: ") {
                let value = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if value == "|" || value == ">" || value.hasPrefix("|") {
                    blockIndent = indent
                } else if value.hasPrefix("release-ledger ") {
                    command = value
                }
            }
            let start = index + 1
            if var text = command {
                while text.hasSuffix("\\"), index + 1 < lines.count {
                    index += 1
                    text = String(text.dropLast()) + " " + lines[index].trimmingCharacters(in: .whitespaces)
                }
                // The workflow's OUTCOME is succeeded/failed for a mutation and passed/failed for a smoke.
                var local = values
                if text.hasPrefix("release-ledger smoke ") { local["OUTCOME"] = "passed" }
                let words = try shellWords(text, values: local, line: start)
                calls.append(Call(line: start, text: text, arguments: Array(words.dropFirst())))
            }
            index += 1
        }
        return calls
    }

    struct Unresolvable: Error, CustomStringConvertible {
        var description: String
    }

    /// Splits a command line as bash would for these simple calls: quotes, `$VAR`, `${VAR}`, and
    /// `${{ ... }}` expressions (which the workflow must not use inline in a ledger call).
    static func shellWords(_ text: String, values: [String: String], line: Int) throws -> [String] {
        if text.contains("${{") {
            throw Unresolvable(description: "line \(line): pass expressions through env:, not inline: \(text)")
        }
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var characters = Array(text)[...]
        func variable() throws -> String {
            var name = ""
            if characters.first == "{" {
                characters.removeFirst()
                while let next = characters.first, next != "}" { name.append(characters.removeFirst()) }
                characters = characters.dropFirst()
            } else {
                while let next = characters.first, next.isLetter || next.isNumber || next == "_" {
                    name.append(characters.removeFirst())
                }
            }
            guard let value = values[name] else {
                throw Unresolvable(description: "line \(line): no plausible value for $\(name)")
            }
            return value
        }
        while let character = characters.popFirst() {
            switch (quote, character) {
            case (nil, " "):
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case (nil, "\""), (nil, "'"):
                quote = character
                inWord = true
            case ("\"", "\""), ("'", "'"):
                quote = nil
            case ("\"", "$"):
                current += try variable()
            case (nil, "$"):
                // Unquoted: the value is split into words, as bash does.
                let parts = try variable().split(separator: " ").map(String.init)
                guard !parts.isEmpty else { break }
                current += parts[0]
                if parts.count > 1 {
                    words.append(current)
                    words += parts[1..<(parts.count - 1)]
                    current = parts[parts.count - 1]
                }
                inWord = true
            case (nil, "#") where !inWord:
                characters = []
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func workflowCalls(sha: String = Fixtures.sha(1), n: Int = 1) throws -> [Call] {
        let yaml = try String(contentsOfFile: workflowPath, encoding: .utf8)
        return try calls(
            in: yaml, values: values(sha: sha, api: Fixtures.digest("api", n), web: Fixtures.digest("web", n)))
    }

    @Test func everyLedgerCallInTheExamplePipelineParses() throws {
        let calls = try Self.workflowCalls()
        var verbs: Set<String> = []
        for call in calls {
            do {
                let command = try ReleaseLedger.parseAsRoot(call.arguments)
                // A call that only reached ArgumentParser's help would do nothing in CI.
                #expect(String(describing: type(of: command)) != "HelpCommand", "\(call)")
                verbs.insert(call.arguments.first ?? "")
            } catch {
                Issue.record("does not parse: \(call)\n  \(ReleaseLedger.message(for: error))")
            }
        }
        // One call per step, and every typed verb of the production sequence is there.
        let expected: Set = [
            "freeze", "accept", "readiness", "preflight", "approve", "apply", "migrate", "deploy", "smoke",
            "record-deployment",
            "verdict", "replay", "materialize",
        ]
        #expect(verbs == expected, "verbs used: \(verbs.sorted())")
        #expect(calls.count >= 19)
        #expect(calls.contains { $0.arguments.first == "verdict" && $0.arguments.contains("--fail-on-no") })
    }

    @Test func aMisspelledFlagInACallIsCaughtNamingTheLine() throws {
        let yaml = """
            jobs:
              x:
                steps:
                  - run: |
                      release-ledger deploy --sha "$CANDIDATE_SHA" --app api \\
                        --imgae "$API_IMAGE" --outcome "$OUTCOME"
            """
        let calls = try Self.calls(
            in: yaml, values: Self.values(sha: Fixtures.sha(1), api: Fixtures.digest("api", 1), web: ""))
        let call = try #require(calls.first)
        #expect(call.line == 5)
        #expect(throws: (any Error).self) { try ReleaseLedger.parseAsRoot(call.arguments) }
        #expect(throws: Unresolvable.self) {
            try Self.calls(in: "    run: release-ledger verify --db \"$NOWHERE\"", values: [:])
        }
    }

    static func isRejection(_ call: Call) -> Bool {
        call.arguments.starts(with: ["approve"]) && call.arguments.contains("rejected")
    }

    /// The push path, every call in file order except the replay (a dispatch only) and the
    /// rejection (only when a reviewer rejects), with all scopes: nothing is refused and the
    /// verdict is YES. Then the dispatch path replays it into run 2.
    @Test func theExamplePipelineInFileOrderPromotesACandidateAndReplaysIt() throws {
        let cli = CLIHarness(environment: ["API_IDENTIFIER_URI": "api://compass-api"])
        let calls = try Self.workflowCalls().filter { !Self.isRejection($0) }
        for call in calls where call.arguments.first != "replay" {
            let result = cli.run(call.arguments)
            #expect(result.exitCode == 0, "\(call)\n  \(result.stderr)")
        }
        let show = cli.run(["show", Fixtures.sha(1), "--json"])
        #expect(show.stdout.contains("\"decision\":\"YES\""))

        // workflow_dispatch: from production-plan on (auth readiness again, then the replay opens run 2).
        let production = calls.filter { !["freeze", "accept"].contains($0.arguments.first) }
        #expect(production.map { $0.arguments.first }.prefix(3) == ["readiness", "readiness", "replay"])
        for call in production {
            let result = cli.run(call.arguments)
            #expect(result.exitCode == 0, "\(call)\n  \(result.stderr)")
        }
        let verdicts = cli.run(["history", "--sha", Fixtures.sha(1), "--json"])
        #expect(verdicts.exitCode == 0)
        #expect(verdicts.stdout.components(separatedBy: "\"YES\"").count - 1 >= 2, "\(verdicts.stdout)")
    }

    /// A reviewer rejects production-control-plane: release-decision records the rejection and the
    /// verdict, which is NO and fails the job.
    @Test func aRejectedControlPlaneInTheExamplePipelineIsDecidedNO() throws {
        let cli = CLIHarness()
        let calls = try Self.workflowCalls()
        let candidateFacts = calls.filter { ["freeze", "accept", "readiness"].contains($0.arguments.first) }
        let rejection = try #require(calls.first(where: Self.isRejection))
        let verdict = try #require(calls.first { $0.arguments.first == "verdict" })
        for call in candidateFacts + [rejection] {
            let result = cli.run(call.arguments)
            #expect(result.exitCode == 0, "\(call)\n  \(result.stderr)")
        }
        let decided = cli.run(verdict.arguments)
        #expect(decided.exitCode == 2, "--fail-on-no turns the job red")
        #expect(decided.stdout.contains("verdict NO"), "\(decided.stdout)")
        #expect(decided.stdout.contains("control-plane-approval"), "\(decided.stdout)")
    }
}
