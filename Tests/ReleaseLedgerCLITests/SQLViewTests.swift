import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// The views of schema version 4, read with the real sqlite3 shell as Datasette or Grafana would.
@Suite struct SQLViewTests {
    static let environment = [
        "GITHUB_ACTOR": "octocat", "GITHUB_RUN_ID": "77", "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/shop",
    ]

    /// Candidate 1 released; candidate 2 refused after a failed and a retried api deploy.
    static func pipeline() -> CLIHarness {
        let cli = CLIHarness(environment: environment)
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        let sha = Fixtures.sha(2)
        let api = Fixtures.digest("api", 2)
        for line in [
            ["migrate", "--sha", sha, "--step", "image-updated", "--image", api, "--outcome", "succeeded"],
            ["migrate", "--sha", sha, "--step", "ran", "--image", api, "--outcome", "succeeded"],
            ["deploy", "--sha", sha, "--app", "api", "--image", api, "--outcome", "failed"],
            ["deploy", "--sha", sha, "--app", "api", "--image", api, "--outcome", "succeeded"],
            ["deploy", "--sha", sha, "--app", "web", "--image", Fixtures.digest("web", 2), "--outcome", "succeeded"],
            ["smoke", "--sha", sha, "--suite", "api", "--outcome", "passed"],
            ["smoke", "--sha", sha, "--suite", "browser", "--outcome", "failed"],
            ["record-deployment", "--sha", sha, "--deployment-id", "9002"],
            ["verdict", "--sha", sha],
        ] {
            cli.expectSuccess(cli.run(line))
        }
        return cli
    }

    static func rows(_ cli: CLIHarness, _ sql: String) throws -> [String] {
        try SQLiteShell.run(cli.defaultLedger, sql).split(separator: "\n").map(String.init)
    }

    @Test func deploymentsHasOneRowPerDeploy() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty)
        let (one, two) = (Fixtures.sha(1), Fixtures.sha(2))
        let url = "https://github.com/acme/shop/actions/runs/77/attempts/2"
        let found = try Self.rows(
            cli,
            "SELECT position, time, sha, run, app, image, outcome, actor, ci_run_id, ci_run_url FROM deployments ORDER BY position;"
        )
        #expect(
            found == [
                "7|2026-11-29T10:00:06.000Z|\(one)|1|api|\(Fixtures.digest("api", 1))|succeeded|octocat|77|\(url)",
                "8|2026-11-29T10:00:07.000Z|\(one)|1|web|\(Fixtures.digest("web", 1))|succeeded|octocat|77|\(url)",
                "19|2026-11-29T10:00:18.000Z|\(two)|1|api|\(Fixtures.digest("api", 2))|failed|octocat|77|\(url)",
                "20|2026-11-29T10:00:19.000Z|\(two)|1|api|\(Fixtures.digest("api", 2))|succeeded|octocat|77|\(url)",
                "21|2026-11-29T10:00:20.000Z|\(two)|1|web|\(Fixtures.digest("web", 2))|succeeded|octocat|77|\(url)",
            ], "\(found)")
    }

    @Test func decisionsHasOneRowPerVerdict() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty)
        let found = try Self.rows(
            cli,
            "SELECT position, time, sha, run, run_kind, decision, actor, ci_run_id, reason <> '' FROM decisions ORDER BY position;"
        )
        #expect(
            found == [
                "12|2026-11-29T10:00:11.000Z|\(Fixtures.sha(1))|1|promotion|YES|octocat|77|1",
                "25|2026-11-29T10:00:24.000Z|\(Fixtures.sha(2))|1|promotion|NO|octocat|77|1",
            ], "\(found)")
    }

    @Test func theProductionTimelineShowsReleasedAndServing() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty)
        let (one, two) = (Fixtures.sha(1), Fixtures.sha(2))
        let found = try Self.rows(
            cli, "SELECT position, kind, app, sha, run, image FROM production_timeline ORDER BY position, kind, app;")
        #expect(
            found == [
                "7|serving|api|\(one)|1|\(Fixtures.digest("api", 1))",
                "8|serving|web|\(one)|1|\(Fixtures.digest("web", 1))",
                "12|released|api|\(one)|1|\(Fixtures.digest("api", 1))",
                "12|released|web|\(one)|1|\(Fixtures.digest("web", 1))",
                "20|serving|api|\(two)|1|\(Fixtures.digest("api", 2))",
                "21|serving|web|\(two)|1|\(Fixtures.digest("web", 2))",
            ], "\(found)")
    }

    /// The README's "what was deployed to production last Tuesday", asked on Thursday 3 December
    /// about Sunday 29 November (the fixtures' day): the same SELECT with the day and 'now' fixed.
    @Test func whatWasDeployedOnADay() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty)
        let found = try Self.rows(
            cli,
            """
            SELECT time, app, sha, image, outcome, actor FROM deployments
            WHERE date(time) = date('2026-12-03', 'weekday 0', '-7 days') ORDER BY position;
            """)
        #expect(found.count == 5)
        #expect(
            try Self.rows(
                cli, "SELECT count(*) FROM deployments WHERE date(time) = date('2026-12-03', 'weekday 2', '-7 days');")
                == ["0"])
    }

    /// The views read the events and the runs table: a rebuild leaves them working.
    @Test func theViewsSurviveARebuild() throws {
        let cli = Self.pipeline()
        let before = try Self.rows(cli, "SELECT * FROM production_timeline ORDER BY position, kind, app;")
        #expect(cli.run(["rebuild"]).exitCode == 0)
        #expect(try Self.rows(cli, "SELECT * FROM production_timeline ORDER BY position, kind, app;") == before)
        #expect(
            try Self.rows(cli, "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name;") == [
                "decisions", "deployments", "production_timeline",
            ])
    }
}
