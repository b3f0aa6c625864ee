import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// What an auditor asks `show`, `history` and the artifacts first: who approved, why, with what
/// evidence, from which CI run, and what happened to a candidate refused at acceptance.
@Suite struct AuditTrailTests {
    static let github = [
        "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/compass", "GITHUB_RUN_ID": "777",
        "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_ACTOR": "ci-bot",
    ]
    static let runLink = "https://github.com/acme/compass/actions/runs/777/attempts/2"
    static let report = "https://ci.example.com/reports/1/index.html"

    /// Candidate 1 (runtime and infra) approved by alice and promoted with a browser report, in a
    /// GitHub Actions run; candidate 2 refused at acceptance; candidate 3 promoted, then rolled back to 1.
    static func auditedLedger() -> CLIHarness {
        let cli = CLIHarness(environment: github)
        let sha = Fixtures.sha(1)
        cli.prepare(1, scopes: ["runtime", "infra"])
        cli.expectSuccess(cli.run(["approve", "--sha", sha, "--decision", "approved", "--approver", "alice"]))
        cli.expectSuccess(cli.run(["apply", "--sha", sha, "--scope", "infra", "--outcome", "succeeded"]))
        let api = Fixtures.digest("api", 1)
        cli.expectSuccess(
            cli.run(["migrate", "--sha", sha, "--step", "image-updated", "--image", api, "--outcome", "succeeded"]))
        cli.expectSuccess(
            cli.run(["migrate", "--sha", sha, "--step", "ran", "--image", api, "--outcome", "succeeded"]))
        cli.expectSuccess(cli.run(["deploy", "--sha", sha, "--app", "api", "--image", api, "--outcome", "succeeded"]))
        cli.expectSuccess(
            cli.run([
                "deploy", "--sha", sha, "--app", "web", "--image", Fixtures.digest("web", 1), "--outcome", "succeeded",
            ]))
        cli.expectSuccess(cli.run(["smoke", "--sha", sha, "--suite", "api", "--outcome", "passed"]))
        cli.expectSuccess(
            cli.run([
                "smoke", "--sha", sha, "--suite", "browser", "--outcome", "passed", "--evidence",
                "playwright-report=\(report)",
            ]))
        cli.expectSuccess(cli.run(["record-deployment", "--sha", sha, "--deployment-id", "9001"]))
        cli.expectSuccess(cli.run(["verdict", "--sha", sha]))
        let refused = Fixtures.sha(2)
        cli.expectSuccess(
            cli.run([
                "freeze", "--sha", refused, "--api-image", Fixtures.digest("api", 2), "--web-image",
                Fixtures.digest("web", 2), "--scope", "runtime",
            ]))
        cli.expectSuccess(
            cli.run([
                "accept", "--sha", refused, "--verdict", "NO", "--reason", "acceptance suite red", "--actor", "qa-bot",
            ]))
        cli.prepare(3)
        cli.promote(3)
        cli.expectSuccess(cli.run(["rollback", "--to", sha, "--reason", "errors after 3", "--actor", "erin"]))
        return cli
    }

    static func json(_ result: CommandResult) throws -> JSONValue {
        #expect(result.exitCode == 0, "\(result.stderr)")
        return try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func showNamesTheApproverEvidenceReasonsAndCIRunInEveryFormat() throws {
        let cli = Self.auditedLedger()
        #expect(cli.setupFailures.isEmpty)
        let text = cli.run(["show", Fixtures.sha(1)])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("control-plane approved by alice"))
        #expect(text.stdout.contains("approver alice"))
        #expect(text.stdout.contains("playwright-report: \(Self.report)"))
        #expect(text.stdout.contains(Self.runLink))
        #expect(text.stdout.contains("rollback requested by erin, replacing \(Fixtures.sha(3)): errors after 3"))
        let markdown = cli.run(["show", Fixtures.sha(1), "--format", "markdown"]).stdout
        #expect(markdown.contains("[playwright-report](\(Self.report))"))
        #expect(markdown.contains("[777](\(Self.runLink))"))
        #expect(markdown.contains("- control-plane approved by alice"))
        let refused = cli.run(["show", Fixtures.sha(2)]).stdout
        #expect(refused.contains("reason: acceptance suite red"))
        #expect(refused.contains("acceptance NO: acceptance suite red (no production run)"))
    }

    @Test func showJSONGivesEachRunsDecisionKindAndFactsAsFields() throws {
        let cli = Self.auditedLedger()
        let json = try Self.json(cli.run(["show", Fixtures.sha(1), "--json"]))
        let groups = try #require(json["groups"]?.arrayValue)
        #expect(groups.map { $0["kind"] } == [.null, "promotion", "rollback"])
        #expect(groups.map { $0["decision"] } == [.null, "YES", "PENDING"])
        #expect(groups[1]["run"] == 1)
        #expect(groups[1]["approver"] == "alice")
        #expect(groups[1]["approval"] == "approved")
        #expect(groups[2]["reason"] == "errors after 3")
        #expect(groups[2]["requestedBy"] == "erin")
        #expect(groups[2]["replaces"] == .string(Fixtures.sha(3)))
        #expect(groups[2]["forced"] == false)
        let events = try #require(groups[1]["events"]?.arrayValue)
        let approval = try #require(events.first { $0["type"] == "approval.recorded" })
        #expect(approval["approver"] == "alice")
        #expect(approval["ciRun"] == ["attempt": "2", "id": "777", "url": .string(Self.runLink)])
        let browser = try #require(events.first { $0["subject"] == "browser" })
        #expect(browser["evidence"] == [["name": "playwright-report", "url": .string(Self.report)]])
        let refused = try Self.json(cli.run(["show", Fixtures.sha(2), "--json"]))
        #expect(refused["acceptance"] == ["reason": "acceptance suite red", "verdict": "NO"])
    }

