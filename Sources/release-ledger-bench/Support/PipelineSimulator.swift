import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// Generates a realistic release history: candidates with mixed scopes, acceptance NOs, failed
/// smokes, replays and rollbacks, each as the batch of events one pipeline run appends.
struct PipelineSimulator {
    var candidate = 0
    var lastYes: [String] = []
    let startGreen = Timestamp(rfc3339: "2024-01-01T00:00:00Z")!
    var clockGuess: Timestamp

    init(start: Timestamp) { clockGuess = start }

    static func sha(_ n: Int) -> String { String(ChainHasher.hash("sim-commit-\(n)").prefix(40)) }
    static func digest(_ app: String, _ n: Int) -> String {
        "ghcr.io/acme/\(app)@sha256:" + ChainHasher.hash("sim-\(app)-\(n)")
    }

    func event(_ type: EventType, _ n: Int, _ data: JSONValue, actor: String = "ci-bot") -> ProposedEvent {
        ProposedEvent(
            type: type.rawValue, sha: Self.sha(n), data: data,
            metadata: EventMetadata(
                actor: actor, source: "https://github.com/acme/shop", runId: String(7_000_000 + n), runAttempt: "1",
                workflow: "Cloud Deployment Pipeline", job: type.rawValue.split(separator: ".").first.map(String.init),
                repository: "acme/shop"))
    }

    /// The production steps of one run of candidate `n`.
    func productionSteps(
        _ n: Int, scopes: (runtime: Bool, infra: Bool, identity: Bool), migration: Bool, smokeFails: Bool
    ) -> [ProposedEvent] {
        var steps: [ProposedEvent] = []
        let api = JSONValue.string(Self.digest("api", n))
        if scopes.infra || scopes.identity {
            steps.append(
                event(
                    .approvalRecorded, n,
                    ["gate": "control-plane", "decision": "approved", "approver": "release-manager"],
                    actor: "release-manager"))
        }
        if scopes.identity { steps.append(event(.applyRecorded, n, ["scope": "identity", "outcome": "succeeded"])) }
        if scopes.infra { steps.append(event(.applyRecorded, n, ["scope": "infra", "outcome": "succeeded"])) }
        if scopes.runtime {
            steps.append(
                event(.migrationRecorded, n, ["step": "image-updated", "image": api, "outcome": "succeeded"]))
            if migration {
                steps.append(event(.migrationRecorded, n, ["step": "ran", "image": api, "outcome": "succeeded"]))
            }
            steps.append(event(.deployRecorded, n, ["app": "api", "image": api, "outcome": "succeeded"]))
            steps.append(
                event(
                    .deployRecorded, n,
                    ["app": "web", "image": .string(Self.digest("web", n)), "outcome": "succeeded"]))
            steps.append(
                event(
                    .smokeRecorded, n,
                    [
                        "suite": "api", "outcome": "passed",
                        "evidence": [
                            ["name": "report", "url": .string("https://ci.example.com/acme/shop/runs/\(n)/api")]
                        ],
                    ]))
            steps.append(event(.smokeRecorded, n, ["suite": "browser", "outcome": smokeFails ? "failed" : "passed"]))
        }
        steps.append(
            event(
                .deploymentRecorded, n,
                [
                    "deploymentId": .int(900_000 + n), "environmentUrl": "https://shop.example.com",
                    "environment": "production",
                ]))
        steps.append(event(.verdictRecorded, n, ["decision": smokeFails ? "NO" : "YES"]))
        return steps
    }

    /// A replay of candidate `n` (runtime only, no migration): the request and the production steps it runs.
    func replay(_ n: Int, reason: String) -> [ProposedEvent] {
        let request = event(
            .replayRequested, n, ["mode": "replay", "reason": .string(reason), "requestedBy": "on-call"],
            actor: "on-call")
        return [request] + productionSteps(n, scopes: (true, false, false), migration: false, smokeFails: false)
    }

    /// The next pipeline run, as batches (each one transaction, as one CI step group would append).
    mutating func next(now: Timestamp) -> [[ProposedEvent]] {
        candidate += 1
        let n = candidate
        // Every 40th candidate is followed by a rollback to the previous good SHA.
        if n % 40 == 0, lastYes.count >= 2 {
            let target = lastYes[lastYes.count - 2]
            let targetN = Int(target.split(separator: "#")[1])!
            let request = event(
                .replayRequested, targetN,
                [
                    "mode": "rollback", "reason": .string("error rate up after \(lastYes.last!.prefix(12))"),
                    "requestedBy": "on-call",
                ], actor: "on-call")
            lastYes.append(target)
            return [
                [request],
                productionSteps(targetN, scopes: (true, false, false), migration: targetN % 3 == 0, smokeFails: false),
            ]
        }
        let infra = n % 10 == 3
        let identity = n % 25 == 7
        let runtime = !infra || n % 20 == 3
        let migration = n % 3 == 0
        let acceptanceNo = n % 23 == 11
        let smokeFails = runtime && n % 9 == 4
        var frozen: JSONValue = [
            "images": ["api": .string(Self.digest("api", n)), "web": .string(Self.digest("web", n))],
            "scopes": [
                "runtime": .bool(runtime), "infra": .bool(infra), "identity": .bool(identity),
                "requiresInfraConvergence": false,
            ],
            "migrationRequired": .bool(migration),
        ]
        if !runtime && !infra && !identity {
            frozen = ["images": frozen["images"]!, "scopes": frozen["scopes"]!, "migrationRequired": false]
        }
        var facts = [
            event(.candidateFrozen, n, frozen),
            event(
                .acceptanceRecorded, n,
                acceptanceNo
                    ? ["verdict": "NO", "reason": "acceptance suite failed"]
                    : [
                        "verdict": "YES",
                        "evidence": [
                            ["name": "acceptance", "url": .string("https://ci.example.com/acme/shop/runs/\(n)")]
                        ],
                    ]),
        ]
        if acceptanceNo { return [facts] }
        facts.append(
            event(
                .readinessRecorded, n,
                [
                    "check": "entra-canary", "status": "pass",
                    "lastGreenAt": .string(now.adding(milliseconds: -3_600_000).description), "sloHours": 24,
                ]))
        facts.append(
            event(
                .readinessRecorded, n,
                ["check": "delegated-probe", "status": "pass", "targetApiBaseUrl": "https://api.shop.example.com"]))
        if identity {
            facts.append(
                event(
                    .identityPreflightRecorded, n,
                    IdentityPreflight.payload(apiIdentifierURI: "api://compass-api", entraAudience: nil)))
        }
        let steps = productionSteps(
            n, scopes: (runtime, infra, identity), migration: migration, smokeFails: smokeFails)
        // Rollback targets are runtime-only candidates, whose replay needs no approval.
        if !smokeFails, runtime, !infra, !identity { lastYes.append("\(Self.sha(n))#\(n)") }
        return [facts, steps]
    }
}
