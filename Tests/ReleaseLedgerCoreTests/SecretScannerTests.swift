import Testing
@testable import ReleaseLedgerCore
@testable import SecretScanning

/// Credential-shaped fixtures. They are fake, and assembled from pieces at run time so that
/// secret scanners run over this repository (gitleaks, push protection) do not flag this file.
enum Fixture {
    static let gitHubBody = "3TtrdQz44S2FlFfL4jdU96poSWPNS4TqIXEw"  // 36 base62
    static func gitHubToken(_ prefix: String) -> String { prefix + "_" + gitHubBody }
    static let fineGrainedPAT =
        "github" + "_pat_" + "JWvyVxRlb5lLcublASPGx3_N0vG6wcsmVEenNlytTQn5MeQUbqJLpFOD6aAgB1OlMUXgbylToNokNrhWBv"

    static let jwtHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  // {"alg":"HS256","typ":"JWT"}
    static let jwtPayload = "eyJzdWIiOiJyZWxlYXNlLWJvdCIsImlhdCI6MTczMjkwMDAwMH0"
    static let jwtSignature = "TXRJtCRv39RMvKRyus3iceUdsGC2rbxlASm7nZRyVGU"
    static let jwt = [jwtHeader, jwtPayload, jwtSignature].joined(separator: ".")
    /// Header {"typ":"JWT","alg":"RS256","kid":"abc"}: `alg` is not the first member.
    static let rs256JWT = [
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyJ9", jwtPayload,
        "YE3Gq2AGyGr1e-9Xt1NF8ZGjbGy7GK986vhwn9XogGBqfKDPEV0EMIWRvg_g2bodS_6wOPb7GHXVhzUWmkBFR2GOddbp2hHHyQK4z05N",
    ].joined(separator: ".")

    /// 64 random bytes in base64: the shape of an Azure storage account key.
    static let azureAccountKey =
        "BXYll1iGrixcTS3dV6ZVk7N+4cATF03KDeC18YzeCSeyl6mAehzg"
        + "ej8/8sA067YIAqAIaOhJ4ngLLFclwBSP9A=="
    static let base64Of32Bytes = "PGv/k/29vgV6tJ+V6XhIM9H6YiyVWxBzc3uZJaYpq4s="
    static let base62Of40 = "VLzQziiZRCTrGnVC3KHCrj4eC8fhwCiJLwgmuuqm"
    /// Random hex whose entropy (3.31 bits/char) sits between the hex and general thresholds.
    static let lowEntropyHexKey = "5f11af726707e37ab726abea027d27a1"

    static func pemHeader(_ label: String) -> String { "-----" + "BEGIN " + label + "-----" }

    static let gitSHA = "1cf2c211f67f12a6982d6f3dd5471aa3cfb2a64b"
    static let sha256Hex = "e90ee1a7d0f8a0208d0694edc5c112c84f065191532106d16785a842ecb10c6a"
    static let uuid = "8d3242b4-3187-4e2c-b508-09844ba589e4"
}

/// The kind found for `value` under `key`, or nil when the value may be stored.
func detected(_ value: String, key: String? = nil) -> SecretKind? {
    SecretScanner.scan(value: value, key: key, field: "data.test")?.kind
}

// MARK: - Findings

@Suite struct SecretFindingTests {
    @Test func findingNamesTheFieldAndKind() {
        let finding = SecretScanner.scan(
            value: "hunter2", key: "password", field: "data.evidence[0].credentials.password")
        #expect(finding == SecretFinding(field: "data.evidence[0].credentials.password", kind: .secretField))
    }

