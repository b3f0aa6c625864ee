import Foundation
import ReleaseLedgerCore
import Testing

/// Static tokens and scopes through a real server and the real client: what each credential may
/// record, and that a refused request exits 77 and writes nothing.
@Suite struct ScopedAccessTests {
    let sha = RemoteClientTests.sha

    /// Grants a token on the server's ledger file, as `token create` does before `serve`.
    func grant(_ name: String, _ scopes: String, on server: ServerProcess) throws -> String {
        let created = try RemoteClientTests.cli(
            ["token", "create", "--name", name, "--scope", scopes, "--db", server.database], in: server.folder)
        #expect(created.code == 0, "\(created.err)")
        return created.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func events(_ server: ServerProcess) throws -> Int {
        let status = try RemoteClientTests.cli(["events", "--db", server.database], in: server.folder)
        return status.out.split(separator: "\n").count
    }

    @Test func eachCredentialRecordsOnlyWhatItsScopesAllow() throws {
        let server = ServerProcess(arguments: [])
        _ = try RemoteClientTests.cli(["init", "--db", server.database], in: server.folder)
        let candidate = try grant("freezer", "candidate", on: server)
        let production = try grant("deployer", "production,audit", on: server)
        let revoked = try grant("gone", "candidate,production,audit", on: server)
        #expect(
            try RemoteClientTests.cli(["token", "revoke", "gone", "--db", server.database], in: server.folder).code == 0
        )
        let url = try server.start()
        defer { server.stop() }
        let tokenEvents = try events(server)

        func run(_ arguments: [String], token: String?) throws -> RemoteClientTests.Run {
            var environment = ["RELEASE_LEDGER_URL": url, "RELEASE_LEDGER_BUSY_TIMEOUT_MS": "2000"]
            if let token { environment["RELEASE_LEDGER_TOKEN"] = token }
            return try RemoteClientTests.cli(arguments, in: server.folder, environment: environment)
        }
        let freeze = [
            "freeze", "--sha", sha, "--api-image", RemoteClientTests.digest("api"), "--web-image",
            RemoteClientTests.digest("web"), "--scope", "runtime",
        ]
        // No credential, a made-up one, a revoked one: 401, exit 77, nothing written.
        for token in [nil, "rlt_" + String(repeating: "A", count: 43), revoked] {
            let refused = try run(freeze, token: token)
            #expect(refused.code == 77, "\(token ?? "none"): \(refused.err)")
        }
        // The production credential may not freeze; the candidate one may not read or deploy.
        #expect(try run(freeze, token: production).code == 77)
        #expect(try events(server) == tokenEvents)
        let frozen = try run(freeze, token: candidate)
        #expect(frozen.code == 0, "\(frozen.err)")
        #expect(try run(["status"], token: candidate).code == 77)
        let deploy = [
            "deploy", "--sha", sha, "--app", "api", "--image", RemoteClientTests.digest("api"), "--outcome",
            "succeeded",
        ]
        #expect(try run(deploy, token: candidate).code == 77)
        #expect(try events(server) == tokenEvents + 1)
        // Reads with audit work, and the recorded identity is the verified token's, not the actor's.
        let shown = try run(["events", "--sha", sha], token: production)
        #expect(shown.code == 0, "\(shown.err)")
        #expect(shown.out.contains(#""subject":"token:freezer""#), "\(shown.out)")
        #expect(shown.out.contains(#""actor":"release-bot""#))
    }

    @Test func aClientCannotClaimAnIdentity() throws {
        let server = ServerProcess(arguments: [])
        _ = try RemoteClientTests.cli(["init", "--db", server.database], in: server.folder)
        let token = try grant("notes", "candidate,audit", on: server)
        let url = try server.start()
        defer { server.stop() }
        let line =
            #"{"type":"x-note","sha":"\#(sha)","data":{"text":"hi"},"metadata":{"identity":{"subject":"someone-else"}}}"#
        let file = server.folder + "/batch.jsonl"
        try line.write(toFile: file, atomically: true, encoding: .utf8)
        let claimed = try RemoteClientTests.cli(
            ["append", "--batch", file], in: server.folder,
            environment: ["RELEASE_LEDGER_URL": url, "RELEASE_LEDGER_TOKEN": token])
        #expect(claimed.code == 65, "\(claimed.err)")
        #expect(claimed.err.contains("metadata.identity"))
    }
}
