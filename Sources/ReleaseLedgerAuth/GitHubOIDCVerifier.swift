import JWTKit
import ReleaseLedgerCore

/// The OIDC settings of `serve`: whose tokens, for whom, and where the keys are.
public struct OIDCConfiguration: Equatable, Sendable {
    /// `iss` must equal this (`https://token.actions.githubusercontent.com` for github.com).
    public var issuer: String
    /// `aud` must be, or contain, this (what the workflow asks `getIDToken` for).
    public var audience: String
    public var jwks: JWKSLocation
    /// Clock skew allowed on `exp` and `nbf`, in seconds. GitHub's tokens live for minutes and
    /// runners' clocks drift by seconds: 60 s is the customary allowance.
    public var leewaySeconds: Int64
    /// The least time between two loads of the keys for an unknown key id.
    public var minimumRefreshSeconds: Int64

    public init(
        issuer: String, audience: String, jwks: JWKSLocation, leewaySeconds: Int64 = 60,
        minimumRefreshSeconds: Int64 = 30
    ) {
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.leewaySeconds = leewaySeconds
        self.minimumRefreshSeconds = minimumRefreshSeconds
    }
}

/// Verifies GitHub Actions OIDC ID tokens: RS256 or ES256 only, a key from the provider's JWKS
/// (jwt-kit checks the signature), then the claims by this code with the ledger's strict JSON
/// parser: issuer, audience, expiry and not-before with the leeway.
struct GitHubOIDCVerifier: Sendable {
    static let algorithms: Set<String> = ["RS256", "ES256"]

    let configuration: OIDCConfiguration
    let keys: JWKSCache

    init(configuration: OIDCConfiguration) {
        self.configuration = configuration
        keys = JWKSCache(location: configuration.jwks, minimumRefreshSeconds: configuration.minimumRefreshSeconds)
    }

    /// The token's verified claims.
    func verify(_ token: String, now: Timestamp) async -> Result<JSONObject, AuthFailure> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]),
            let payloadBytes = Base64URL.decode(parts[1]),
            case .object(let header)? = try? JSONParser.parse(bytes: headerBytes, field: "header"),
            case .object(let claims)? = try? JSONParser.parse(bytes: payloadBytes, field: "payload")
        else { return .failure(.unauthenticated("the bearer token is not a well-formed JWT")) }
        guard let algorithm = header["alg"]?.stringValue, Self.algorithms.contains(algorithm) else {
            return .failure(.unauthenticated("the ID token's algorithm must be RS256 or ES256"))
        }
        guard let kid = header["kid"]?.stringValue, !kid.isEmpty else {
            return .failure(.unauthenticated("the ID token names no signing key (kid)"))
        }
        let loaded: JWKSCache.Keys
        switch await keys.keys(for: kid, now: now) {
        case .success(let keys): loaded = keys
        case .failure(let failure): return .failure(failure)
        }
        // jwt-kit would fall back to its default key for an unknown kid: never let it.
        guard loaded.ids.contains(kid) else {
            return .failure(
                .unauthenticated("the ID token's signing key '\(printable(kid))' is not in the provider's JWKS"))
        }
        do {
            _ = try await loaded.collection.verify(token, as: SignatureOnly.self)
        } catch {
            return .failure(.unauthenticated("the ID token's signature does not verify"))
        }
        return check(claims, now: now).map { .failure($0) } ?? .success(claims)
    }

    /// The claims' own checks, after the signature.
    func check(_ claims: JSONObject, now: Timestamp) -> AuthFailure? {
        guard claims["iss"]?.stringValue == configuration.issuer else {
            return .unauthenticated("the ID token's issuer is not \(configuration.issuer)")
        }
        let audiences =
            claims["aud"]?.stringValue.map { [$0] } ?? claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard audiences.contains(configuration.audience) else {
            return .unauthenticated("the ID token's audience is not \(configuration.audience)")
        }
        let leeway = configuration.leewaySeconds * 1000
        guard let expiry = claims["exp"].flatMap(Self.milliseconds) else {
            return .unauthenticated("the ID token has no expiry (exp)")
        }
        if now.millisecondsSinceEpoch >= expiry + leeway {
            return .unauthenticated("the ID token expired at \(Timestamp(millisecondsSinceEpoch: expiry))")
        }
        if let notBefore = claims["nbf"].flatMap(Self.milliseconds), now.millisecondsSinceEpoch + leeway < notBefore {
            return .unauthenticated("the ID token is not valid before \(Timestamp(millisecondsSinceEpoch: notBefore))")
        }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else {
            return .unauthenticated("the ID token has no subject (sub)")
        }
        return nil
    }

    /// A NumericDate (seconds since the epoch, RFC 7519) in milliseconds; nil when not a number in range.
    static func milliseconds(_ value: JSONValue) -> Int64? {
        guard let seconds = value.doubleValue, seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        return Int64((seconds * 1000).rounded(.down))
    }

    func printable(_ text: String) -> String { EventCatalog.printable(text) }
}

/// jwt-kit checks the signature; the claims are read by the ledger's parser, so nothing is
/// decoded here.
private struct SignatureOnly: JWTPayload {
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// base64url without padding (RFC 7515), as JWT segments are written.
enum Base64URL {
    static func decode(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return bits >= 6 ? nil : bytes
    }
}
