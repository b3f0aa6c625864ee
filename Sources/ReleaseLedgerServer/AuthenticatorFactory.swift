/// Builds the authenticator the serve flags describe.
enum AuthenticatorFactory {
    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(_ command: ServeCommand, stores: LedgerStores) throws -> any RequestAuthenticator {
        if command.allowAnonymous { return AnonymousAccess() }
        throw ConfigurationError(
            description:
                "no way to authenticate requests is configured (tokens arrive with the auth work; use --allow-anonymous locally)"
        )
    }
}

/// Every request may do everything, recorded as "anonymous" (`--allow-anonymous`: local development only).
struct AnonymousAccess: RequestAuthenticator {
    func authenticate(authorization: String?) async -> Result<ServerIdentity, AccessFailure> {
        .success(
            ServerIdentity(
                subject: "anonymous", mayAppend: { _ in true }, mayRead: true, mayAdminister: true, recording: { $0 }))
    }
}
