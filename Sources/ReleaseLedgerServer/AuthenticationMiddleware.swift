import Hummingbird

/// Verifies every request's credential before any route runs; only the health check and the
/// API description are open. A refused request reaches no route, so it writes nothing.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext
    let authenticator: any RequestAuthenticator

    static let openPaths: Set<String> = ["/healthz", "/v1/openapi.json"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
        case .success(let identity):
            var context = context
            context.identity = identity
            context.logger[metadataKey: "subject"] = .string(identity.subject)
            return try await next(request, context)
        case .failure(let failure):
            throw failure
        }
    }
}
