import Hummingbird

/// What a request carries through the middleware: its id (for logs) and who sent it.
struct LedgerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The `X-Request-Id` sent by the client, or one made here; echoed in the response and every log line.
    var requestID = ""
    /// Set by `AuthenticationMiddleware` before any route runs.
    var identity: ServerIdentity?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
