/// The checks routes make against the identity `AuthenticationMiddleware` verified.
enum Access {
    static func identity(_ context: LedgerRequestContext) throws(AccessFailure) -> ServerIdentity {
        guard let identity = context.identity else {
            throw .unauthenticated("the request carries no verified credential")
        }
        return identity
    }

    /// Every read needs `audit`.
    static func requireRead(_ context: LedgerRequestContext) throws(AccessFailure) {
        let identity = try identity(context)
        guard identity.mayRead else {
            throw .forbidden("\(identity.subject) may not read the ledger (needs the audit scope)")
        }
    }
}
