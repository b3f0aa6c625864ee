import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The contract a CI step relies on, inside a simulated GitHub Actions job: retries record once,
/// a replay in the same workflow run records anew, steps come in the runbook's order, rollback is
/// safe, and what production runs is told apart from what was released.
@Suite struct CIContractTests {
    static let actions = [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "production",
        "GITHUB_ACTOR": "ci-bot", "GITHUB_ACTION": "__run",
    ]

    func sha(_ n: Int) -> String { Fixtures.sha(n) }

    func json(_ result: CommandResult) throws -> JSONValue {
        try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Each step of a CI job has its own GITHUB_ACTION.
    func step(_ cli: CLIHarness, _ name: String, _ arguments: [String]) -> CommandResult {
        cli.run(arguments, environment: ["GITHUB_ACTION": name])
    }

    // MARK: 1. A replay inside the same workflow run

    @Test func aReplayInTheSameWorkflowRunRecordsItsProductionStepsAnew() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.promote(1, browser: "failed")  // run 1: decided NO
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        // The same workflow run, attempt and job replay the SHA and run the production steps again.
        #expect(cli.run(["replay", "--sha", sha(1), "--reason", "flaky browser smoke"]).exitCode == 0)
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let candidate = try #require(try cli.store().candidateHistory(sha(1)))
        try #require(candidate.runs.count == 2)
        #expect(candidate.runs[0].decision?.decision == .no)
        #expect(candidate.runs[1].decision?.decision == .yes, "run 2 took run 1's events as retries")
        #expect(candidate.runs[1].steps.count == 7)
        #expect(try cli.store().production().openRun == nil, "run 2 still holds the production lock")
        #expect(try cli.store().production().live?.run == 2)
    }

