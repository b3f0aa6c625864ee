import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The verbs a pipeline's CI steps call: what they record and the exit code the step sees.
@Suite struct PipelineVerbTests {
    let sha = Fixtures.sha(1)

    func frozenAndAccepted(_ cli: CLIHarness) {
        cli.expectSuccess(
            cli.run([
                "freeze", "--sha", sha, "--api-image", Fixtures.digest("api", 1), "--web-image",
                Fixtures.digest("web", 1), "--scope", "runtime",
            ]))
        cli.expectSuccess(cli.run(["accept", "--sha", sha, "--verdict", "YES"]))
    }

    func lastEvent(_ cli: CLIHarness) throws -> JSONValue {
        try JSONParser.parse(try #require(cli.run("events").lines.last))
    }

    @Test func aStaleCanaryIsRecordedAndFailsTheStep() throws {
        let cli = CLIHarness()  // the clock starts at Fixtures.start
        frozenAndAccepted(cli)
        let stale = Fixtures.start.adding(milliseconds: -30 * 3_600_000).description
        let result = cli.run([
            "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at", stale,
            "--slo-hours", "24",
        ])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("outside its 24"))
        #expect(try lastEvent(cli)["type"] == "readiness.recorded", "the failure stays in the ledger as evidence")
        #expect(try cli.store().candidate(sha)?.canary?.fresh == false)
        let fresh = Fixtures.start.adding(milliseconds: -3_600_000).description
        #expect(
            cli.run([
                "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at", fresh,
                "--slo-hours", "24",
            ]).exitCode == 0)
        #expect(try cli.store().candidate(sha)?.canary?.fresh == true)
    }

    @Test func aRedCanaryFailsTheStepAndAFailedProbeIsOnlyRecorded() throws {
        let cli = CLIHarness()
        frozenAndAccepted(cli)
        let red = cli.run([
            "readiness", "--sha", sha, "--check", "entra-canary", "--status", "fail", "--last-green-at",
            Fixtures.start.description, "--slo-hours", "24",
        ])
        #expect(red.exitCode == 2)
        let probe = cli.run([
            "readiness", "--sha", sha, "--check", "delegated-probe", "--status", "fail", "--target-api-base-url",
            "https://api.example.com",
        ])
        #expect(probe.exitCode == 0, "reported by its own workflow; recorded like a failed smoke")
        #expect(try cli.store().candidate(sha)?.probe?.status == .fail)
        let missing = cli.run(["readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass"])
        #expect(missing.exitCode == 65)
        #expect(
            missing.stderr.contains("--last-green-at: is required for the entra-canary check; --slo-hours: is required")
        )
    }

    @Test func preflightFollowsTheRunbooksContract() throws {
        let cli = CLIHarness()
        frozenAndAccepted(cli)
        // ENTRA_AUDIENCE is the fallback when API_IDENTIFIER_URI is absent.
        let fallback = cli.run(["preflight", "--sha", sha], environment: ["ENTRA_AUDIENCE": "api://compass-api"])
        #expect(fallback.exitCode == 0)
        #expect(try lastEvent(cli)["data"]?["resolved"] == "api://compass-api")
        // Both set and different: fail, recorded, exit 2.
        let differ = cli.run(
            ["preflight", "--sha", sha, "--api-identifier-uri", "api://one"],
            environment: ["ENTRA_AUDIENCE": "api://two"])
        #expect(differ.exitCode == 2)
        #expect(differ.stderr.contains("differ"))
        #expect(try lastEvent(cli)["data"]?["status"] == "fail")
        // Not api://...: fail.
        #expect(cli.run(["preflight", "--sha", sha, "--api-identifier-uri", "https://compass"]).exitCode == 2)
        // Neither set: fail.
        #expect(cli.run(["preflight", "--sha", sha]).exitCode == 2)
        #expect(try cli.store().candidate(sha)?.preflight?.status == .fail)
        // A hand-written preflight that contradicts the contract is invalid input.
        let forged = cli.run([
            "append", "--type", "identity.preflight.recorded", "--sha", sha, "--data",
            #"{"resolved":"https://x","status":"pass","reason":"trust me"}"#,
        ])
        #expect(forged.exitCode == 65)
        #expect(forged.stderr.contains("data.status"))
    }

    @Test func aGenericAppendOfAFailedOutcomeJustRecordsIt() throws {
        let cli = CLIHarness()
        frozenAndAccepted(cli)
        let data = #"{"check":"entra-canary","status":"fail","lastGreenAt":"2020-01-01T00:00:00Z","sloHours":1}"#
        #expect(cli.run(["append", "--type", "readiness.recorded", "--sha", sha, "--data", data]).exitCode == 0)
    }

    @Test func verdictWithoutADecisionIsComputedAndPrinted() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1, browser: "failed")
        #expect(cli.setupFailures.isEmpty)
        let decision = try lastEvent(cli)
        #expect(decision["type"] == "verdict.recorded")
        #expect(decision["data"]?["decision"] == "NO")
        #expect(decision["data"]?["reason"] == "gates not passed: smoke (failed)")
        #expect(decision["data"]?["gates"]?.arrayValue?.count == 10)
    }

    @Test func eachVerbRecordsItsEventType() throws {
        let cli = CLIHarness()
        cli.prepare(1, scopes: ["runtime", "infra", "identity"])
        let verbs: [([String], String)] = [
            (["preflight", "--sha", sha, "--api-identifier-uri", "api://compass-api"], "identity.preflight.recorded"),
            (["approve", "--sha", sha, "--decision", "approved", "--approver", "alice"], "approval.recorded"),
            (["apply", "--sha", sha, "--scope", "identity", "--outcome", "succeeded"], "apply.recorded"),
            (["apply", "--sha", sha, "--scope", "infra", "--outcome", "succeeded"], "apply.recorded"),
            (
                [
                    "migrate", "--sha", sha, "--step", "image-updated", "--image", Fixtures.digest("api", 1),
                    "--outcome", "succeeded",
                ], "migration.recorded"
            ),
            (
                [
                    "migrate", "--sha", sha, "--step", "ran", "--image", Fixtures.digest("api", 1), "--outcome",
                    "succeeded",
                ], "migration.recorded"
            ),
            (
                [
                    "deploy", "--sha", sha, "--app", "api", "--image", Fixtures.digest("api", 1), "--outcome",
                    "succeeded",
                ], "deploy.recorded"
            ),
            (
                [
                    "deploy", "--sha", sha, "--app", "web", "--image", Fixtures.digest("web", 1), "--outcome",
                    "succeeded",
                ], "deploy.recorded"
            ),
            (["smoke", "--sha", sha, "--suite", "api", "--outcome", "passed"], "smoke.recorded"),
            (
                [
                    "record-deployment", "--sha", sha, "--deployment-id", "42", "--environment-url",
                    "https://app.example.com",
                ], "deployment.recorded"
            ),
        ]
        for (arguments, type) in verbs {
            let result = cli.run(arguments + ["--json"])
            #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
            #expect(
                try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["type"]
                    == .string(type))
        }
        let approver = try JSONParser.parse(cli.run(["events", "--type", "approval.recorded"]).lines[0])
        #expect(approver["data"]?["approver"] == "alice")
    }
}
