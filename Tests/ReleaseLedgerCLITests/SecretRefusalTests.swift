import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The ledger never stores a credential: payloads and metadata are scanned before append.
@Suite struct SecretRefusalTests {
    static let sha = Fixtures.sha(1)
    // Built from pieces so secret scanners in the repository do not flag this file.
    static let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    static let github = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"

    static let cases: [(name: String, data: String, field: String)] = [
        ("jwt", #"{"text":"Bearer \#(jwt)"}"#, "data.text"),
        ("pem", #"{"key":"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"}"#, "data.key"),
        ("github", #"{"notes":[{"token":"\#(github)"}]}"#, "data.notes[0].token"),
        ("azure", #"{"conn":"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=\#(String(repeating: "Ab3+", count: 22))==;EndpointSuffix=core.windows.net"}"#, "data.conn"),
        ("client_secret", #"{"client_secret":"s3cr3t-value-123"}"#, "data.client_secret"),
        ("url password", #"{"db":"postgres://admin:hunter2@db.internal:5432/app"}"#, "data.db"),
        ("entropy", #"{"signingKey":"Zx8Qp2Lm9Vt4Rb7Nc1Hs6Kd3Wf5Gy0Ja"}"#, "data.signingKey"),
    ]

    @Test(arguments: cases.map(\.name))
    func secretInAPayloadIsRefusedWithoutEchoingIt(_ name: String) throws {
        let item = try #require(Self.cases.first { $0.name == name })
        let cli = CLIHarness()
        let result = cli.run(["append", "--type", "x-note", "--sha", Self.sha, "--data", item.data])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains(item.field), "\(result.stderr)")
        #expect(result.stderr.contains("secret"))
        // No fragment of the value reaches the message.
        let value = try JSONParser.parse(item.data)
        let strings = Self.strings(in: value).filter { $0.count >= 8 }
        for text in strings { #expect(!result.stderr.contains(String(text.suffix(8))), "the message echoes the value") }
        if FileManager.default.fileExists(atPath: cli.defaultLedger) { #expect(try cli.store().head().position == 0) }
    }

    @Test func secretInMetadataIsRefused() throws {
        let cli = CLIHarness()
        let result = cli.run(["append", "--type", "x-note", "--sha", Self.sha, "--data", "{}", "--actor", Self.github])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("metadata.actor"))
        #expect(!result.stderr.contains(Self.github))
    }

    @Test func digestsShasAndUUIDsAreNotSecrets() throws {
        let cli = CLIHarness()
        let data = """
            {"image":"\(Fixtures.digest("api", 1))","commit":"\(Self.sha)","key":"\(Self.sha)","idempotencyKey":"\(RandomUUIDGenerator().next())",
             "checksum":"sha256:\(ChainHasher.hash("x"))","url":"https://github.com/acme/shop/actions/runs/123","api":"api://compass-api"}
            """
        let result = cli.run(["append", "--type", "x-note", "--sha", Self.sha, "--data", data])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let freeze = cli.run(["freeze", "--sha", Self.sha, "--api-image", Fixtures.digest("api", 1), "--web-image", Fixtures.digest("web", 1), "--scope", "runtime"])
        #expect(freeze.exitCode == 0, "\(freeze.stderr)")
    }

    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .array(let items): return items.flatMap(strings)
        case .object(let object): return object.flatMap { strings(in: $0.value) }
        default: return []
        }
    }
}
