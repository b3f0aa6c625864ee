import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The ledger never stores a credential: payloads and metadata are scanned before append.
@Suite struct SecretRefusalTests {
    static let sha = Fixtures.sha(1)
    // Built from pieces so secret scanners in the repository do not flag this file.
    static let jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + "."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    static let github = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"

    static let cases: [(name: String, data: String, field: String)] = [
        ("jwt", #"{"text":"Bearer \#(jwt)"}"#, "data.text"),
        (
            "pem", #"{"key":"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"}"#,
            "data.key"
        ),
        ("github", #"{"notes":[{"token":"\#(github)"}]}"#, "data.notes[0].token"),
        (
            "azure",
            #"{"conn":"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=\#(String(repeating: "Ab3+", count: 22))==;EndpointSuffix=core.windows.net"}"#,
            "data.conn"
        ),
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
        let freeze = cli.run([
            "freeze", "--sha", Self.sha, "--api-image", Fixtures.digest("api", 1), "--web-image",
            Fixtures.digest("web", 1), "--scope", "runtime",
        ])
        #expect(freeze.exitCode == 0, "\(freeze.stderr)")
    }

    // Issue 12, item 12: the envelope strings are stored too.
    static let envelopeOptions: [(option: String, value: String, field: String)] = [
        ("--id", github, "id"), ("--stream", "stream-" + github, "stream"), ("--type", "x-" + github, "type"),
        ("--id", "API_SMOKE_ALLOWED_CLIENT_SECRET=" + "s3cr3t-value", "id"),
    ]

    @Test(arguments: envelopeOptions.indices)
    func secretInIdStreamOrTypeIsRefused(_ index: Int) throws {
        let item = Self.envelopeOptions[index]
        let cli = CLIHarness()
        #expect(cli.run(["init"]).exitCode == 0)
        var arguments = ["append", "--sha", Self.sha, "--data", "{}", item.option, item.value]
        if item.option != "--type" { arguments += ["--type", "x-note"] }
        let result = cli.run(arguments)
        #expect(result.exitCode == 65, "\(result.stderr)")
        let expected = "release-ledger: error: \(item.field): looks like a secret"
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t") && !result.stderr.contains(String(Self.github.suffix(8))))
        #expect(try cli.store().head().position == 0)
    }

    @Test func secretInABatchLineIdIsRefused() throws {
        let cli = CLIHarness()
        #expect(cli.run(["init"]).exitCode == 0)
        let line = #"{"type":"x-note","sha":"\#(Self.sha)","id":"\#(Self.github)","data":{}}"#
        let result = cli.run(["append", "--batch", "-"], stdin: line + "\n")
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(!result.stderr.contains(Self.github))
        #expect(try cli.store().head().position == 0)
    }

    // Issue 12, item 13: nesting and `NAME: value` text.
    static let nestedCases: [(data: String, field: String)] = [
        (#"{"client_secret":["s3cr3t-value-123"]}"#, "data.client_secret[0]"),
        (#"{"password":{"value":"s3cr3t-value-123"}}"#, "data.password.value"),
        (#"{"log":"API_SMOKE_ALLOWED_CLIENT_SECRET: s3cr3t-value-123"}"#, "data.log"),
    ]

    @Test(arguments: nestedCases.indices)
    func nestedOrTextSecretIsRefused(_ index: Int) throws {
        let item = Self.nestedCases[index]
        let cli = CLIHarness()
        let result = cli.run(["append", "--type", "x-note", "--sha", Self.sha, "--data", item.data])
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(result.stderr.contains(item.field + ": looks like a secret"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"))
        if FileManager.default.fileExists(atPath: cli.defaultLedger) { #expect(try cli.store().head().position == 0) }
    }

    // Issue 12, item 15: no error line echoes a value the scanner would refuse.
    static let echoingCommands: [[String]] = [
        [
            "freeze", "--sha", sha, "--api-image", Fixtures.digest("api", 1), "--web-image", Fixtures.digest("web", 1),
            "--scope", github,
        ],
        ["append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", github],
        ["metrics", "--since", github],
        ["metrics", "--since", "API_SMOKE_ALLOWED_CLIENT_SECRET: s3cr3t-value"],
        ["at", github],
        ["show", github],
        ["materialize", "--sha", github],
        ["status", "--no-such-option=" + github],
        ["status", github],
        ["append", "--type", "x-note", "--sha", github, "--data", "{}"],
        ["append", "--type", "x-note", "--sha", sha, "--data", "@/no/such/" + github],
        ["verify", "--anchor", github],
        ["history", "--bogus", github],
        ["status", "--busy-timeout", github],
        ["status", "--format", "Bearer " + github.dropFirst(4)],
    ]

    @Test(arguments: echoingCommands.indices)
    func errorsNeverEchoASecretInput(_ index: Int) throws {
        let cli = CLIHarness()
        cli.prepare(1)
        let result = cli.run(Self.echoingCommands[index])
        #expect(result.exitCode != 0)
        #expect(!result.stderr.isEmpty)
        #expect(!result.stderr.contains(String(Self.github.suffix(8))), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"), "\(result.stderr)")
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
