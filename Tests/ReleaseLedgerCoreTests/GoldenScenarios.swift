import EventStoreConformance
import ReleaseLedgerCore

/// The pipeline stories behind the golden artifact cases. Each scenario's last event names the
/// candidate whose artifacts are golden.
enum GoldenScenarios {
    typealias Scenario = (name: String, events: [ProposedEvent])

    static func readiness(_ n: Int) -> [ProposedEvent] {
        [
            Fixtures.event(
                .readinessRecorded, n,
                ["check": "entra-canary", "status": "pass", "lastGreenAt": "2026-11-29T08:00:00Z", "sloHours": 24]),
            Fixtures.event(
                .readinessRecorded, n,
                ["check": "delegated-probe", "status": "pass", "targetApiBaseUrl": "https://api.example.com"]),
        ]
    }

    static func step(_ type: EventType, _ n: Int, _ data: JSONValue) -> ProposedEvent { Fixtures.event(type, n, data) }
    static func api(_ n: Int) -> JSONValue { .string(Fixtures.digest("api", n)) }
    static func web(_ n: Int) -> JSONValue { .string(Fixtures.digest("web", n)) }

    static func runtimeSteps(_ n: Int, migrate: Bool = true, browser: String = "passed", evidence: JSONValue = [])
        -> [ProposedEvent]
    {
        var steps = [step(.migrationRecorded, n, ["step": "image-updated", "image": api(n), "outcome": "succeeded"])]
        if migrate {
            steps.append(step(.migrationRecorded, n, ["step": "ran", "image": api(n), "outcome": "succeeded"]))
        }
        return steps + [
            step(.deployRecorded, n, ["app": "api", "image": api(n), "outcome": "succeeded"]),
            step(.deployRecorded, n, ["app": "web", "image": web(n), "outcome": "succeeded"]),
            step(.smokeRecorded, n, ["suite": "api", "outcome": "passed"]),
            step(
                .smokeRecorded, n,
                evidence == []
                    ? ["suite": "browser", "outcome": .string(browser)]
                    : ["suite": "browser", "outcome": .string(browser), "evidence": evidence]),
            step(
                .deploymentRecorded, n, ["deploymentId": .int(5000 + n), "environmentUrl": "https://app.example.com"]),
        ]
    }

    static func accepted(_ n: Int, _ frozen: JSONValue) -> [ProposedEvent] {
        [step(.candidateFrozen, n, frozen), step(.acceptanceRecorded, n, ["verdict": "YES"])] + readiness(n)
    }

    static let all: [Scenario] = [
        (
            "clean-runtime-promotion",
            accepted(1, Fixtures.frozenData(1))
                + runtimeSteps(
                    1, evidence: [["name": "playwright-report", "url": "https://ci.example.com/reports/1/index.html"]])
                + [step(.verdictRecorded, 1, ["decision": "YES"])]
        ),
        (
            "infra-only-with-approval",
            accepted(2, Fixtures.frozenData(2, runtime: false, infra: true, migrationRequired: false)) + [
                step(.approvalRecorded, 2, ["gate": "control-plane", "decision": "approved", "approver": "alice"]),
                step(.applyRecorded, 2, ["scope": "infra", "outcome": "succeeded"]),
                step(.deploymentRecorded, 2, ["deploymentId": "infra-77"]),
                step(.verdictRecorded, 2, ["decision": "YES"]),
            ]
        ),
        (
            "identity-with-preflight",
            accepted(3, Fixtures.frozenData(3, runtime: false, identity: true, migrationRequired: false)) + [
                step(
                    .identityPreflightRecorded, 3,
                    IdentityPreflight.payload(apiIdentifierURI: "api://compass-api", entraAudience: nil)),
                step(.approvalRecorded, 3, ["gate": "control-plane", "decision": "approved", "approver": "bob"]),
                step(.applyRecorded, 3, ["scope": "identity", "outcome": "succeeded"]),
                step(.deploymentRecorded, 3, [:]),
                step(.verdictRecorded, 3, ["decision": "YES"]),
            ]
        ),
        (
            "failed-smoke",
            accepted(4, Fixtures.frozenData(4, migrationRequired: false))
                + runtimeSteps(
                    4, migrate: false, browser: "failed",
                    evidence: [["name": "trace", "url": "https://ci.example.com/traces/4.zip"]])
                + [step(.verdictRecorded, 4, ["decision": "NO"])]
        ),
        (
            "rejected-approval",
            accepted(5, Fixtures.frozenData(5, infra: true)) + [
                step(.approvalRecorded, 5, ["gate": "control-plane", "decision": "rejected", "approver": "carol"]),
                step(.verdictRecorded, 5, ["decision": "NO", "reason": "control-plane approval rejected"]),
            ]
        ),
        (
            "replay",
            accepted(6, Fixtures.frozenData(6)) + runtimeSteps(6) + [step(.verdictRecorded, 6, ["decision": "YES"])]
                + [
                    step(
                        .replayRequested, 6,
                        ["mode": "replay", "reason": "re-run after a platform incident", "requestedBy": "dave"])
                ]
                + runtimeSteps(6) + [step(.verdictRecorded, 6, ["decision": "YES"])]
        ),
        (
            "rollback",
            accepted(7, Fixtures.frozenData(7)) + runtimeSteps(7) + [step(.verdictRecorded, 7, ["decision": "YES"])]
                + accepted(8, Fixtures.frozenData(8)) + runtimeSteps(8) + [
                    step(.verdictRecorded, 8, ["decision": "YES"])
                ]
                + [
                    step(
                        .replayRequested, 7,
                        ["mode": "rollback", "reason": "checkout errors after 8", "requestedBy": "erin"])
                ]
                + runtimeSteps(7) + [step(.verdictRecorded, 7, ["decision": "YES"])]
        ),
    ]

    /// Appends a scenario through the real append path and returns what was recorded.
    static func record(_ scenario: Scenario) throws -> [RecordedEvent] {
        // The committed cases were recorded on chain version 1; they stay so, and keep checking that
        // version-1 rows verify.
        let store = InMemoryEventStore(
            engine: AppendEngine(clock: Fixtures.engine().clock, ids: Fixtures.engine().ids, chainVersion: 1))
        for event in scenario.events { _ = try store.append([event]) }
        return try store.events(EventQuery())
    }
}