    @Test func findingNeverCarriesTheValue() throws {
        let secret = "s3cr3t-" + Fixture.base62Of40
        let finding = try #require(
            SecretScanner.scan(value: secret, key: "clientSecret", field: "metadata.clientSecret"))
        #expect(!String(describing: finding).contains(secret))
        #expect(!String(reflecting: finding).contains(secret))
        #expect(!finding.kind.rawValue.contains(secret))
    }

    @Test func cleanValueHasNoFinding() {
        #expect(
            SecretScanner.scan(value: "browser smoke failed on login page", key: "reason", field: "data.reason") == nil)
    }

    @Test func kindsReadAsMessagePhrases() {
        #expect(SecretKind.allCases.count == 16)
        #expect(SecretKind.jsonWebToken.rawValue == "JSON Web Token")
        #expect(SecretKind.privateKey.rawValue == "PEM private key")
        #expect(SecretKind.gitHubToken.rawValue == "GitHub token")
        #expect(SecretKind.azureStorageKey.rawValue == "Azure storage account key")
        #expect(SecretKind.connectionString.rawValue == "connection string with a credential")
        #expect(SecretKind.secretField.rawValue == "value of a client_secret-style field")
        #expect(SecretKind.passwordInURL.rawValue == "password in a URL")
        #expect(SecretKind.highEntropyUnderSecretKey.rawValue == "high-entropy value under a key named like a secret")
        #expect(SecretKind.awsAccessKey.rawValue == "AWS access key id")
        #expect(SecretKind.awsSecretKey.rawValue == "AWS secret access key")
        #expect(SecretKind.slackToken.rawValue == "Slack token")
        #expect(SecretKind.stripeKey.rawValue == "Stripe secret key")
        #expect(SecretKind.gitLabToken.rawValue == "GitLab token")
        #expect(SecretKind.entraClientSecret.rawValue == "Entra ID client secret")
        #expect(SecretKind.authorizationHeader.rawValue == "Basic or bearer authorization value")
        #expect(SecretKind.releaseLedgerToken.rawValue == "release-ledger access token")
    }

    static let exampleForEachKind: [(SecretKind, String, String?)] = [
        (.jsonWebToken, "Bearer " + Fixture.jwt, nil),
        (.privateKey, Fixture.pemHeader("RSA PRIVATE KEY"), nil),
        (.gitHubToken, Fixture.gitHubToken("ghp"), nil),
        (.azureStorageKey, Fixture.azureAccountKey, nil),
        (.connectionString, "Server=db;Password=hunter2", nil),
        (.secretField, "hunter2", "client_secret"),
        (.passwordInURL, "https://bot:hunter2@example.com", nil),
        (.highEntropyUnderSecretKey, Fixture.base62Of40, "signing_key"),
        (.awsAccessKey, HardeningFixture.awsKeyID, nil),
        (.awsSecretKey, "aws_secret_access_key=" + HardeningFixture.awsSecretKey, nil),
        (.slackToken, HardeningFixture.slackBot, nil),
        (.stripeKey, HardeningFixture.stripeLive, nil),
        (.gitLabToken, HardeningFixture.gitLabPAT, nil),
        (.entraClientSecret, HardeningFixture.entraSecret, nil),
        (.authorizationHeader, "Bearer " + HardeningFixture.bearer, nil),
        (.releaseLedgerToken, "token " + StaticToken.prefix + Fixture.base62Of40 + "xyz", nil),
    ]

    @Test(arguments: SecretKind.allCases)
    func everyKindIsDetectable(kind: SecretKind) throws {
        let example = try #require(Self.exampleForEachKind.first { $0.0 == kind })
        #expect(detected(example.1, key: example.2) == kind)
    }
}

// MARK: - 1. JSON Web Tokens

@Suite struct JSONWebTokenTests {
    static let tokens = [
        Fixture.jwt,
        "Bearer " + Fixture.jwt,
        "Authorization: Bearer " + Fixture.jwt + " (expired)",
        "https://app.example.com/callback#id_token=" + Fixture.jwt,
        "\n  " + Fixture.jwt + "\n",
        Fixture.rs256JWT,
        "\"" + Fixture.jwt + "\"",
    ]

