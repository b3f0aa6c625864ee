import Synchronization
import ReleaseLedgerCore

/// Realistic test values: SHAs, digests and payloads as the pipeline produces them.
public enum Fixtures {
    public static let start = Timestamp(rfc3339: "2026-11-29T10:00:00.000Z")!

    /// A deterministic 40-hex commit SHA for candidate `n`.
    public static func sha(_ n: Int) -> String {
        let hash = ChainHasher.hash("commit-\(n)")
        return String(hash.prefix(40))
    }

    public static func digest(_ app: String, _ n: Int) -> String {
        "ghcr.io/acme/\(app)@sha256:" + ChainHasher.hash("\(app)-image-\(n)")
    }

    public static func frozenData(
        _ n: Int, runtime: Bool = true, infra: Bool = false, identity: Bool = false, convergence: Bool = false,
        migrationRequired: Bool = true
    ) -> JSONValue {
        [
            "images": ["api": .string(digest("api", n)), "web": .string(digest("web", n))],
            "scopes": [
                "runtime": .bool(runtime), "infra": .bool(infra), "identity": .bool(identity),
                "requiresInfraConvergence": .bool(convergence),
            ],
            "migrationRequired": .bool(migrationRequired),
        ]
    }

    public static func event(
        _ type: EventType, _ n: Int, _ data: JSONValue, id: String? = nil, expect: ExpectedVersion = .any
    ) -> ProposedEvent {
        ProposedEvent(
            id: id, type: type.rawValue, sha: sha(n), data: data,
            metadata: EventMetadata(actor: "ci-bot", runId: "100\(n)"), expectedVersion: expect)
    }

    public static func note(_ n: Int, _ text: String, id: String? = nil, expect: ExpectedVersion = .any)
        -> ProposedEvent
    {
        ProposedEvent(
            id: id, type: "x-note", sha: sha(n), data: ["text": .string(text)],
            metadata: EventMetadata(actor: "ci-bot"), expectedVersion: expect)
    }

    /// Sequential ids, so two backends given the same input write the same bytes.
    public final class CountingIDs: EventIDGenerator {
        private let counter = Mutex(0)
        public init() {}
        public func next() -> String {
            "generated-"
                + String(
                    counter.withLock {
                        $0 += 1
                        return $0
                    })
        }
    }

    public static func engine() -> AppendEngine {
        AppendEngine(clock: FixedClock(start), ids: CountingIDs())
    }

    /// Every event of a clean runtime promotion of candidate `n`, in pipeline order.
    public static func cleanPromotion(_ n: Int, lastGreenAt: Timestamp = start) -> [ProposedEvent] {
        [
            event(.candidateFrozen, n, frozenData(n)),
            event(.acceptanceRecorded, n, ["verdict": "YES"]),
            event(
                .readinessRecorded, n,
                [
                    "check": "entra-canary", "status": "pass", "lastGreenAt": .string(lastGreenAt.description),
                    "sloHours": 24,
                ]),
            event(
                .readinessRecorded, n,
                ["check": "delegated-probe", "status": "pass", "targetApiBaseUrl": "https://api.example.com"]),
            event(
                .migrationRecorded, n,
                ["step": "image-updated", "image": .string(digest("api", n)), "outcome": "succeeded"]),
            event(.migrationRecorded, n, ["step": "ran", "image": .string(digest("api", n)), "outcome": "succeeded"]),
            event(.deployRecorded, n, ["app": "api", "image": .string(digest("api", n)), "outcome": "succeeded"]),
            event(.deployRecorded, n, ["app": "web", "image": .string(digest("web", n)), "outcome": "succeeded"]),
            event(.smokeRecorded, n, ["suite": "api", "outcome": "passed"]),
            event(.smokeRecorded, n, ["suite": "browser", "outcome": "passed"]),
            event(.deploymentRecorded, n, ["deploymentId": 4242, "environmentUrl": "https://app.example.com"]),
            event(.verdictRecorded, n, ["decision": "YES"]),
        ]
    }

    /// The same promotion with the browser smoke failing and a verdict NO.
    public static func promotionFailingBrowserSmoke(_ n: Int) -> [ProposedEvent] {
        var events = cleanPromotion(n)
        events[9] = event(.smokeRecorded, n, ["suite": "browser", "outcome": "failed"])
        events[11] = event(.verdictRecorded, n, ["decision": "NO"])
        return events
    }
}
