/// The kinds of credential the scanner recognises. Raw values read well in a refusal message:
/// "refused: data.evidence[0].url contains a password in a URL".
public enum SecretKind: String, Sendable, CaseIterable {
    /// Three base64url segments whose header decodes to a JSON object with an `"alg"` member.
    case jsonWebToken = "JSON Web Token"
    /// A PEM armour header `-----BEGIN … PRIVATE KEY-----` (RSA, EC, OPENSSH, ENCRYPTED, PGP, plain).
    case privateKey = "PEM private key"
    /// `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 base62 characters, or `github_pat_` + 22 or more.
    case gitHubToken = "GitHub token"
    /// `AccountKey=…`, a SAS `sig=…` query parameter, or a bare 88-character base64 key ending in `==`.
    case azureStorageKey = "Azure storage account key"
    /// `Password=`, `Pwd=`, `SharedAccessKey=` or `SharedAccessSignature=` with a real value.
    case connectionString = "connection string with a credential"
    /// A real value under a key named like a secret (`client_secret`, `password`, `apiKey`, `*Token`…),
    /// or such a `name=value` / `NAME: value` pair inside a string, or any value nested under such a key.
    case secretField = "value of a client_secret-style field"
    /// `scheme://user:password@host` with a non-empty password.
    case passwordInURL = "password in a URL"
    /// A long, high-entropy, token-shaped value under a key that mentions secret/token/password/key.
    case highEntropyUnderSecretKey = "high-entropy value under a key named like a secret"
    /// `AKIA`/`ASIA`/`ABIA`/`ACCA`/`A3T?` + 16 of `A-Z2-7` (an IAM access key id).
    case awsAccessKey = "AWS access key id"
    /// 40 characters of base64 in mixed case, no `/` at either end, shortly after the word `aws`.
    case awsSecretKey = "AWS secret access key"
    /// `xox?-…` bot/user/app tokens, `xapp-…` and `hooks.slack.com/services/…` webhooks.
    case slackToken = "Slack token"
    /// `sk_live_…`, `sk_test_…`, `rk_live_…` restricted and secret keys (publishable `pk_` keys are public).
    case stripeKey = "Stripe secret key"
    /// `glpat-`, `gldt-`, `glrt-`, `glptt-`, `glft-`, `glimt-`, `glagent-`, `glsoat-`, `gloas-`, `glcbt-`, `GR1348941`.
    case gitLabToken = "GitLab token"
    /// An Entra ID (Azure AD) client secret: 3 characters, a digit, `Q~`, then 31–34 more.
    case entraClientSecret = "Entra ID client secret"
    /// `Bearer <opaque token>` or `Basic <base64 of user:password>`.
    case authorizationHeader = "Basic or bearer authorization value"
    /// This ledger's own static access tokens: `rlt_` + 43 base62 characters (`StaticToken`).
    case releaseLedgerToken = "release-ledger access token"
}