    @Test(arguments: tokens)
    func detectsJWT(value: String) {
        #expect(detected(value) == .jsonWebToken)
    }

    static let lookalikes = [
        Fixture.jwtHeader,  // header alone
        Fixture.jwtHeader + "." + Fixture.jwtPayload,  // two segments
        Fixture.jwtHeader + "." + Fixture.jwtPayload + ".abc",  // signature too short
        "eyJ.eyJ.eyJ",
        "eyJump-host-01.prod-cluster.internal-example-net",  // dotted name; header has no "alg"
        "keyJenkins.pipeline-config.release-candidate-42",  // `eyJ` inside a word
    ]

    @Test(arguments: lookalikes)
    func ignoresJWTLookalikes(value: String) {
        #expect(detected(value) == nil)
    }

    @Test func valueShapeIsReportedOverKeyName() {
        #expect(detected(Fixture.jwt, key: "token") == .jsonWebToken)
        #expect(detected(Fixture.jwt, key: "accessToken") == .jsonWebToken)
    }
}

// MARK: - 2. PEM private keys

@Suite struct PrivateKeyTests {
    static let labels = [
        "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PRIVATE KEY",
        "DSA PRIVATE KEY", "PGP PRIVATE KEY BLOCK",
    ]

    @Test(arguments: labels)
    func detectsPrivateKeyHeader(label: String) {
        #expect(detected(Fixture.pemHeader(label)) == .privateKey)
    }

    @Test func detectsKeyInsideMultilineText() {
        let value =
            "signing key follows:\n" + Fixture.pemHeader("PRIVATE KEY")
            + "\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"
        #expect(detected(value) == .privateKey)
    }

    static let lookalikes = [
        Fixture.pemHeader("CERTIFICATE")
            + "\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
        Fixture.pemHeader("PUBLIC KEY"),
        Fixture.pemHeader("RSA PUBLIC KEY"),
        "-----" + "BEGIN PRIVATE KEY",  // armour never closed
        "rotate the private key before the release",
        "------------------------------",
        "BEGIN PRIVATE KEY",
    ]

    @Test(arguments: lookalikes)
    func ignoresNonPrivateKeyArmour(value: String) {
        #expect(detected(value) == nil)
    }
}

// MARK: - 3. GitHub tokens

@Suite struct GitHubTokenTests {
    @Test(arguments: ["ghp", "gho", "ghu", "ghs", "ghr"])
    func detectsClassicToken(prefix: String) {
        #expect(detected(Fixture.gitHubToken(prefix)) == .gitHubToken)
    }

    @Test func detectsFineGrainedToken() {
        #expect(detected(Fixture.fineGrainedPAT) == .gitHubToken)
        #expect(detected("github" + "_pat_" + String(repeating: "a1_", count: 8)) == .gitHubToken)  // 24 chars
    }

    @Test func detectsTokenInsideText() {
        #expect(detected("GH_TOKEN was " + Fixture.gitHubToken("ghs") + " at the time") == .gitHubToken)
    }

    @Test func tokenInURLIsReportedAsGitHubToken() {
        let url = "https://x-access-token:" + Fixture.gitHubToken("ghs") + "@github.com/acme/app.git"
        #expect(detected(url) == .gitHubToken)
    }

    static let lookalikes = [
        "ghp" + "_" + String(Fixture.gitHubBody.dropLast()),  // 35 characters
        "ghx" + "_" + Fixture.gitHubBody,  // unknown prefix
        "github" + "_pat_" + String(repeating: "a", count: 21),
        "ghp_tooling is the team repository",
        "https://github.com/acme/ghp_tools/actions/runs/123",
        "github_actions_release",
    ]

    @Test(arguments: lookalikes)
    func ignoresLookalikes(value: String) {
        #expect(detected(value) == nil)
    }
}

// MARK: - 4. Azure storage keys and connection strings

