import Foundation
import Testing
@testable import ReleaseLedgerCore
@testable import SecretScanning

/// Issue 12, items 12–15: provider token shapes, secrets hidden by nesting or `NAME: value` text,
/// the envelope strings, and error messages. Fixtures are fake and assembled from pieces so that
/// secret scanners run over this repository do not flag this file.
enum HardeningFixture {
    static let awsKeyID = "AKIA" + "LALEMEL33243OLIB"
    static let awsSessionKeyID = "ASIA" + "Z3K7QW2M4N5P6R7S"
    static let awsSecretKey = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
    static let slackBot = "xoxb" + "-1234567890-1234567890123-" + "aBcDeFgHiJkLmNoPqRsTuVwX"
    static let slackUser = "xoxp" + "-1234567890-1234567890-1234567890-" + "5f11af726707e37ab726abea027d27a1"
    static let slackApp = "xapp" + "-1-A0123456789-1234567890123-" + "5f11af726707e37ab726abea027d27a1"
    static let slackWebhook = "https://hooks.slack.com/services/" + "T00000000/B00000000/" + "XXXXXXXXXXXXXXXXXXXXXXXX"
    static let stripeLive = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    static let stripeRestricted = "rk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc"
    static let gitLabPAT = "glpat" + "-a7rhywlOQc22s2wu6ksw"
    static let gitLabTrigger = "glptt" + "-6a2ebf582d778fbabc413dfa97e0dfd6b4ce5c2e"
    static let gitLabRunner = "GR1348941" + "PQrAlrwIUScCvc8l6dWY"
    static let gitLabDeploy = "gldt" + "-Xq3WvRt5Yu7Io9Pa1Sd2"
    /// The form the Entra portal issues, as in the runbook's `API_SMOKE_ALLOWED_CLIENT_SECRET`.
    static let entraSecret = "Jk7" + "8Q~" + "Ab.CdEfGh_IjKlMnOp~QrStUvWxYz0123-"
    static let bearer = "ya29" + ".a0AfH6SMBx3kq7YxY2Zw9Lm"
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static func base64URL(_ text: String) -> String {
        base64(text).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

// MARK: - 14. Provider token shapes

@Suite struct ProviderTokenTests {
    typealias F = HardeningFixture

    static let credentials: [(String, SecretKind)] = [
        (F.awsKeyID, .awsAccessKey),
        (F.awsSessionKeyID, .awsAccessKey),
        ("aws_access_key_id=" + F.awsKeyID, .awsAccessKey),
        ("aws_secret_access_key: \"" + F.awsSecretKey + "\"", .awsSecretKey),
        ("AWS deploy role, secret " + F.awsSecretKey, .awsSecretKey),
        (F.slackBot, .slackToken),
        (F.slackUser, .slackToken),
        (F.slackApp, .slackToken),
        ("notify " + F.slackWebhook, .slackToken),
        (F.stripeLive, .stripeKey),
        (F.stripeRestricted, .stripeKey),
        (F.gitLabPAT, .gitLabToken),
        (F.gitLabTrigger, .gitLabToken),
        (F.gitLabRunner, .gitLabToken),
        (F.gitLabDeploy, .gitLabToken),
        ("https://oauth2:" + F.gitLabPAT + "@gitlab.example.com/acme/app.git", .gitLabToken),
        (F.entraSecret, .entraClientSecret),
        ("\"" + F.entraSecret + "\"", .entraClientSecret),
        ("API_SMOKE_ALLOWED_CLIENT_SECRET: " + F.entraSecret, .entraClientSecret),
        ("Authorization: Bearer " + F.bearer, .authorizationHeader),
        ("bearer " + F.bearer, .authorizationHeader),
        ("Authorization: Basic " + F.base64("release-bot:hunter2"), .authorizationHeader),
        ("curl -H 'Authorization: Basic " + F.base64("u:p4ss") + "'", .authorizationHeader),
        ("Bearer " + Fixture.gitHubToken("ghs"), .gitHubToken),  // the token itself is named
    ]

    @Test(arguments: credentials)
    func detectsProviderCredential(value: String, kind: SecretKind) {
        #expect(detected(value) == kind)
    }

    static let lookalikes = [
        "AKIAIOSFODNN7EXAMPLE",  // AWS's documentation key
        "AKIA" + "lalemel33243olib",  // lower case
        "AKIA" + "11111111111111111",  // 1 is not base32
        "XAKIA" + "LALEMEL33243OLIB",  // inside a word
        "AKIA" + "LALEMEL33243OLIBQ",  // one character too many
        F.awsSecretKey,  // no AWS context: too common a shape to refuse alone
        "aws s3 cp ReleaseBundles/Api/v2024/Build/Acme12345.tgz s3://acme",  // a 40-character path
        "aws s3 cp x s3://ReleaseBundles/Api/v2024/Build/Acme12345",
        "aws-deploy " + Fixture.gitSHA,
        "xoxb-token", "xoxb-" + "abcdefghijklmnopqrstuvwxyz",  // no digit
        "https://hooks.slack.com/services/", "https://api.slack.com/apps",
        "sk_live_short", "pk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",  // publishable keys are public
        "disk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "glpat-short", "glpat" + "-a7rhywlOQc22s2wu6ks",  // 19
        "~/.config/release-ledger", "v1.2Q~", "Jk7" + "8Q~" + "short",
        "Jk7" + "8Q~" + "Ab.CdEfGh_IjKlMnOp~QrStUvWxYz0123-xyz",  // too long for the portal's form
        "bearer tokens are rotated daily", "Bearer ${{ secrets.API_TOKEN }}", "Bearer <token>", "Bearer $TOKEN",
        "Bearer realm=\"ledger\"", "basic authentication is disabled", "Basic realm=\"ledger\"",
        "the Authorization header uses Bearer authentication",
    ]

    @Test(arguments: lookalikes)
    func ignoresProviderLookalike(value: String) {
        #expect(detected(value) == nil)
    }

    static let wrapped: [(String, SecretKind)] = [
        (F.base64(Fixture.gitHubToken("ghp")), .gitHubToken),
        (F.base64URL(F.stripeLive), .stripeKey),
        ("token blob " + F.base64("client_secret=hunter2") + " end", .secretField),
        (F.base64("postgres://app:s3cr3t@db.internal:5432/ledger"), .passwordInURL),
    ]

    @Test(arguments: wrapped)
    func detectsBase64WrappedCredential(value: String, kind: SecretKind) {
        #expect(detected(value) == kind)
    }

    static let harmlessBase64 = [
        F.base64("hello world, this is a release note"), Fixture.base64Of32Bytes,
        "sha512-" + String(Fixture.azureAccountKey.prefix(86)) + "==", F.base64(F.base64("nothing to see here at all")),
    ]

    @Test(arguments: harmlessBase64)
    func harmlessBase64IsStored(value: String) {
        #expect(detected(value) == nil)
    }

    @Test func awsSecretKeyIsRefusedUnderItsNameAsKeyOrText() {
        #expect(detected(F.awsSecretKey, key: "aws_secret_access_key") == .secretField)
        #expect(detected(F.awsSecretKey, key: "AWS_SECRET_ACCESS_KEY") == .secretField)
        #expect(detected("aws_secret_access_key = " + F.awsSecretKey) == .awsSecretKey)
        #expect(detected("AWS_SECRET_ACCESS_KEY: " + F.awsSecretKey) == .awsSecretKey)
    }
}

// MARK: - 13. Secrets in `NAME: value` text

@Suite struct CredentialLabelTextTests {
    static let secrets = [
        "API_SMOKE_ALLOWED_CLIENT_SECRET: s3cr3t-value",
        "export POSTGRES_ADMIN_PASSWORD: hunter2",
        #"{"client_secret":"hunter2"}"#,
        #"config {'password': 'hunter2'}"#,
        "clientSecret:hunter2",
        "password: " + Fixture.base62Of40,  // a bare word counts when the value is a random token
        "DB_CLIENT_SECRET = hunter2",
        "API_SMOKE_ALLOWED_CLIENT_SECRET: correcthorse",  // a single word is still a value
    ]

    @Test(arguments: secrets)
    func secretInNameColonValueTextIsRefused(value: String) {
        #expect(detected(value) == .secretField)
    }

    static let harmless = [
        "invalid token: 401 Unauthorized",
        "refresh token: expired",
        "permissions: id-token: write",
        "GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
        "API_SMOKE_ALLOWED_CLIENT_SECRET: ***",
        "API_SMOKE_ALLOWED_CLIENT_SECRET:",
        "DB_PASSWORD: missing",
        "client secret: see the runbook",
        "required secrets: API_SMOKE_ALLOWED_CLIENT_SECRET, API_SMOKE_DENIED_CLIENT_SECRET",
        "token://broker.internal",
        "if password == null then fail",
        "case .jsonWebToken: 1",
        "markdown: permissions `id-token: write`, then `GITHUB_TOKEN=`",
        #"metadata: {"password": "x"}"#,
        #"docs: {"client_secret":["…"]}"#,
        #"case jsonWebToken = "JSON Web Token""#,
        "release-ledger: error: data.client_secret: looks like a secret (value of a client_secret-style field)",
    ]

    @Test(arguments: harmless)
    func harmlessLabelTextIsStored(value: String) {
        #expect(detected(value) == nil)
    }
}

// MARK: - 13. Nesting

@Suite struct NestedSecretTests {
    func finding(_ json: String) throws -> SecretFinding? {
        SecretWalk.firstFinding(in: try JSONParser.parse(json), path: "data")
    }

    @Test func nestedSecretUnderSecretNamedKeyIsRefused() throws {
        let inArray = try finding(#"{"client_secret":["hunter2"]}"#)
        #expect(inArray == SecretFinding(field: "data.client_secret[0]", kind: .secretField))
        let inObject = try finding(#"{"password":{"value":"hunter2"}}"#)
        #expect(inObject == SecretFinding(field: "data.password.value", kind: .secretField))
        #expect(try finding(#"{"auth":{"password":{"v":["x",{"w":"hunter2"}]}}}"#)?.field == "data.auth.password.v[0]")
        #expect(try finding(#"{"notes":["API_SMOKE_ALLOWED_CLIENT_SECRET: hunter2"]}"#)?.kind == .secretField)
    }

    @Test func membersDescribingASecretAreStored() throws {
        let described = #"""
            {"client_secret":{"name":"API_SMOKE_ALLOWED_CLIENT_SECRET","expiresAt":"2026-12-01T00:00:00Z",
             "keyVault":"kv-acme","secretId":"8d3242b4-3187-4e2c-b508-09844ba589e4","value":"${{ secrets.X }}"},
             "tokens":["API_SMOKE_ALLOWED_CLIENT_SECRET","AUTH_DELEGATED_PROBE_TOKEN"],
             "tags":["release","v1.4.2"],"scopes":["runtime","infra"]}
            """#
        #expect(try finding(described) == nil)
    }
}

// MARK: - 15. Messages

@Suite struct RedactionTests {
    typealias F = HardeningFixture

    @Test func errorMessageNeverEchoesASecretWord() {
        let token = Fixture.gitHubToken("ghp")
        let message = "release-ledger: error: The value '\(token)' is invalid for '--scope <scope>'"
        let redacted = SecretScanner.redactingSecrets(in: message)
        #expect(redacted == "release-ledger: error: The value [redacted] is invalid for '--scope <scope>'")
    }

    @Test func credentialAfterAnAuthorizationSchemeIsRedacted() {
        let redacted = SecretScanner.redactingSecrets(in: "cannot parse 'Bearer \(F.bearer)'")
        #expect(!redacted.contains(F.bearer))
    }

    @Test func refusedArgumentIsRedactedWherever() {
        let input = "API_SMOKE_ALLOWED_CLIENT_SECRET: hunter2"
        let message = "error: --since must be a time, not '\(input)'"
        let redacted = SecretScanner.redactingSecrets(in: message, inputs: ["--since", input])
        #expect(!redacted.contains("hunter2"))
        let option = SecretScanner.redactingSecrets(
            in: "unknown option '\(F.stripeLive)'", inputs: ["--x=" + F.stripeLive])
        #expect(!option.contains(F.stripeLive))
    }

    @Test func ordinaryMessagesAreUnchanged() {
        let messages = [
            "release-ledger: error: data.client_secret: looks like a secret (value of a client_secret-style field); "
                + "the ledger never stores credentials",
            "release-ledger: error: sha: must be a commit SHA of 40 lowercase hex digits",
            "release-ledger: error: refused by rule 4: candidate \(Fixture.gitSHA) image sha256:\(Fixture.sha256Hex)",
            "release-ledger: error: no ledger at /tmp/x/.release-ledger/ledger.sqlite; run `release-ledger init`",
        ]
        for message in messages {
            #expect(SecretScanner.redactingSecrets(in: message, inputs: ["--sha", Fixture.gitSHA]) == message)
        }
    }
}

// MARK: - 12. Envelope strings

@Suite struct EnvelopeSecretTests {
    @Test func secretInIdStreamOrTypeIsFound() {
        let token = Fixture.gitHubToken("ghp")
        let sha = Fixture.gitSHA
        #expect(SecretScanner.firstFinding(id: token, stream: nil, type: "x-note", sha: sha)?.field == "id")
        #expect(SecretScanner.firstFinding(id: nil, stream: "s-" + token, type: "x-note", sha: sha)?.field == "stream")
        #expect(SecretScanner.firstFinding(id: "r1", stream: "s", type: "x-" + token, sha: sha)?.field == "type")
        #expect(SecretScanner.firstFinding(id: Fixture.uuid, stream: "candidate-" + sha, type: "x-a", sha: sha) == nil)
    }
}
