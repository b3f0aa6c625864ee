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
    ]

    static func described(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }

    @Test(arguments: plainLines)
    func theQuickReadingIsArgumentParsersReading(_ line: [String]) throws {
        guard case .command(let quick) = try #require(QuickParse.parse(line)) else {
            Issue.record("\(line) is not read as a command")
            return
        }
        let parsed = try ReleaseLedger.parseAsRoot(line)
        #expect(Self.described(quick) == Self.described(parsed))
    }

    @Test(arguments: unusualLines)
    func unusualCommandLinesGoToArgumentParser(_ line: [String]) {
        #expect(QuickParse.parse(line) == nil)
    }

    @Test func everyOptionOfAppendIsKnownToTheQuickReading() {
        var expected = Suggestions.knownOptions(of: AppendCommand.self)
        expected["--help"] = nil
        expected["--version"] = nil
        let quick = Dictionary(uniqueKeysWithValues: AppendCommand.quickOptions.map { ($0.name, $0.takesValue) })
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
