import ReleaseLedgerCore

/// Who sent a request, as verified from its credential, and what that credential allows.
///
/// The server's routes speak only to this; the authenticator behind it (static tokens, OIDC)
/// decides. The recorded identity comes from here, never from what the client states.
struct ServerIdentity: Sendable {
    /// The credential's name (a token's name, an OIDC subject): logged, never the credential itself.
    var subject: String
    /// Whether an event of this type may be appended.
    var mayAppend: @Sendable (_ type: String) -> Bool
    /// Every read (`audit`).
    var mayRead: Bool
    /// Rebuild and tokens (`admin`).
    var mayAdminister: Bool
    /// Stamps the verified identity onto an event, beside the metadata the client stated.
    var recording: @Sendable (ProposedEvent) -> ProposedEvent
}

/// Why a request was not let in.
enum AccessFailure: Error, Sendable {
    /// No credential, or one that does not verify (401).
    case unauthenticated(String)
    /// A verified credential whose scopes do not allow the request (403).
    case forbidden(String)
    /// The tokens or the identity provider's keys cannot be read right now (503, retry).
    case unavailable(String)

    var problem: ProblemDetails {
        switch self {
        case .unauthenticated(let detail): ProblemDetails(kind: .unauthenticated, detail: detail)
        case .forbidden(let detail): ProblemDetails(kind: .forbidden, detail: detail)
        case .unavailable(let detail): ProblemDetails(kind: .busy, detail: detail, retryAfterSeconds: 1)
        }
    }
}

/// Turns a request's `Authorization` header into an identity.
protocol RequestAuthenticator: Sendable {
    func authenticate(authorization: String?) async -> Result<ServerIdentity, AccessFailure>
}
