import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The HTTP API of a real server process, exercised with `curl`.
@Suite struct ServerAPITests {
    static let sha = String(repeating: "a", count: 40)

    static func note(_ text: String, id: String? = nil) -> String {
        var object: JSONValue = ["type": "x-note", "sha": .string(sha), "data": ["text": .string(text)]]
        if let id, case .object(var members) = object {
            members["id"] = .string(id)
            object = .object(members)
        }
        return CanonicalJSON.encode(object)
    }

    @Test func anAppendedEventIsReadBackWithItsReceipt() throws {
        let server = ServerProcess()
        let url = try server.start()
        let appended = try HTTPExchange.curl("POST", url + "/v1/events", body: Self.note("hello", id: "note-1"))
        #expect(appended.status == 201, "\(appended.body)")
        #expect(appended.json?["receipts"]?[0]?["position"]?.intValue == 1)
        #expect(appended.headers["x-request-id"]?.isEmpty == false)
        // The same id and content again: already recorded, nothing written.
        let repeated = try HTTPExchange.curl("POST", url + "/v1/events", body: Self.note("hello", id: "note-1"))
        #expect(repeated.status == 200)
        #expect(repeated.json?["receipts"]?[0]?["status"]?.stringValue == "already-recorded")
        let page = try HTTPExchange.curl("GET", url + "/v1/events?after=0&limit=10")
        #expect(page.status == 200)
        #expect(page.json?["events"]?[0]?["id"]?.stringValue == "note-1")
        #expect(page.json?["next"] == .null)
        let lines = try HTTPExchange.curl("GET", url + "/v1/events", headers: ["Accept: application/x-ndjson"])
        #expect(lines.body.split(separator: "\n").count == 1)
        #expect(lines.headers["content-type"] == "application/x-ndjson")
    }

    @Test func failuresAreProblemDetailsCarryingTheExitCode() throws {
        let server = ServerProcess()
        let url = try server.start()
        let invalid = try HTTPExchange.curl(
            "POST", url + "/v1/events", body: #"{"type":"x-note","sha":"nothex","data":{}}"#)
        #expect(invalid.status == 400)
        #expect(invalid.headers["content-type"] == "application/problem+json")
        #expect(invalid.json?["exitCode"]?.intValue == 65)
        #expect(invalid.json?["type"]?.stringValue == "urn:release-ledger:problem:invalid-input")
        // Deploying a candidate never frozen: a release rule says no (exit 2), and nothing is written.
        let deploy =
            #"{"data":{"app":"api","image":"ghcr.io/acme/api@sha256:\#(String(repeating: "b", count: 64))","outcome":"succeeded"}}"#
        let refused = try HTTPExchange.curl("POST", url + "/v1/candidates/\(Self.sha)/deploy", body: deploy)
        #expect(refused.status == 422, "\(refused.body)")
        #expect(refused.json?["exitCode"]?.intValue == 2)
        #expect(refused.json?["rule"]?.stringValue?.hasPrefix("rule") == true)
        let conflict = try HTTPExchange.curl(
            "POST", url + "/v1/events", body: #"{"type":"x-note","sha":"\#(Self.sha)","data":{"text":"x"},"expect":5}"#)
        #expect(conflict.status == 409)
        #expect(conflict.json?["exitCode"]?.intValue == 3)
        let missing = try HTTPExchange.curl("GET", url + "/v1/nothing-here")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"] == "application/problem+json")
        let head = try HTTPExchange.curl("GET", url + "/v1/head")
        #expect(head.json?["position"]?.intValue == 0)
        let metrics = try HTTPExchange.curl("GET", url + "/metrics")
        #expect(metrics.body.contains("release_ledger_refusals_total{rule=\"rule"))
    }

    @Test func readsAnswerWhatTheCommandLinePrints() throws {
        let server = ServerProcess()
        let url = try server.start()
        // The server records with the real clock: the canary was green just now.
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        for event in Fixtures.cleanPromotion(1, lastGreenAt: now) {
            let body = CanonicalJSON.encode([
                "type": .string(event.type), "sha": .string(event.sha), "data": event.data,
            ])
            let appended = try HTTPExchange.curl("POST", url + "/v1/events", body: body)
            #expect(appended.status == 201, "\(appended.body)")
        }
        let status = try HTTPExchange.curl("GET", url + "/v1/status")
        #expect(status.status == 200)
        #expect(status.json?["released"]?["sha"]?.stringValue == Fixtures.sha(1))
        let table = try HTTPExchange.curl("GET", url + "/v1/history?format=table")
        #expect(table.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(table.body.contains(Fixtures.sha(1)))
        let verify = try HTTPExchange.curl("GET", url + "/v1/verify")
        #expect(verify.status == 200, "\(verify.body)")
        let manifest = try HTTPExchange.curl("GET", url + "/v1/candidates/\(Fixtures.sha(1))/artifacts/manifest.json")
        #expect(manifest.status == 200, "\(manifest.body)")
        let badTime = try HTTPExchange.curl("GET", url + "/v1/at?time=yesterday")
        #expect(badTime.status == 400)
        #expect(badTime.json?["exitCode"]?.intValue == 64)
        let health = try HTTPExchange.curl("GET", url + "/healthz")
        #expect(health.json?["head"]?["position"]?.intValue == 12)
    }

    @Test func theServedAPIDescriptionIsTheOneInSchema() throws {
        let server = ServerProcess()
        let url = try server.start()
        let served = try HTTPExchange.curl("GET", url + "/v1/openapi.json")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let onDisk = try String(contentsOf: root.appendingPathComponent("Schema/openapi.json"), encoding: .utf8)
        #expect(served.status == 200)
        #expect(served.body == onDisk)
        #expect(served.json?["openapi"]?.stringValue == "3.1.0")
    }
}