@Suite struct AzureAndConnectionStringTests {
    static let credentials: [(String, SecretKind)] = [
        (
            "DefaultEndpointsProtocol=https;AccountName=acmerelease;Account" + "Key=" + Fixture.azureAccountKey
                + ";EndpointSuffix=core.windows.net", .azureStorageKey
        ),
        ("accountkey=abc123", .azureStorageKey),  // key names are case-insensitive
        (Fixture.azureAccountKey, .azureStorageKey),  // bare 88-character key
        ("storage key: " + Fixture.azureAccountKey + " (primary)", .azureStorageKey),
        (
            "https://acme.blob.core.windows.net/releases/app.zip?sv=2022-11-02&sp=r&se=2025-01-01T00:00:00Z&sig=AbCdEf%2Bghij%3D",
            .azureStorageKey
        ),
        ("sig=AbCdEf%2Bghij%3D&sv=2022-11-02&sp=r", .azureStorageKey),  // bare SAS token
        (
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;Shared"
                + "AccessKey="
                + Fixture.base64Of32Bytes, .connectionString
        ),
        ("BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv%3D2022-11-02", .connectionString),
        (
            "Server=tcp:acme.database.windows.net,1433;Database=ledger;User ID=release;Password=Tr0ub4dor&3;",
            .connectionString
        ),
        ("Host=db;Username=app;Pwd=hunter2", .connectionString),
        ("DRIVER={ODBC Driver 18};SERVER=db;UID=app;PWD={s3cr3t;pass}", .connectionString),
        ("Host=db;password='correct horse'", .connectionString),
        ("DB_PASSWORD=hunter2 ./migrate.sh", .connectionString),
        ("https://login.example.com/token?grant_type=client_credentials&client_secret=abc123", .secretField),
        ("release-cli --api-key=abc123def publish", .secretField),
    ]

    @Test(arguments: credentials)
    func detectsCredential(value: String, kind: SecretKind) {
        #expect(detected(value) == kind)
    }

    static let harmless = [
        "AccountName=acmerelease;EndpointSuffix=core.windows.net",
        "AccountName=acmerelease;AccountKey=;EndpointSuffix=core.windows.net",  // empty value
        "AccountKey=",
        "Server=db;Password=;",
        "Server=db;Password=$(DbPassword);",
        "Server=db;Password=${{ secrets.DB_PASSWORD }};",
        "Server=db;Password=<redacted>",
        "Server=db;Password=***",
        "UseDevelopmentStorage=true",
        "requirePassword=false",
        "passwordless=true",
        "PWD=/home/runner/work/app",  // working directory in an environment dump
        "OLDPWD=/home/runner",
        "https://acme.blob.core.windows.net/releases/app.zip",
        "https://example.com/search?q=sig",
        "https://example.com/?sig=&sv=2022",
        "Password reset flow failed in staging",
        String(Fixture.azureAccountKey.dropFirst()),  // 87 characters
        "A" + Fixture.azureAccountKey,  // 89 characters
        String(Fixture.azureAccountKey.dropLast(2)) + "AB",  // no `==` padding
    ]

    @Test(arguments: harmless)
    func ignoresHarmlessValue(value: String) {
        #expect(detected(value) == nil)
    }

    /// SHA-512 integrity digests and Ed25519 signatures share the 88-character key shape.
    @Test func signaturesAndIntegrityDigestsAreNotAccountKeys() {
        let sameShape = Fixture.azureAccountKey
        #expect(detected("sha512-" + sameShape, key: "integrity") == nil)
        #expect(detected("sha512-" + sameShape) == nil)
        #expect(detected("lockfile integrity sha512-" + sameShape + " verified") == nil)
        #expect(detected(sameShape, key: "signature") == nil)
        #expect(detected(sameShape, key: "artifactSha512Digest") == nil)
        #expect(detected(sameShape, key: "sig") == nil)
    }

