import ReleaseLedgerAuth
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds the authenticator the serve flags describe: the ledger's static tokens always, GitHub
/// Actions OIDC when `--oidc-issuer` is given (with `--policy`), or nobody checked at all with
/// `--allow-anonymous` (local development only).
enum AuthenticatorFactory {
    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(_ command: ServeCommand, stores: LedgerStores) throws -> any RequestAuthenticator {
        if command.allowAnonymous { return AnonymousAccess() }
        var oidc: OIDCConfiguration?
        if let issuer = command.oidcIssuer {
            guard let audience = command.oidcAudience, let jwks = command.oidcJWKS else {
                throw ConfigurationError(description: "--oidc-issuer needs --oidc-audience and --oidc-jwks")
            }
            oidc = OIDCConfiguration(issuer: issuer, audience: audience, jwks: JWKSLocation(jwks))
        }
        var policy: AccessPolicy?
        if let file = command.policy {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError(description: "--policy: cannot read \(file)")
            }
            do { policy = try AccessPolicy(json: [UInt8](bytes), file: file) } catch {
                throw ConfigurationError(description: error.description)
            }
        }
        // Tokens are read from the ledger on each request: a grant or revocation counts from the next one.
        let configuration = Authenticator.Configuration(
            tokens: { try await stores.read { store throws(LedgerError) in try TokenTable.read(from: store) } },
            oidc: oidc, policy: policy)
        do { return VerifiedAccess(authenticator: try Authenticator(configuration)) } catch {
            throw ConfigurationError(description: error.description)
        }
    }
}

/// Static tokens and OIDC, through `ReleaseLedgerAuth`; the scopes decide what a request may do.
struct VerifiedAccess: RequestAuthenticator {
    let authenticator: Authenticator

    func authenticate(authorization: String?) async -> Result<ServerIdentity, AccessFailure> {
        switch await authenticator.authenticate(authorization: authorization) {
        case .success(let identity):
            return .success(
                ServerIdentity(
                    subject: identity.subject, mayAppend: { type in identity.may(.append(type: type)) },
                    mayRead: identity.may(.read), mayAdminister: identity.may(.rebuild),
                    recording: { event in event.recording(identity) }))
        case .failure(.unauthenticated(let reason)): return .failure(.unauthenticated(reason))
        case .failure(.forbidden(let reason)): return .failure(.forbidden(reason))
        case .failure(.unavailable(let reason)): return .failure(.unavailable(reason))
        }
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