    @Test func historyListsACandidateRefusedAtAcceptanceAndItsFiltersFindIt() throws {
        let cli = Self.auditedLedger()
        let refused = Fixtures.sha(2)
        let all = try #require(try Self.json(cli.run("history --json"))["runs"]?.arrayValue)
        let line = try #require(all.first { $0["sha"] == .string(refused) })
        #expect(line["kind"] == "acceptance")
        #expect(line["decision"] == "NO")
        #expect(line["run"] == 0)
        #expect(line["actor"] == "qa-bot")
        #expect(line["startedAt"] == line["decidedAt"])
        #expect(line["decisionReason"] == "acceptance suite red")
        // Newest first: the refusal sits between candidate 1's run and candidate 3's.
        #expect(
            all.map { $0["sha"] } == [
                .string(Fixtures.sha(1)), .string(Fixtures.sha(3)), .string(refused), .string(Fixtures.sha(1)),
            ])
        func shas(_ arguments: [String]) throws -> [JSONValue] {
            try #require(try Self.json(cli.run(["history", "--json"] + arguments))["runs"]?.arrayValue).map {
                $0["sha"] ?? .null
            }
        }
        #expect(try shas(["--kind", "acceptance"]) == [.string(refused)])
        #expect(try shas(["--decision", "NO"]) == [.string(refused)])
        #expect(try shas(["--decision", "YES", "--kind", "acceptance"]) == [])
        #expect(try shas(["--kind", "promotion"]).contains(.string(refused)) == false)
        #expect(try shas(["--sha", refused]) == [.string(refused)])
        #expect(try shas(["--since", line["startedAt"]!.stringValue!, "--kind", "acceptance"]) == [.string(refused)])
        #expect(try shas(["--until", line["startedAt"]!.stringValue!, "--kind", "acceptance"]) == [])
        #expect(try shas(["--limit", "3"]).count == 3)
        #expect(cli.run("history --kind acceptance").stdout.contains("acceptance"))
        #expect(cli.run("history --kind sideways").exitCode == 64)
    }

    @Test func historyNamesTheApproverReasonsEvidenceAndCIRun() throws {
        let cli = Self.auditedLedger()
        let all = try #require(try Self.json(cli.run("history --json"))["runs"]?.arrayValue)
        let promotion = try #require(all.last)
        #expect(promotion["approver"] == "alice")
        #expect(promotion["evidence"] == [["name": "playwright-report", "url": .string(Self.report)]])
        #expect(promotion["ciRun"]?["url"] == .string(Self.runLink))
        let rollback = try #require(all.first)
        #expect(rollback["kind"] == "rollback")
        #expect(rollback["reason"] == "errors after 3")
        let text = cli.run("history").stdout
        #expect(text.contains("APPROVER"))
        #expect(text.contains("requested: errors after 3"))
        #expect(text.contains(Self.runLink))
        let markdown = cli.run("history --format markdown").stdout
        #expect(markdown.contains("[playwright-report](\(Self.report))"))
    }

    @Test func materializeWritesInfraAndBrowserEvidenceOnlyWhereTheirFactsExist() throws {
        let cli = Self.auditedLedger()
        let promoted = Fixtures.sha(1)
        let result = cli.run(["materialize", "--sha", promoted, "--run", "1", "--out", "art"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let infra = try JSONParser.parse(
            String(contentsOfFile: cli.folder + "/art/infra/\(promoted)/apply.json", encoding: .utf8))
        #expect(infra["outcome"] == "succeeded")
        #expect(infra["applies"]?.arrayValue?.first?["ciRunId"] == "777")
        let browser = try JSONParser.parse(
            String(contentsOfFile: cli.folder + "/art/browser-evidence/\(promoted)/manifest.json", encoding: .utf8))
        #expect(browser["evidence"] == [["name": "playwright-report", "url": .string(Self.report)]])
        #expect(browser["outcome"] == "passed")
        let record = try JSONParser.parse(
            String(contentsOfFile: cli.folder + "/art/production/\(promoted)/deployment-record.json", encoding: .utf8))
        #expect(record["approver"] == "alice")
        #expect(
            record["steps"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
                "approve-control-plane", "infra-apply", "migration-image-update", "migration-run", "deploy-api",
                "deploy-web", "smoke-api",
                "smoke-browser", "record-deployment", "release-decision",
            ])
        #expect(cli.run(["materialize", "--sha", promoted, "--run", "1", "--out", "art", "--check"]).exitCode == 0)
        // A runtime-only candidate has no infra/ or identity/ folder.
        #expect(cli.run(["materialize", "--sha", Fixtures.sha(3), "--out", "art"]).exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/art/infra/\(Fixtures.sha(3))"))
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/art/identity/\(Fixtures.sha(3))"))
        #expect(
            FileManager.default.fileExists(
                atPath: cli.folder + "/art/browser-evidence/\(Fixtures.sha(3))/manifest.json"))
        // --check notices an edited evidence file.
        let path = cli.folder + "/art/browser-evidence/\(promoted)/manifest.json"
        try String(contentsOfFile: path, encoding: .utf8).replacing("passed", with: "failed").write(
            toFile: path, atomically: true, encoding: .utf8)
        let edited = cli.run(["materialize", "--sha", promoted, "--run", "1", "--out", "art", "--check"])
        #expect(edited.exitCode == 4)
        #expect(edited.stderr.contains("browser-evidence/\(promoted)/manifest.json differs from the ledger at outcome"))
    }
}
