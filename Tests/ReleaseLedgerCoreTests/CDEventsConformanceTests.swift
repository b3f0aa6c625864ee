import EventStoreConformance
import ReleaseLedgerCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Conformance as the CDEvents SDKs test it: map an event with the example's id and time, and
/// compare with the spec's conformance example of the same type. Where the ledger sets a field
/// itself, or has no value for it, `changes` says so: that list is the documented difference.
@Suite struct CDEventsConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let spec =
        ProcessInfo.processInfo.environment["CDEVENTS_SPEC_DIR"] ?? root + "/../shared/cdevents-spec-v0.5.1"

    static let id = "271069a8-fc18-44f1-b38f-9d70a1695819"
    /// The example's time to the millisecond, the ledger's resolution.
    static let time = Timestamp(rfc3339: "2023-03-20T14:27:05.315Z")!
    static let image = "registry.example/myapp@sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427"
    static let sha = Fixtures.sha(1)

    static func event(
        _ type: EventType, _ data: JSONValue, id: String = Self.id, position: Int64 = 1, metadata: JSONValue = [:]
    ) -> RecordedEvent {
        RecordedEvent(
            position: position, id: id, stream: "candidate-\(sha)", version: position, type: type.rawValue,
            typeVersion: 1, sha: sha,
            data: CanonicalJSON.encode(data), metadata: CanonicalJSON.encode(metadata), recordedAt: time,
            previousHash: String(repeating: "0", count: 64), hash: String(repeating: "a", count: 64))
    }

    /// The conformance example, with the fields every ledger CDEvent sets its own way, then `changes`.
    static func expected(_ example: String, _ changes: [([String], JSONValue?)]) throws -> String {
        var value = try JSONParser.parse(String(contentsOfFile: "\(spec)/conformance/\(example).json", encoding: .utf8))
        let common: [([String], JSONValue?)] = [
            (["context", "source"], .string(CDEventsMapper.source)),
            (["context", "timestamp"], "2023-03-20T14:27:05.315Z"),
            (["context", "chainId"], .string(sha)),
            // The ledger links no events and publishes no schema of its own for standard types.
            (["context", "links"], nil), (["context", "schemaUri"], nil),
            (["subject", "source"], .string(CDEventsMapper.source)),
        ]
        for (path, new) in common + changes { value = setting(value, path[...], new) }
        return CanonicalJSON.encode(value)
    }

    /// What the mapper printed, without the ledger's customData (the examples carry none).
    static func actual(_ cdevent: JSONValue) -> String {
        var value = setting(cdevent, ["customData"], nil)
        value = setting(value, ["customDataContentType"], nil)
        return CanonicalJSON.encode(value)
    }

    static func setting(_ value: JSONValue, _ path: ArraySlice<String>, _ new: JSONValue?) -> JSONValue {
        guard let key = path.first, case .object(var object) = value else { return new ?? .null }
        object[key] = path.count == 1 ? new : setting(object[key] ?? [:], path.dropFirst(), new)
        return .object(object)
    }

    static let deployedSubject: [([String], JSONValue?)] = [
        (["subject", "id"], "api"), (["subject", "content", "environment", "id"], "production"),
        (["subject", "content", "artifactId"], .string(CDEventsMapper.packageURL(image: image))),
    ]

    @Test func artifactPackagedMatchesTheConformanceExample() throws {
        var mapper = CDEventsMapper()
        let frozen = Self.event(
            .candidateFrozen, Fixtures.frozenData(1), metadata: ["repository": "my-git.example/an-org/a-repo"])
        let changes: [([String], JSONValue?)] = [
            (["subject", "id"], .string("pkg:generic/candidate@\(Self.sha)")),
            (["subject", "content", "change", "id"], .string(Self.sha)),
            // The ledger records no SBOM.
            (["subject", "content", "sbom"], nil),
        ]
        #expect(try Self.actual(mapper.map(frozen)) == (try Self.expected("artifact_packaged", changes)))
    }

    @Test func serviceDeployedMatchesTheConformanceExample() throws {
        var mapper = CDEventsMapper()
        let deploy = Self.event(.deployRecorded, ["app": "api", "image": .string(Self.image), "outcome": "succeeded"])
        #expect(try Self.actual(mapper.map(deploy)) == (try Self.expected("service_deployed", Self.deployedSubject)))
    }

    @Test func serviceUpgradedMatchesTheConformanceExample() throws {
        var mapper = CDEventsMapper()
        _ = try mapper.map(
            Self.event(
                .deployRecorded, ["app": "api", "image": .string(Fixtures.digest("api", 9)), "outcome": "succeeded"],
                id: "earlier"))
        let deploy = Self.event(
            .deployRecorded, ["app": "api", "image": .string(Self.image), "outcome": "succeeded"], position: 2)
        #expect(try Self.actual(mapper.map(deploy)) == (try Self.expected("service_upgraded", Self.deployedSubject)))
    }

    @Test func serviceRolledbackMatchesTheConformanceExample() throws {
        var mapper = CDEventsMapper()
        _ = try mapper.map(Self.event(.replayRequested, ["mode": "rollback", "reason": "errors"], id: "request"))
        let deploy = Self.event(
            .deployRecorded, ["app": "api", "image": .string(Self.image), "outcome": "succeeded"], position: 2)
        #expect(try Self.actual(mapper.map(deploy)) == (try Self.expected("service_rolledback", Self.deployedSubject)))
    }

    @Test func acceptanceMatchesTheTestSuiteRunExample() throws {
        var mapper = CDEventsMapper()
        let acceptance = Self.event(.acceptanceRecorded, ["verdict": "NO", "reason": "Host 123.34.23.32 not found"])
        let changes: [([String], JSONValue?)] = [
            (["subject", "id"], .string("\(Self.sha)/acceptance")),
            // The ledger grades no severity.
            (["subject", "content", "severity"], nil),
            (["subject", "content", "environment"], ["id": "acceptance"]),
            (["subject", "content", "testSuite"], ["id": "acceptance", "name": "acceptance"]),
        ]
        #expect(try Self.actual(mapper.map(acceptance)) == (try Self.expected("testsuiterun_finished", changes)))
    }

    @Test func smokeMatchesTheTestCaseRunExample() throws {
        var mapper = CDEventsMapper()
        let smoke = Self.event(.smokeRecorded, ["suite": "browser", "outcome": "passed"])
        let changes: [([String], JSONValue?)] = [
            (["subject", "id"], .string("\(Self.sha)/smoke-browser")),
            (["subject", "content", "environment"], ["id": "production"]),
            (
                ["subject", "content", "testCase"],
                ["id": "smoke-browser", "name": "browser smoke test", "type": "e2e"]
            ),
        ]
        #expect(try Self.actual(mapper.map(smoke)) == (try Self.expected("testcaserun_finished", changes)))
    }

    @Test func otherEventsAreCustomTypesTheSpecPatternAccepts() throws {
        var mapper = CDEventsMapper()
        let approval = try mapper.map(
            Self.event(.approvalRecorded, ["gate": "control-plane", "decision": "approved", "approver": "erin"]))
        #expect(approval["context"]?["type"] == "dev.cdeventsx.releaseledger-approval.recorded.0.1.0")
        #expect(approval["subject"]?["type"] == "releaseledger-approval")
        #expect(approval["subject"]?["content"]?["approver"] == "erin")
        #expect(
            CDEventsMapper.customType(forLedgerType: "identity.preflight.recorded")
                == "dev.cdeventsx.releaseledger-identityPreflight.recorded.0.1.0")
        // A failed deploy changed no service.
        let failed = try mapper.map(
            Self.event(.deployRecorded, ["app": "api", "image": .string(Self.image), "outcome": "failed"]))
        #expect(failed["context"]?["type"] == "dev.cdeventsx.releaseledger-deploy.recorded.0.1.0")
    }
}
