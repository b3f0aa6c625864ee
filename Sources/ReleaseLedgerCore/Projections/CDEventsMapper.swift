/// Ledger events as CDEvents 0.5.1 (https://cdevents.dev), one CDEvent per ledger event.
///
/// Ids and timestamps are the ledger's (event id, recordedAt), so the same ledger always gives
/// the same output. Whether a deploy is `service.deployed`, `service.upgraded` or
/// `service.rolledback` depends on the events before it, so the mapper folds them in position order.
public struct CDEventsMapper: Sendable {
    public static let specVersion = "0.5.1"
    /// `context.source` and `subject.source`: a stable URI reference naming this tool.
    public static let source = "/release-ledger"
    /// The spec's custom-type pattern allows no hyphen in the tool name, hence not `release-ledger`.
    public static let customTool = "releaseledger"
    /// The version of this tool's custom event types (`dev.cdeventsx.releaseledger-*`).
    public static let customVersion = "0.1.0"
    /// Where the ledger's deploys and smoke tests run; acceptance has its own environment.
    public static let production = "production"

    /// The image each app last got from a successful deploy.
    private var deployedImage: [String: String] = [:]
    /// SHAs whose open run was requested as a rollback.
    private var rollingBack: Set<String> = []

    public init() {}

    /// The CDEvent for `event`; call it for every event in position order, even ones not printed.
    public mutating func map(_ event: RecordedEvent) throws(LedgerError) -> JSONValue {
        let data = try event.payload()
        let known = EventType(rawValue: event.type)
        let mapped: (type: String, subject: JSONValue)?
        switch known {
        case .candidateFrozen:
            mapped = ("dev.cdevents.artifact.packaged.0.3.0", try artifactPackaged(event))
        case .acceptanceRecorded:
            mapped = ("dev.cdevents.testsuiterun.finished.0.3.0", testSuiteRunFinished(event, data))
        case .smokeRecorded:
            mapped = ("dev.cdevents.testcaserun.finished.0.3.0", testCaseRunFinished(event, data))
        case .deployRecorded:
            mapped = serviceChange(event, data)
        case .replayRequested:
            if data["mode"] == "rollback" { rollingBack.insert(event.sha) } else { rollingBack.remove(event.sha) }
            mapped = nil
        case .verdictRecorded:
            rollingBack.remove(event.sha)
            mapped = nil
        default:
            mapped = nil
        }
        let (type, subject) = mapped ?? custom(event, data, known: known)
        let context: JSONValue = [
            "specversion": .string(Self.specVersion), "id": .string(event.id), "source": .string(Self.source),
            "type": .string(type), "timestamp": .string(event.recordedAt.description),
            // Every event of one candidate shares a chain.
            "chainId": .string(event.sha),
        ]
        return [
            "context": context, "subject": subject,
            // The ledger's own view, so a consumer can find the row and check the chain.
            "customData": [
                "ledger": [
                    "position": .number(.integer(event.position)), "stream": .string(event.stream),
                    "type": .string(event.type),
                    "sha": .string(event.sha), "hash": .string(event.hash), "data": data,
                ]
            ],
            "customDataContentType": "application/json",
        ]
    }

    /// The CDEvents type `event` maps to, without folding (for help and docs).
    public static func customType(forLedgerType type: String) -> String {
        let (subject, predicate) = customNames(type)
        return "dev.cdeventsx.\(customTool)-\(subject).\(predicate).\(customVersion)"
    }

    // MARK: - Subjects

    private func artifactPackaged(_ event: RecordedEvent) throws(LedgerError) -> JSONValue {
        var change = JSONObject([("id", .string(event.sha))])
        if let repository = try event.metadataValue().repository, !repository.isEmpty {
            change["source"] = .string(repository)
        }
        return [
            "id": .string("pkg:generic/candidate@\(event.sha)"), "source": .string(Self.source),
            "content": ["change": .object(change)],
        ]
    }