    @Test func bareKeyShapeStillCountsUnderOtherKeys() {
        #expect(detected(Fixture.azureAccountKey, key: "value") == .azureStorageKey)
        #expect(detected(Fixture.azureAccountKey, key: "primaryKey") == .azureStorageKey)
        #expect(detected("AccountKey=" + Fixture.azureAccountKey, key: "signature") == .azureStorageKey)
    }
}

// MARK: - 5. client_secret-style fields

@Suite struct SecretFieldTests {
    static let secretKeys = [
        "clientSecret", "client_secret", "CLIENT-SECRET", "client.secret", "secret", "password", "Password", "passwd",
        "pwd", "passphrase", "apiKey", "api_key", "API-KEY", "accessKey", "secretKey", "privateKey", "token",
        "accessToken", "refresh_token", "id_token", "authToken", "signingSecret", "webhook_secret", "GITHUB_TOKEN",
        "dbPassword",
    ]

    @Test(arguments: secretKeys)
    func refusesRealValueUnderSecretKey(key: String) {
        #expect(detected("hunter2", key: key) == .secretField)
    }

    static let realValues = [
        // lower-case after `$` is not an env var
        "hunter2", "x", "changeme", "s3cr3t with spaces", Fixture.uuid, "$ecret99",
        "Bearer abc123",
    ]

    @Test(arguments: realValues)
    func anyRealValueIsRefused(value: String) {
        #expect(detected(value, key: "clientSecret") == .secretField)
    }

    static let placeholders = [
        "", "   ", "${{ secrets.CLIENT_SECRET }}", "$CLIENT_SECRET", "${CLIENT_SECRET}", "$(ClientSecret)",
        "%CLIENT_SECRET%", "{{ .Values.clientSecret }}", "<redacted>", "<your client secret>", "***", "xxxxxxxx",
        "[REDACTED]", "(masked)", "REDACTED", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
    ]

    @Test(arguments: placeholders)
    func placeholderIsNotASecret(value: String) {
        #expect(detected(value, key: "clientSecret") == nil)
    }

    @Test func permissionAndBooleanWordsAreNotSecrets() {
        #expect(detected("write", key: "id-token") == nil)  // GitHub Actions `permissions: id-token: write`
        #expect(detected("none", key: "token") == nil)
        #expect(detected("false", key: "usePassword") == nil)
    }

    @Test func emptyTokenIsFine() {
        #expect(detected("", key: "token") == nil)
        #expect(detected("  \n", key: "token") == nil)
    }

    @Test func exactNameWinsOverEntropyRule() {
        #expect(detected(Fixture.base62Of40, key: "apiKey") == .secretField)
        #expect(detected(Fixture.base62Of40, key: "authToken") == .secretField)
    }

    @Test func valueShapeWinsOverKeyName() {
        #expect(detected(Fixture.gitHubToken("ghp"), key: "password") == .gitHubToken)
    }

    @Test func ordinaryKeysAndArrayElementsAreNotSecretFields() {
        #expect(detected("hunter2") == nil)
        #expect(detected("hunter2", key: "description") == nil)
        #expect(detected("inherit", key: "secrets") == nil)  // reusable-workflow `secrets: inherit`
        #expect(detected("prod-db-password", key: "secretName") == nil)
    }
}

// MARK: - 6. Passwords in URLs

@Suite struct PasswordInURLTests {
    static let urls = [
        "https://release-bot:hunter2@artifacts.example.com/repo",
        "postgres://app:s3cr3t@db.internal:5432/ledger",
        "ftp://u:p@files.example.com",
        "redis://:authpass@cache:6379/0",
        "see https://deploy:Pa55word@example.com for details",
        "https://user:p%40ss@host.example.com",
        "HTTPS://USER:PASS@HOST",
    ]

    @Test(arguments: urls)
    func detectsPassword(value: String) {
        #expect(detected(value) == .passwordInURL)
    }

