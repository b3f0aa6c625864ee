import ReleaseLedgerCore

/// The bearer credential a client sends: `RELEASE_LEDGER_TOKEN`, else, inside GitHub Actions with
/// `permissions: id-token: write`, an OIDC ID token fetched from the runner for the server's audience.
final class ServerCredential {
    let token: String?
    let actionsRequestURL: String?
    let actionsRequestToken: String?
    /// The `aud` the server expects (`RELEASE_LEDGER_OIDC_AUDIENCE`, default "release-ledger").
    let audience: String
    private var fetched: String?

    init(environment: [String: String]) {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        token = env("RELEASE_LEDGER_TOKEN")
        actionsRequestURL = env("ACTIONS_ID_TOKEN_REQUEST_URL")
        actionsRequestToken = env("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        audience = env("RELEASE_LEDGER_OIDC_AUDIENCE") ?? "release-ledger"
    }

    /// The bearer to send, or nil when there is none (the server then answers 401: exit 77).
    func bearer(client: ServerClient) throws(LedgerError) -> String? {
        if let token { return token }
        if let fetched { return fetched }
        guard let url = actionsRequestURL, let requestToken = actionsRequestToken else { return nil }
        // GitHub's documented request: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD with the request token.
        let separator = url.contains("?") ? "&" : "?"
        let outcome = ServerClient.perform(
            "GET", url + separator + "audience=" + ServerClient.percentEncoded(audience),
            headers: ["Authorization: Bearer \(requestToken)", "Accept: application/json"], body: nil,
            timeoutMilliseconds: client.requestTimeoutMilliseconds, caFile: nil)
        guard case .success(let response) = outcome, response.status == 200,
            let value = (try? JSONParser.parse(bytes: response.body, field: "token", limits: .internal))?["value"]?
                .stringValue
        else {
            throw .permission(
                "could not get a GitHub Actions OIDC token for audience \(audience) (does the job have `permissions: id-token: write`?)"
            )
        }
        fetched = value
        return value
    }
}
