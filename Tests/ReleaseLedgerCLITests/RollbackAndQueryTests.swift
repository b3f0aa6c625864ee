import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// A fixed ledger: 1 promoted (YES), 2 promoted (YES, with a newer migration), 3 decided NO on
/// a failed browser smoke, 4 refused at acceptance.
@Suite struct RollbackAndQueryTests {
    static func fixedLedger() -> CLIHarness {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2)
        cli.prepare(3, migration: false)
        cli.promote(3, migration: false, browser: "failed")
        let sha4 = Fixtures.sha(4)
        cli.expectSuccess(
            cli.run([
                "freeze", "--sha", sha4, "--api-image", Fixtures.digest("api", 4), "--web-image",
                Fixtures.digest("web", 4), "--scope", "runtime",
            ]))
        cli.expectSuccess(cli.run(["accept", "--sha", sha4, "--verdict", "NO", "--reason", "acceptance suite red"]))
        return cli
    }

    @Test func rollbackWithoutATargetPicksTheLastGoodSHAAndSaysSo() throws {
        let cli = Self.fixedLedger()
        #expect(cli.setupFailures.isEmpty)
        let result = cli.run(["rollback", "--reason", "errors after 2", "--actor", "erin"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("picked \(Fixtures.sha(1))"))
        #expect(result.stdout.contains("run 2 (rollback)"))
        #expect(result.stdout.contains(Fixtures.digest("api", 1)))
        #expect(result.stdout.contains("warning:"), "2 carries a newer migration")
        // The plan's manifest is byte for byte the candidate's manifest.json.
        #expect(cli.run(["materialize", "--sha", Fixtures.sha(1), "--out", "art"]).exitCode == 0)
        let manifest = try String(
            contentsOfFile: cli.folder + "/art/candidate/\(Fixtures.sha(1))/manifest.json", encoding: .utf8)
        #expect(result.stdout.hasSuffix(manifest))
        let event = try JSONParser.parse(cli.run(["events", "--type", "replay.requested"]).lines[0])
        #expect(event["data"]?["mode"] == "rollback")
        #expect(event["data"]?["reason"] == "errors after 2")
        #expect(event["data"]?["replaces"] == .string(Fixtures.sha(2)))
        #expect(event["data"]?["requestedBy"] == "erin")
    }

    @Test func rollbackToANamedSHAThenItsArtifactsForBothRuns() throws {
        let cli = Self.fixedLedger()
        let plan = cli.run(["rollback", "--to", Fixtures.sha(1), "--reason", "bad release", "--json"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        let json = try JSONParser.parse(plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["picked"] == false)
        #expect(json["run"] == 2)
        #expect(json["replaces"] == .string(Fixtures.sha(2)))
        #expect(json["digests"]?["api"] == .string(Fixtures.digest("api", 1)))
        #expect(json["gates"]?.arrayValue?.count == 7)  // runtime with a migration: 7 of the 10 gates
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty)
        #expect(cli.run(["materialize", "--sha", Fixtures.sha(1), "--out", "now"]).exitCode == 0)
        #expect(cli.run(["materialize", "--sha", Fixtures.sha(1), "--run", "1", "--out", "first"]).exitCode == 0)
        let record = try JSONParser.parse(
            String(
                contentsOfFile: cli.folder + "/now/production/\(Fixtures.sha(1))/deployment-record.json",
                encoding: .utf8))
        #expect(record["kind"] == "rollback")
        #expect(record["rollbackOf"] == .string(Fixtures.sha(2)))
        #expect(record["run"] == 2)
        let decision = try JSONParser.parse(
            String(contentsOfFile: cli.folder + "/now/release/\(Fixtures.sha(1))/decision.json", encoding: .utf8))
        #expect(decision["decision"] == "YES")
        #expect(decision["run"] == 2)
        #expect(decision["kind"] == "rollback")
        let first = try JSONParser.parse(
            String(
                contentsOfFile: cli.folder + "/first/production/\(Fixtures.sha(1))/deployment-record.json",
                encoding: .utf8))
        #expect(first["kind"] == "promotion")
        #expect(first["rollbackOf"] == .null)
        #expect(try cli.store().production().live?.sha == Fixtures.sha(1))
    }

    @Test func rollbackRefusals() throws {
        let cli = Self.fixedLedger()
        let live = cli.run(["rollback", "--to", Fixtures.sha(2), "--reason", "x"])
        #expect(live.exitCode == 2)
        #expect(live.stderr.contains("already in production"))
        let unaccepted = cli.run(["rollback", "--to", Fixtures.sha(4), "--reason", "x"])
        #expect(unaccepted.exitCode == 2)
        #expect(unaccepted.stderr.contains("rule 11"))
        let unknown = cli.run(["rollback", "--to", Fixtures.sha(99), "--reason", "x"])
        #expect(unknown.exitCode == 2)
        #expect(cli.run(["replay", "--sha", Fixtures.sha(3), "--reason", "retry the smoke"]).exitCode == 0)
        let whileOpen = cli.run(["rollback", "--to", Fixtures.sha(1), "--reason", "x"])
        #expect(whileOpen.exitCode == 2)
        #expect(whileOpen.stderr.contains("rule 5"))
        #expect(whileOpen.stderr.contains("is open"))
    }

    @Test func rollbackWithNoEarlierYESIsRefused() {
        let cli = CLIHarness()
        let nothing = cli.run(["rollback", "--reason", "x"])
        #expect(nothing.exitCode == 74 || nothing.exitCode == 2)
        cli.prepare(1)
        cli.promote(1)
        let onlyOne = cli.run(["rollback", "--reason", "x"])
        #expect(onlyOne.exitCode == 2)
        #expect(onlyOne.stderr.contains("is known good to roll back to"))
    }

    @Test func replayOpensANewRunOfTheSameSHA() throws {
        let cli = Self.fixedLedger()
        let replay = cli.run(["replay", "--sha", Fixtures.sha(2), "--reason", "platform incident"])
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("run 2 (replay)"))
        #expect(try cli.store().candidate(Fixtures.sha(2))?.runs.last?.replaces == Fixtures.sha(2))
    }

    @Test func statusInEveryFormat() throws {
        let cli = Self.fixedLedger()
        let json = try JSONParser.parse(cli.run("status --json").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let production = try #require(json["production"])
        #expect(production["sha"] == .string(Fixtures.sha(2)))
        #expect(production["run"] == 1)
        #expect(production["images"]?["api"] == .string(Fixtures.digest("api", 2)))
        #expect(production["since"]?.stringValue != nil)
        #expect(production["actor"] != nil)
        #expect(json["openRun"] == .null)
        #expect(json["recentDecisions"]?.arrayValue?.count == 3)
        let table = cli.run("status")
        #expect(table.stdout.contains("Released (last run decided YES)"))
        #expect(table.stdout.contains(Fixtures.sha(2)))
        let markdown = cli.run("status --format markdown")
        #expect(markdown.stdout.contains("| SHA | RUN |"))
        #expect(cli.run("status").stdout == table.stdout, "stable output")
        let empty = CLIHarness()
        empty.run("init")
        #expect(
            try JSONParser.parse(empty.run("status --json").stdout.trimmingCharacters(in: .whitespacesAndNewlines))[
                "production"] == .null)
    }

    @Test func statusShowsTheOpenRunsMissingGates() throws {
        let cli = Self.fixedLedger()
        cli.run(["replay", "--sha", Fixtures.sha(1), "--reason", "again"])
        let json = try JSONParser.parse(cli.run("status --json").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["openRun"]?["sha"] == .string(Fixtures.sha(1)))
        #expect(json["openRun"]?["missingGates"]?.arrayValue?.contains("deploy (missing)") == true)
    }

    @Test func historyFiltersAndFormats() throws {
        let cli = Self.fixedLedger()
        let all =
            try JSONParser.parse(cli.run("history --json").stdout.trimmingCharacters(in: .whitespacesAndNewlines))[
                "runs"]?.arrayValue ?? []
        // 4, refused at acceptance, has its line too (kind acceptance).
        #expect(
            all.map { $0["sha"] } == [
                .string(Fixtures.sha(4)), .string(Fixtures.sha(3)), .string(Fixtures.sha(2)), .string(Fixtures.sha(1)),
            ], "newest first")
        #expect(cli.run("history --decision NO").lines.count == 3)  // header + 4's refusal + 3's run
        #expect(cli.run(["history", "--sha", Fixtures.sha(1)]).lines.count == 2)
        #expect(cli.run("history --kind rollback").stdout.contains("(none)"))
        #expect(cli.run("history --limit 1").lines.count == 2)
        let since = all[2]["startedAt"]!.stringValue!
        #expect(cli.run(["history", "--since", since]).lines.count == 4)
        #expect(cli.run(["history", "--until", since]).lines.count == 2)
        #expect(
            cli.run("history --format markdown").stdout.contains(
                "| SHA | RUN | KIND | DECISION | STARTED | DECIDED | ACTOR |"))
        #expect(cli.run("history --decision MAYBE").exitCode == 64)
        #expect(cli.run("history --since yesterday").exitCode == 64)
    }

    @Test func showGroupsTheTimelineByRun() throws {
        let cli = Self.fixedLedger()
        let text = cli.run(["show", Fixtures.sha(3)])
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("Candidate"))
        #expect(text.stdout.contains("Run 1 (promotion): NO"))
        #expect(text.stdout.contains("browser"))
        let json = try JSONParser.parse(
            cli.run(["show", Fixtures.sha(3), "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let groups = try #require(json["groups"]?.arrayValue)
        #expect(groups.count == 2)
        #expect(groups[0]["events"]?.arrayValue?.count == 4)
        #expect(groups[1]["run"] == 1)
        #expect(cli.run(["show", Fixtures.sha(3), "--format", "markdown"]).stdout.contains("### Run 1"))
        #expect(cli.run(["show", Fixtures.sha(77)]).exitCode == 64)
    }

    @Test func atBoundaries() throws {
        let cli = Self.fixedLedger()
        let store = try cli.store()
        let decisions = try store.latestDecisions(limit: 10)
        let second = try #require(decisions.first { $0.sha == Fixtures.sha(2) })
        let first = try #require(decisions.first { $0.sha == Fixtures.sha(1) })
        func live(_ arguments: [String]) throws -> JSONValue {
            try JSONParser.parse(
                cli.run(arguments + ["--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))["production"]
                ?? .null
        }
        // Exactly at the decision: live. One event (one millisecond) earlier: the one before.
        #expect(try live(["at", "--position", String(second.decidedPosition!)])["sha"] == .string(Fixtures.sha(2)))
        #expect(try live(["at", "--position", String(second.decidedPosition! - 1)])["sha"] == .string(Fixtures.sha(1)))
        #expect(try live(["at", second.decidedAt!.description])["sha"] == .string(Fixtures.sha(2)))
        #expect(
            try live(["at", second.decidedAt!.adding(milliseconds: -1).description])["sha"] == .string(Fixtures.sha(1)))
        #expect(try live(["at", first.decidedAt!.adding(milliseconds: -1).description]) == .null)
        #expect(try live(["at", "--position", "0"]) == .null)
        #expect(try live(["at", "2030-01-01"])["sha"] == .string(Fixtures.sha(2)))
        #expect(cli.run(["at"]).exitCode == 64)
        #expect(cli.run(["at", "noon"]).exitCode == 64)
        #expect(
            cli.run(["at", "--position", "5"]).stdout.contains("open run"), "position 5 is inside run 1 of candidate 1")
    }

    @Test func diffNamesWhatChanged() throws {
        let cli = Self.fixedLedger()
        let json = try JSONParser.parse(
            cli.run(["diff", Fixtures.sha(2), Fixtures.sha(3), "--json"]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines))
        let fields = json["differences"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(fields == ["images.api", "images.web", "migration.image", "migration.required"])
        #expect(cli.run(["diff", Fixtures.sha(2), Fixtures.sha(2)]).stdout.contains("identical"))
        #expect(
            cli.run(["diff", Fixtures.sha(2), Fixtures.sha(3), "--format", "markdown"]).stdout.contains(
                "| FIELD | FROM | TO |"))
    }

    @Test func metricsOnTheFixedLedger() throws {
        let cli = Self.fixedLedger()
        let json = try JSONParser.parse(
            cli.run("metrics --json").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["deploymentFrequency"]?["deployments"] == 2)
        #expect(json["changeFailureRate"]?["decidedRuns"] == 3)
        #expect(json["changeFailureRate"]?["failedRuns"] == 1)
        #expect(json["leadTime"]?["count"] == 2)
        #expect(json["timeToRestore"]?["count"] == 0, "the NO has not been followed by a YES yet")
        #expect(cli.run("metrics --format markdown").stdout.contains("| METRIC | VALUE |"))
        #expect(cli.run("metrics --since 2026-12-01 --until 2026-11-01").exitCode == 64)
        #expect(cli.run("metrics").stdout == cli.run("metrics").stdout)
    }
}