    private func testSuiteRunFinished(_ event: RecordedEvent, _ data: JSONValue) -> JSONValue {
        var content = JSONObject([
            ("outcome", data["verdict"] == "YES" ? "success" : "failure"),
            ("environment", ["id": "acceptance"]),
            ("testSuite", ["id": "acceptance", "name": "acceptance"]),
        ])
        if let reason = data["reason"]?.stringValue { content["reason"] = .string(reason) }
        return ["id": .string("\(event.sha)/acceptance"), "source": .string(Self.source), "content": .object(content)]
    }

    private func testCaseRunFinished(_ event: RecordedEvent, _ data: JSONValue) -> JSONValue {
        let suite = data["suite"]?.stringValue ?? "unknown"
        let content: JSONValue = [
            "outcome": data["outcome"] == "passed" ? "success" : "failure",
            "environment": ["id": .string(Self.production)],
            "testCase": ["id": .string("smoke-\(suite)"), "name": .string("\(suite) smoke test"), "type": "e2e"],
        ]
        return ["id": .string("\(event.sha)/smoke-\(suite)"), "source": .string(Self.source), "content": content]
    }

    /// A successful deploy changes the service; a failed one changes nothing and stays custom.
    private mutating func serviceChange(_ event: RecordedEvent, _ data: JSONValue) -> (
        type: String, subject: JSONValue
    )? {
        guard data["outcome"] == "succeeded", let app = data["app"]?.stringValue, let image = data["image"]?.stringValue
        else { return nil }
        let predicate: String
        if rollingBack.contains(event.sha) {
            predicate = "rolledback"
        } else if let previous = deployedImage[app], previous != image {
            predicate = "upgraded"
        } else {
            predicate = "deployed"
        }
        deployedImage[app] = image
        let subject: JSONValue = [
            "id": .string(app), "source": .string(Self.source),
            "content": [
                "environment": ["id": .string(Self.production)], "artifactId": .string(Self.packageURL(image: image)),
            ],
        ]
        return ("dev.cdevents.service.\(predicate).0.3.0", subject)
    }

    private func custom(_ event: RecordedEvent, _ data: JSONValue, known: EventType?) -> (
        type: String, subject: JSONValue
    ) {
        let (subject, _) = Self.customNames(event.type)
        // Free-form notes keep their own type name, which the CDEvents type cannot carry.
        let content: JSONValue =
            known == nil ? ["noteType": .string(event.type), "data": data] : .object(data.objectValue ?? JSONObject())
        return (
            Self.customType(forLedgerType: event.type),
            [
                "id": .string("\(event.sha)/\(event.id)"), "source": .string(Self.source),
                "type": .string("\(Self.customTool)-\(subject)"), "content": content,
            ]
        )
    }

    /// `identity.preflight.recorded` → (`identityPreflight`, `recorded`); notes → (`note`, `recorded`).
    static func customNames(_ type: String) -> (subject: String, predicate: String) {
        guard EventType(rawValue: type) != nil else { return ("note", "recorded") }
        var parts = type.split(separator: ".").map(String.init)
        let predicate = parts.removeLast()
        let subject = parts.enumerated().map { index, part in
            index == 0 ? part : part.prefix(1).uppercased() + part.dropFirst()
        }.joined()
        return (subject, predicate)
    }

    /// `ghcr.io/acme/api@sha256:ab…` → `pkg:oci/api@sha256%3Aab…?repository_url=ghcr.io/acme/api` (the OCI purl).
    public static func packageURL(image: String) -> String {
        guard let at = image.lastIndex(of: "@") else { return "pkg:generic/\(image)" }
        let repository = String(image[..<at])
        // The purl spec percent-encodes the `:` of the digest.
        let digest = image[image.index(after: at)...].split(separator: ":", omittingEmptySubsequences: false).joined(
            separator: "%3A")
        let name = repository.split(separator: "/").last.map(String.init) ?? repository
        return "pkg:oci/\(name.lowercased())@\(digest)?repository_url=\(repository)"
    }
}