    static let harmless = [
        "https://user@host.example.com/path",
        "https://user:@host.example.com",
        "https://github.com/acme/app/actions/runs/123",
        "api://compass-api",
        "ssh://git@github.com:22/acme/app.git",
        "git@github.com:acme/app.git",
        "https://example.com/login?next=a@b:c",
        "https://deploy:$DEPLOY_TOKEN@example.com",
        "https://deploy:***@example.com",
        "https://oauth2:$(System.AccessToken)@dev.azure.com/acme",
        "mailto:release@example.com",
        "docker://ghcr.io/acme/api@sha256:" + Fixture.sha256Hex,
        "http://[::1]:8080/health",
    ]

    @Test(arguments: harmless)
    func ignoresURLWithoutPassword(value: String) {
        #expect(detected(value) == nil)
    }
}

// MARK: - 7. High-entropy values under secret-like keys

@Suite struct HighEntropyTests {
    static let secrets: [(String, String)] = [
        ("signing_key", Fixture.base62Of40),
        ("deployKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("encryptionKey", Fixture.base64Of32Bytes),
        ("sshKeyMaterial", Fixture.base62Of40),
        ("tokenValue", Fixture.base62Of40),
        ("secretValue", Fixture.base62Of40),
        ("credentials", Fixture.base64Of32Bytes),
        ("deployKey", Fixture.lowEntropyHexKey),  // hex is judged against the lower hex threshold
        ("signing_key", "Zm9vYmFy-Q2xpZW50U2VjcmV0_OTk5"),  // base64url with separators
    ]

    @Test(arguments: secrets)
    func detectsHighEntropyValue(key: String, value: String) {
        #expect(detected(value, key: key) == .highEntropyUnderSecretKey)
    }

    static let harmless: [(String, String)] = [
        ("signing_key", "abc123"),  // too short
        ("signing_key", "aaaaaaaaaaaaaaaaaaaa1"),  // low entropy
        ("key", "release-candidate-pipeline"),  // no digit
        ("key", "release-2024-11-29-build-1234"),  // lower-case slug
        ("signing_key", "acme-release-signing-key-v2"),
        ("buildKey", "linux_x64_node20_" + Fixture.sha256Hex),
        ("keyVaultName", "kv-acme"),
        ("keyVaultName", "kv-acme-release-prod-westeurope-2"),  // names a vault, not a key
        ("keyAlias", "ReleaseLedgerSigningKey2024"),
        ("idempotencyKey", Fixture.uuid),
        ("idempotency_key", Fixture.uuid),
        ("requestKey", Fixture.uuid),
        ("idempotency key", Fixture.uuid),
        ("Idempotency-Key", Fixture.uuid),
        ("cacheKey", "Linux-node-modules-" + Fixture.sha256Hex),
        ("publicKey", Fixture.base64Of32Bytes),
        ("tokenUrl", "https://login.microsoftonline.com/acme/oauth2/v2.0/token"),
        ("tokenIssuer", "token.actions.githubusercontent.com"),
        ("signingKeyId", "https://acme-kv.vault.azure.net/keys/release-signing/0123abcd4567ef"),
        ("gpgKeyFingerprint", "3AA5C34371567BD2F1E04C3A9E2B7D8C1F6A0B94"),
        ("tokenExpiresAt", "2025-01-01T00:00:00Z"),
        ("keyNote", "rotated the signing key after the 2024 incident review"),
        ("signing_key", "${{ secrets.SIGNING_KEY }}"),
    ]

    @Test(arguments: harmless)
    func ignoresHarmlessValue(key: String, value: String) {
        #expect(detected(value, key: key) == nil)
    }
}

// MARK: - Must never trigger

@Suite struct NeverTriggersTests {
    static let digests = [
        Fixture.gitSHA,
        Fixture.sha256Hex,
        "sha256:" + Fixture.sha256Hex,
        "ghcr.io/acme/api@sha256:" + Fixture.sha256Hex,
        "acmeregistry.azurecr.io/release/ledger:1.4.2@sha256:" + Fixture.sha256Hex,
    ]
    static let anyKey: [String?] = [
        nil, "sha", "commit", "digest", "key", "token", "secret", "password", "signing_key", "apiKey", "clientSecret",
    ]

