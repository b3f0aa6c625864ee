import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

@Suite struct CoreCommandTests {
    let sha = Fixtures.sha(1)

    @Test func initCreatesTheDefaultLedger() throws {
        let cli = CLIHarness()
        let result = cli.run("init")
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains(".release-ledger/ledger.sqlite"))
        #expect(FileManager.default.fileExists(atPath: cli.defaultLedger))
    }

    @Test func dbFlagThenEnvironmentThenDefault() throws {
        let cli = CLIHarness()
        #expect(cli.run(["init", "--db", "flag.sqlite"]).exitCode == 0)
        #expect(cli.run(["init"], environment: ["RELEASE_LEDGER_DB": "env.sqlite"]).exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: cli.folder + "/flag.sqlite"))
        #expect(FileManager.default.fileExists(atPath: cli.folder + "/env.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: cli.defaultLedger))
    }

    @Test func appendPrintsAReceiptAndARetryRecordsOnce() throws {
        let cli = CLIHarness()
        let first = cli.run([
            "append", "--type", "x-note", "--sha", sha, "--data", #"{"text":"hello"}"#, "--id", "step-1", "--json",
        ])
        #expect(first.exitCode == 0)
        let receipt = try JSONParser.parse(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(receipt["status"] == "recorded")
        #expect(receipt["position"] == 1)
        let retry = cli.run([
            "append", "--type", "x-note", "--sha", sha, "--data", #"{ "text" : "hello" }"#, "--id", "step-1", "--json",
        ])
        #expect(retry.exitCode == 0)
        #expect(
            try JSONParser.parse(retry.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["status"]
                == "already-recorded")
        let changed = cli.run([
            "append", "--type", "x-note", "--sha", sha, "--data", #"{"text":"other"}"#, "--id", "step-1",
        ])
        #expect(changed.exitCode == 3)
        #expect(changed.stderr.contains("position 1"))
        #expect(cli.run("events").lines.count == 1)
    }

    @Test func dataFromFileAndStandardInput() throws {
        let cli = CLIHarness()
        try #"{"text":"from a file"}"#.write(toFile: cli.folder + "/note.json", atomically: true, encoding: .utf8)
        #expect(cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "@note.json"]).exitCode == 0)
        let fromStdin = cli.run(
            ["append", "--type", "x-note", "--sha", sha, "--data", "-"], stdin: #"{"text":"from stdin"}"#)
        #expect(fromStdin.exitCode == 0, "\(fromStdin.stderr)")
        let events = cli.run("events").lines
        try #require(events.count == 2)
        #expect(events[0].contains("from a file"))
        #expect(events[1].contains("from stdin"))
    }

    @Test func expectedVersionConflictReportsTheActualVersion() throws {
        let cli = CLIHarness()
        #expect(
            cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "none"]).exitCode == 0)
        let again = cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "none"])
        #expect(again.exitCode == 3)
        #expect(again.stderr.contains("at version 1"))
        #expect(cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "1"]).exitCode == 0)
        #expect(
            cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "exists"]).exitCode == 0)
        #expect(
            cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "soon"]).exitCode == 64)
    }

    @Test func batchAppendIsAllOrNothing() throws {
        let cli = CLIHarness()
        let good = """
            {"type":"x-note","sha":"\(sha)","data":{"n":1}}
            {"type":"x-note","sha":"\(sha)","data":{"n":2},"id":"second"}
            """
        #expect(cli.run(["append", "--batch", "-"], stdin: good).exitCode == 0)
        let bad = """
            {"type":"x-note","sha":"\(sha)","data":{"n":3}}
            {"type":"deploy.recorded","sha":"\(sha)","data":{"app":"api"}}
            """
        let result = cli.run(["append", "--batch", "-"], stdin: bad)
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("events[1].data"))
        #expect(cli.run("events").lines.count == 2)
    }

    @Test func eventsFilters() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.prepare(2)
        #expect(cli.setupFailures.isEmpty)
        #expect(cli.run(["events", "--sha", Fixtures.sha(2)]).lines.count == 4)
        #expect(cli.run(["events", "--type", "acceptance.recorded"]).lines.count == 2)
        let page = cli.run(["events", "--after", "2", "--limit", "3"]).lines
        #expect(page.count == 3)
        #expect(try JSONParser.parse(page[0])["position"] == 3)
    }

    @Test func gitHubActionsEnvironmentFillsMetadataAndMakesRetriesIdempotent() throws {
        let env = [
            "GITHUB_ACTOR": "octocat", "GITHUB_RUN_ID": "555", "GITHUB_RUN_ATTEMPT": "2", "GITHUB_WORKFLOW": "deploy",
            "GITHUB_JOB": "freeze", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_SERVER_URL": "https://github.com",
        ]
        let cli = CLIHarness(environment: env)
        let freeze = [
            "freeze", "--sha", sha, "--api-image", Fixtures.digest("api", 1), "--web-image", Fixtures.digest("web", 1),
            "--scope", "runtime",
        ]
        #expect(cli.run(freeze).exitCode == 0)
        #expect(cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}"]).exitCode == 0)
        #expect(
            cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "{}"]).stdout.contains("already recorded"))
        let event = try JSONParser.parse(cli.run("events --limit 1").lines[0])
        let metadata = try #require(event["metadata"])
        #expect(metadata["actor"] == "octocat")
        #expect(metadata["runId"] == "555")
        #expect(metadata["runAttempt"] == "2")
        #expect(metadata["workflow"] == "deploy")
        #expect(metadata["job"] == "freeze")
        #expect(metadata["repository"] == "acme/shop")
        #expect(metadata["source"] == "https://github.com/acme/shop")
        let overridden = cli.run([
            "append", "--type", "x-note", "--sha", sha, "--data", #"{"n":1}"#, "--actor", "someone-else",
        ])
        #expect(overridden.exitCode == 0)
        #expect(try JSONParser.parse(cli.run("events --after 2").lines[0])["metadata"]?["actor"] == "someone-else")
    }

    @Test func verifyPassesThenReportsTheFirstBadPosition() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        let ok = cli.run("verify --json")
        #expect(ok.exitCode == 0)
        #expect(try JSONParser.parse(ok.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["ok"] == true)
        try SQLiteShell.run(
            cli.defaultLedger,
            "DROP TRIGGER events_are_immutable; UPDATE events SET data = replace(data, 'YES', 'NO') WHERE position = 2;"
        )
        let bad = cli.run("verify")
        #expect(bad.exitCode == 4)
        #expect(bad.stderr.contains("position 2"))
    }

    @Test func helpAndVersion() {
        let cli = CLIHarness()
        let help = cli.run("--help")
        #expect(help.exitCode == 0)
        for command in ["init", "append", "events", "verify", "freeze", "verdict", "rollback", "materialize"] {
            #expect(help.stdout.contains(command))
        }
        #expect(cli.run("--version").stdout.contains("0.1.0"))
        #expect(cli.run("append --help").stdout.contains("--expect"))
    }

    static let exitCodeCases: [([String], Int32)] = [
        (["append", "--sha", Fixtures.sha(1), "--data", "{}"], 64),
        (["append", "--type", "x-note", "--data", "{}"], 64),
        (["frobnicate"], 64),
        (["events", "--limit", "-1"], 64),
        (["init", "--busy-timeout=-1"], 64),
        (["append", "--type", "x-note", "--sha", "ABC", "--data", "{}"], 65),
        (["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", "[1,2"], 65),
        (["append", "--type", "nope", "--sha", Fixtures.sha(1), "--data", "{}"], 65),
        (["events"], 74),
        (["verify"], 74),
    ]

    @Test(arguments: exitCodeCases)
    func exitCodes(_ arguments: [String], _ expected: Int32) {
        let result = CLIHarness().run(arguments)
        #expect(result.exitCode == expected, "\(arguments): \(result.stderr)")
        if expected != 0 {
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(result.stderr.hasPrefix("release-ledger: "))
        }
    }
}
