import Prometheus

/// What `/metrics` exposes (Prometheus text format): appends, refusals by rule, request latency.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let recorded: Counter
    private let alreadyRecorded: Counter

    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    init() {
        recorded = registry.makeCounter(
            name: "release_ledger_appended_events_total", labels: [("status", "recorded")],
            help: "Events appended, by outcome.")
        alreadyRecorded = registry.makeCounter(
            name: "release_ledger_appended_events_total", labels: [("status", "already_recorded")],
            help: "Events appended, by outcome.")
    }

    func appended(recorded count: Int, alreadyRecorded repeats: Int) {
        if count > 0 { recorded.increment(by: Int64(count)) }
        if repeats > 0 { alreadyRecorded.increment(by: Int64(repeats)) }
    }

    /// A refused append, labelled with the rule ("rule 4 (acceptance YES before production)" becomes "rule 4").
    func refused(rule: String) {
        let label = rule.split(separator: " ").prefix(2).joined(separator: " ")
        registry.makeCounter(
            name: "release_ledger_refusals_total", labels: [("rule", label)], help: "Appends refused by a release rule."
        )
        .increment()
    }

    /// Latency by route pattern (never by the raw path: a SHA per label would grow without end) and status.
    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeDurationHistogram(
            name: "release_ledger_request_duration_seconds",
            labels: [("route", route), ("method", method), ("status", String(status))], buckets: Self.latencyBuckets,
            help: "Time from request to response."
        ).record(duration)
    }
}