    /// Commit SHAs and digests are public; they pass whatever key they sit under.
    @Test(arguments: digests, anyKey)
    func digestNeverTriggers(value: String, key: String?) {
        #expect(detected(value, key: key) == nil)
    }

    static let ordinaryValues = [
        Fixture.uuid,
        Fixture.uuid.uppercased(),
        "2024-11-29T19:08:00Z",
        "2024-11-29T19:08:00.123+01:00",
        "https://github.com/acme/app/actions/runs/123",
        "https://github.com/acme/app/commit/" + Fixture.gitSHA,
        "api://compass-api",
        "browser smoke failed on login page",
        "Rolled back: error rate above 5% for 10 minutes (p95 latency 2.3s)",
        "production",
        "v1.4.2",
        "déploiement échoué sur la page de connexion 🚫",
    ]
    static let ordinaryKeys: [String?] = [
        nil, "id", "reason", "url", "timestamp", "runId", "idempotencyKey", "details", "clé",
    ]

    @Test(arguments: ordinaryValues, ordinaryKeys)
    func ordinaryValueNeverTriggers(value: String, key: String?) {
        #expect(detected(value, key: key) == nil)
    }
}

// MARK: - Helpers

@Suite struct HelperTests {
    /// Runs `body` over the UTF-8 bytes of `string`, the way the scanner sees values.
    func withBytes<R>(_ string: String, _ body: (SecretScanner.Bytes) -> R) -> R {
        var string = string
        return string.withUTF8(body)
    }

    static let logarithmCases: [(Double, Double)] = [
        (1, 0), (2, 1), (8, 3), (1024, 10), (0.5, -1), (3, 1.584_962_500_721_156_2), (65536, 16),
        (1e6, 19.931_568_569_324_174),
    ]

    @Test(arguments: logarithmCases)
    func binaryLogarithmIsAccurate(x: Double, expected: Double) {
        #expect(abs(SecretScanner.binaryLogarithm(x) - expected) < 1e-12)
    }

    static let entropyCases: [(String, Double)] = [
        ("", 0), ("aaaa", 0), ("abab", 1), ("abcd", 2), ("0123456789abcdef", 4),
    ]

    @Test(arguments: entropyCases)
    func shannonEntropyMatchesDefinition(text: String, expected: Double) {
        let entropy = withBytes(text) { SecretScanner.shannonEntropy($0) }
        #expect(abs(entropy - expected) < 1e-12)
    }

    @Test func uuidShape() {
        #expect(withBytes(Fixture.uuid) { SecretScanner.isUUID($0) })
        #expect(withBytes(Fixture.uuid.uppercased()) { SecretScanner.isUUID($0) })
        #expect(!withBytes("8d3242b4-3187-4e2c-b508-09844ba589eg") { SecretScanner.isUUID($0) })
        #expect(!withBytes("8d3242b43187-4e2c-b508-09844ba589e4a") { SecretScanner.isUUID($0) })
    }

    static let digestCases: [(String, Bool)] = [
        (Fixture.gitSHA, true), (Fixture.sha256Hex, true), ("sha256:" + Fixture.sha256Hex, true),
        ("ghcr.io/acme/api@sha256:" + Fixture.sha256Hex, true), ("sha1:" + Fixture.gitSHA, true),
        (Fixture.gitSHA.uppercased(), false), (String(Fixture.gitSHA.dropLast()), false),
        ("sha256:" + Fixture.gitSHA, false), ("a b@sha256:" + Fixture.sha256Hex, false),
        ("x@y@sha256:" + Fixture.sha256Hex, false), ("md5:" + Fixture.gitSHA, false),
        ("sha512-" + Fixture.azureAccountKey, true), ("sha256-" + Fixture.base64Of32Bytes, true),
        ("sha256-" + Fixture.azureAccountKey, false), ("x@sha512-" + Fixture.azureAccountKey, false),
    ]

