import Foundation
import OIDCTestSupport
import ReleaseLedgerAuth
import ReleaseLedgerCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The provider's keys fetched over HTTP from a real server on loopback (Python's http.server
/// serving a folder), loaded again when the provider rotates, kept when it goes away.
@Suite struct JWKSOverHTTPTests {
    final class FileServer {
        let process = Process()
        let port: Int

        init(folder: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder,
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 38123 (http://127.0.0.1:38123/) ..."
            var text = ""
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: "port "), let port = Int(text[range.upperBound...].prefix { $0.isNumber })
            else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.fileReadUnknown)
            }
            self.port = port
        }

        /// SIGKILL, not SIGTERM: a child inherits the signal mask of the thread that spawned it, and
        /// a test thread may block SIGTERM, so Python would never see it (this test once hung here).
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test
    func keysComeFromTheURLAndRotatedKeysAreFetchedAgain() async throws {
        let folder = FileManager.default.temporaryDirectory.path + "/release-ledger-jwks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let first = OIDCTestKey.ec(kid: "ec-1")
        try GitHubOIDC.writeJWKS([first], to: folder + "/jwks")
        let server = try FileServer(folder: folder)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/jwks"
        let oidc = OIDCConfiguration(
            issuer: GitHubOIDC.issuer, audience: GitHubOIDC.audience, jwks: JWKSLocation(url), minimumRefreshSeconds: 0)
        #expect(oidc.jwks == .url(url))
        let policy = try AccessPolicy(json: Array(AccessPolicyTests.file.utf8))
        let authenticator = try Authenticator(.init(oidc: oidc, policy: policy))
        let token = try GitHubOIDC.mint(GitHubOIDC.claims(), key: first)
        #expect(
            try await authenticator.authenticate(authorization: "Bearer \(token)").get().scopes == [
                .production, .audit,
            ])

        let rotated = try OIDCTestKey.rsa(kid: "rsa-2")
        try GitHubOIDC.writeJWKS([first, rotated], to: folder + "/jwks")
        let rotatedToken = try GitHubOIDC.mint(GitHubOIDC.claims(environment: "acceptance"), key: rotated)
        #expect(
            try await authenticator.authenticate(authorization: "Bearer \(rotatedToken)").get().scopes == [
                .acceptance, .audit,
            ])

        server.stop()
        // The provider is gone: keys already loaded still verify; a server that has none says 503.
        #expect(
            try await authenticator.authenticate(authorization: "Bearer \(token)").get().subject
                == "repo:acme/app:environment:production")
        let fresh = try Authenticator(.init(oidc: oidc, policy: policy))
        guard case .failure(.unavailable(let message)) = await fresh.authenticate(authorization: "Bearer \(token)")
        else {
            Issue.record("an unreachable JWKS was not 503")
            return
        }
        #expect(message.hasPrefix("cannot load the OIDC signing keys from \(url): cannot fetch \(url): "))
    }

    @Test
    func aJWKSAnswerOtherThan200IsNotUsed() async throws {
        let folder = FileManager.default.temporaryDirectory.path + "/release-ledger-jwks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let server = try FileServer(folder: folder)
        defer { server.stop() }
        let oidc = OIDCConfiguration(
            issuer: GitHubOIDC.issuer, audience: GitHubOIDC.audience,
            jwks: .url("http://127.0.0.1:\(server.port)/missing"))
        let authenticator = try Authenticator(
            .init(oidc: oidc, policy: try AccessPolicy(json: Array(AccessPolicyTests.file.utf8))))
        let token = try GitHubOIDC.mint(GitHubOIDC.claims(), key: OIDCTestKey.ec(kid: "ec-1"))
        let result = await authenticator.authenticate(authorization: "Bearer \(token)")
        #expect(
            result
                == .failure(
                    .unavailable(
                        "cannot load the OIDC signing keys from http://127.0.0.1:\(server.port)/missing: the server answered 404"
                    )))
    }
}