    @Test func aRetriedStepInTheSameRunStillRecordsOnce() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        let deploy = [
            "migrate", "--sha", sha(1), "--step", "image-updated", "--image", Fixtures.digest("api", 1), "--outcome",
            "succeeded",
        ]
        let first = cli.run(deploy + ["--json"])
        let retry = cli.run(deploy + ["--json"])
        #expect(retry.exitCode == 0)
        #expect(try json(retry)["status"] == "already-recorded")
        #expect(try json(retry)["position"] == json(first)["position"])
    }

    @Test func aRepeatedNewerOutcomeInOneStepIsRecordedNotSwallowed() throws {
        // Hardening 11: failed, passed, failed in one job; the third is not a retry of the first.
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.promote(1, browser: "passed")
        #expect(cli.run(["replay", "--sha", sha(1), "--reason", "again"]).exitCode == 0)
        cli.deploy(1)
        cli.expectSuccess(cli.run(["smoke", "--sha", sha(1), "--suite", "api", "--outcome", "passed"]))
        for outcome in ["failed", "passed", "failed"] {
            let result = step(
                cli, "browser-smoke", ["smoke", "--sha", sha(1), "--suite", "browser", "--outcome", outcome, "--json"])
            #expect(try json(result)["status"] == "recorded", "smoke \(outcome): \(result.stdout)")
        }
        cli.expectSuccess(cli.run(["record-deployment", "--sha", sha(1)]))
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let verdict = cli.run(["verdict", "--sha", sha(1), "--json"])
        #expect(try json(verdict)["decision"] == "NO", "the last browser smoke failed")
    }

    // MARK: 2. A retried computed verdict

    @Test func aRetriedComputedVerdictAnswersAlreadyRecordedWithTheDecision() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.promote(1, browser: "failed")  // its last step is the computed verdict
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let retry = cli.run(["verdict", "--sha", sha(1), "--json"])
        #expect(retry.exitCode == 0, "\(retry.stderr)")
        let answer = try json(retry)
        #expect(answer["status"] == "already-recorded")
        #expect(answer["decision"] == "NO")
        #expect(answer["run"] == 1)
        #expect(try cli.store().events(EventQuery(type: "verdict.recorded")).count == 1)

        // Another step deciding the already decided run is still refused.
        let other = step(cli, "another-step", ["verdict", "--sha", sha(1)])
        #expect(other.exitCode == 2)
        #expect(other.stderr.contains("a verdict needs an open run"))
        #expect(other.stderr.contains("has no open run to decide"))
    }

    // MARK: 3. Step order

    @Test func smokeAndDeploymentRecordBeforeTheDeploysAreRefusedNamingWhatIsMissing() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        let before = try cli.store().head()
        let smoke = cli.run(["smoke", "--sha", sha(1), "--suite", "api", "--outcome", "passed"])
        #expect(smoke.exitCode == 2)
        #expect(smoke.stderr.contains("rule 12"))
        #expect(smoke.stderr.contains("migration image update, migration run, api deploy, web deploy"))
        let record = cli.run(["record-deployment", "--sha", sha(1), "--deployment-id", "7"])
        #expect(record.exitCode == 2)
        #expect(record.stderr.contains("the deployment record needs"))
        #expect(try cli.store().head() == before)
        // After the deploys, the same steps are recorded and the verdict says YES.
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        #expect(try cli.store().production().live?.sha == sha(1))
    }

    @Test func anInfraConvergenceRunSmokesAfterItsInfraApply() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1, scopes: ["requires-infra-convergence"], migration: false)
        cli.expectSuccess(cli.run(["approve", "--sha", sha(1), "--decision", "approved", "--approver", "alice"]))
        let early = cli.run(["smoke", "--sha", sha(1), "--suite", "api", "--outcome", "passed"])
        #expect(early.exitCode == 2)
        #expect(early.stderr.contains("infra apply"))
        cli.expectSuccess(cli.run(["apply", "--sha", sha(1), "--scope", "infra", "--outcome", "succeeded"]))
        cli.expectSuccess(cli.run(["smoke", "--sha", sha(1), "--suite", "api", "--outcome", "passed"]))
        cli.expectSuccess(cli.run(["smoke", "--sha", sha(1), "--suite", "browser", "--outcome", "passed"]))
        cli.expectSuccess(cli.run(["record-deployment", "--sha", sha(1)]))
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        #expect(try json(cli.run(["verdict", "--sha", sha(1), "--json"]))["decision"] == "YES")
    }

    @Test func anIdentityOnlyRunRecordsItsDeploymentAfterTheIdentityApply() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1, scopes: ["identity"], migration: false)
        cli.expectSuccess(cli.run(["preflight", "--sha", sha(1), "--api-identifier-uri", "api://compass-api"]))
        cli.expectSuccess(cli.run(["approve", "--sha", sha(1), "--decision", "approved", "--approver", "alice"]))
        let early = cli.run(["record-deployment", "--sha", sha(1)])
        #expect(early.exitCode == 2)
        #expect(early.stderr.contains("identity apply"))
        cli.expectSuccess(cli.run(["apply", "--sha", sha(1), "--scope", "identity", "--outcome", "succeeded"]))
        cli.expectSuccess(cli.run(["record-deployment", "--sha", sha(1)]))
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        #expect(try json(cli.run(["verdict", "--sha", sha(1), "--json"]))["decision"] == "YES")
    }

    // MARK: 4. Rollback safety

    /// A released (YES), B deployed and decided NO after a failed browser smoke.
    func releasedAThenFailedB() -> CLIHarness {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2, browser: "failed")
        return cli
    }

    @Test func rollbackToACandidateDecidedNOInProductionNeedsForce() throws {
        let cli = releasedAThenFailedB()
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let before = try cli.store().head()
        let refused = cli.run(["rollback", "--to", sha(2), "--reason", "try B again"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("was decided NO in production"))
        #expect(refused.stderr.contains("--force"))
        #expect(try cli.store().head() == before)

        let forced = cli.run([
            "rollback", "--to", sha(2), "--reason", "B is the only build without the leak", "--force", "--json",
        ])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        let plan = try json(forced)
        #expect(plan["forced"] == true)
        let history = try #require(plan["history"]?.arrayValue)
        #expect(history.count == 1)
        #expect(history[0]["decision"] == "NO")
        #expect(history[0]["reason"]?.stringValue?.contains("smoke (failed)") == true)
        #expect(try cli.store().candidate(sha(2))?.runs.last?.forced == true)
        let stored = try #require(try cli.store().events(EventQuery(type: "replay.requested")).last)
        #expect((try stored.payload())["forced"] == true)
    }

    @Test func rollbackToACandidateNeverDecidedYESNeedsForce() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)  // accepted, never in production
        let refused = cli.run(["rollback", "--to", sha(2), "--reason", "x"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("was never decided YES in production"))
        let text = cli.run(["rollback", "--to", sha(2), "--reason", "x", "--force"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("forced:"))
        #expect(text.stdout.contains("production history of \(sha(2).prefix(12)): none"))
    }

    @Test func aSecondRollbackSkipsWhatWasRolledBackFrom() throws {
        // A YES, B YES; B breaks -> rollback picks A; A breaks -> rollback must not pick B again.
        let cli = CLIHarness(environment: Self.actions)
        for n in [3, 1, 2] {
            cli.prepare(n)
            cli.promote(n)
        }
        let first = cli.run(["rollback", "--reason", "B broke", "--json"])
        #expect(try json(first)["sha"] == .string(sha(1)))
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let second = cli.run(["rollback", "--reason", "A broke too"])
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(second.stdout.contains("skipped \(sha(2)): production was rolled back from it"))
        #expect(second.stdout.contains("picked \(sha(3))"))
    }

    // MARK: 5. Released and serving

    @Test func statusAndAtTellWhatIsServingFromWhatWasReleased() throws {
        let cli = releasedAThenFailedB()
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let status = try json(cli.run(["status", "--json"]))
        #expect(status["released"]?["sha"] == .string(sha(1)))
        #expect(status["production"] == status["released"], "production is kept for compatibility: it is released")
        #expect(status["serving"]?["api"]?["image"] == .string(Fixtures.digest("api", 2)))
        #expect(status["serving"]?["web"]?["sha"] == .string(sha(2)))
        #expect(status["serving"]?["web"]?["run"] == 1)
        #expect(status["servingDiffers"] == true)
        let text = cli.run("status").stdout
        #expect(text.contains("what is serving differs from what was released"))

        let head = try cli.store().head().position
        let at = try json(cli.run(["at", "--position", String(head), "--json"]))
        #expect(at["released"]?["sha"] == .string(sha(1)))
        #expect(at["serving"]?["api"]?["sha"] == .string(sha(2)))
        // Before B's deploys, both were A.
        let firstDeployOfB = try #require(
            try cli.store().events(EventQuery(sha: sha(2), type: "deploy.recorded")).first)
        let earlier = try json(cli.run(["at", "--position", String(firstDeployOfB.position - 1), "--json"]))
        #expect(earlier["serving"]?["api"]?["sha"] == .string(sha(1)))
        #expect(earlier["servingDiffers"] == false)
    }

    // MARK: 6. What verdict says

    @Test func verdictPrintsItsDecisionReasonsAndFailingGates() throws {
        let cli = CLIHarness(environment: Self.actions)
        cli.prepare(1)
        cli.deploy(1)
        cli.expectSuccess(cli.run(["smoke", "--sha", sha(1), "--suite", "api", "--outcome", "passed"]))
        cli.expectSuccess(cli.run(["smoke", "--sha", sha(1), "--suite", "browser", "--outcome", "failed"]))
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let result = cli.run(["verdict", "--sha", sha(1), "--json", "--fail-on-no"])
        #expect(result.exitCode == 2, "--fail-on-no turns a recorded NO into a red step")
        let verdict = try json(result)
        #expect(verdict["decision"] == "NO")
        #expect(verdict["sha"] == .string(sha(1)))
        #expect(verdict["run"] == 1)
        #expect(verdict["reasons"] == ["smoke (failed)", "deployment-recorded (missing)"])
        #expect(verdict["gates"]?.arrayValue?.count == 10)
        #expect(verdict["position"]?.intValue == (try cli.store().head().position))
        #expect(result.stderr.contains("decided NO"))

        let text = cli.run(["verdict", "--sha", sha(1)])  // a retry: already recorded, same answer
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("verdict NO for \(sha(1).prefix(12)) run 1 (already recorded at position"))
        #expect(text.stdout.contains("failing gates: smoke, deployment-recorded"))
    }

    // MARK: Smaller things

    @Test func anInvalidFlagValueIsNamedByTheFlag() {
        let cli = CLIHarness()
        cli.prepare(1)
        let result = cli.run(["accept", "--sha", sha(2), "--verdict", "yes"])
        #expect(result.exitCode == 65)
        #expect(result.stderr.hasPrefix("release-ledger: error: --verdict:"), "\(result.stderr)")
        let canary = cli.run([
            "readiness", "--sha", sha(1), "--check", "entra-canary", "--status", "pass", "--slo-hours", "24",
            "--last-green-at", "yesterday",
        ])
        #expect(canary.stderr.hasPrefix("release-ledger: error: --last-green-at:"), "\(canary.stderr)")
    }

    @Test func aFreezeWithoutAScopeIsRefused() throws {
        let cli = CLIHarness()
        let result = cli.run([
            "freeze", "--sha", sha(1), "--api-image", Fixtures.digest("api", 1), "--web-image",
            Fixtures.digest("web", 1),
        ])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("--scope: at least one is required"))
    }

    @Test func aMissingInputFileIsAnIOError() {
        let cli = CLIHarness()
        #expect(cli.run(["append", "--batch", "nowhere.jsonl"]).exitCode == 74)
        #expect(cli.run(["append", "--type", "x-note", "--sha", sha(1), "--data", "@nowhere.json"]).exitCode == 74)
    }

    @Test func aMalformedRunIDIsNamed() {
        let cli = CLIHarness(environment: ["GITHUB_RUN_ID": "12; rm -rf /"])
        let result = cli.run(["append", "--type", "x-note", "--sha", sha(1), "--data", "{}"])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("GITHUB_RUN_ID: must be the run number"))
    }
}

extension CIContractTests {
    @Test func freeTextFlagsTakeAValueThatStartsWithADash() throws {
        let cli = CLIHarness()
        cli.prepare(1, scopes: ["infra"], migration: false)
        let result = cli.run([
            "approve", "--sha", sha(1), "--decision", "approved", "--approver", "-bob-", "--actor", "-ci-",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let approval = try #require(try cli.store().events(EventQuery(type: "approval.recorded")).last)
        #expect((try approval.payload())["approver"] == "-bob-")
        #expect((try approval.metadataValue()).actor == "-ci-")
    }
}