    @Test(arguments: digestCases)
    func digestShape(value: String, isDigest: Bool) {
        #expect(withBytes(value) { SecretScanner.isDigestLike($0) } == isDigest)
    }

    static let placeholderCases: [(String, Bool)] = [
        ("", true), ("***", true), ("<token>", true), ("${{ secrets.X }}", true), ("$TOKEN", true), ("$(Token)", true),
        ("%TOKEN%", true), ("[redacted]", true), ("Masked", true),
        ("$token", false), ("%token%", false), ("$", false), ("hunter2", false), ("x", false),
        ("${{ secrets.X }} extra", false),
    ]

    @Test(arguments: placeholderCases)
    func placeholderShape(value: String, isPlaceholder: Bool) {
        #expect(withBytes(value) { SecretScanner.isPlaceholder($0) } == isPlaceholder)
    }
}

// MARK: - Robustness

@Suite struct RobustnessTests {
    static let sixtyFourKiB = 64 * 1024

    /// Inputs built to provoke quadratic rescans; each must finish in linear time.
    static let hostileInputs: [(String, String)] = [
        ("eyJ segments", String(repeating: "eyJ.", count: sixtyFourKiB / 4)),
        ("eyJ header run", "eyJ" + String(repeating: "a", count: sixtyFourKiB)),
        ("password= chain", String(repeating: "password=", count: sixtyFourKiB / 9)),
        ("unclosed templates", "Password=" + String(repeating: "${{", count: sixtyFourKiB / 3)),
        ("quote chain", String(repeating: "pwd='", count: sixtyFourKiB / 5)),
        ("scheme chain", String(repeating: "a://", count: sixtyFourKiB / 4)),
        ("long authority", "https://" + String(repeating: "u:p", count: sixtyFourKiB / 3)),
        ("PAT prefixes", String(repeating: "github_pat_", count: sixtyFourKiB / 11)),
        ("PEM openers", String(repeating: "-----BEGIN ", count: sixtyFourKiB / 11)),
        ("underscores", String(repeating: "_", count: sixtyFourKiB) + "=x"),
        ("one long word", String(repeating: "a", count: sixtyFourKiB)),
        ("label chain", String(repeating: "client_secret:", count: sixtyFourKiB / 14)),
        ("separators before a label", "secre" + String(repeating: "_", count: sixtyFourKiB) + "t: x"),
        ("bearer chain", String(repeating: "Bearer ", count: sixtyFourKiB / 7)),
        ("basic chain", String(repeating: "Basic QUJD", count: sixtyFourKiB / 10)),
        ("Entra anchors", String(repeating: "abc1Q~", count: sixtyFourKiB / 6)),
        ("Slack prefixes", String(repeating: "xoxb-", count: sixtyFourKiB / 5)),
        ("printable base64", String(repeating: "QUJD", count: sixtyFourKiB / 4)),  // decodes to "ABCABC…"
    ]

    @Test(arguments: hostileInputs)
    func hostileInputIsScannedQuickly(name: String, value: String) {
        let elapsed = ContinuousClock().measure {
            _ = SecretScanner.scan(value: value, key: "signing_key", field: "data.blob")
        }
        #expect(elapsed < .seconds(1), "\(name) took \(elapsed)")
    }

    @Test func secretAtTheEndOfALargeValueIsFound() {
        let value = String(repeating: "build log line ", count: 4300) + Fixture.gitHubToken("ghp")
        #expect(value.utf8.count > 64_000)
        #expect(detected(value) == .gitHubToken)
    }

    @Test func largeCleanValuePasses() {
        let value = String(repeating: "browser smoke failed on login page; ", count: 1800)
        #expect(detected(value, key: "reason") == nil)
    }
}
