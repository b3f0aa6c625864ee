import Crypto
import Foundation
import ReleaseLedgerCore
import _CryptoExtras

/// A signing key made in the test, like one of an OIDC provider's: RSA 2048 (RS256) or P-256
/// (ES256). It signs tokens with swift-crypto directly, not with the jwt-kit the server verifies
/// with, so a mistake in one cannot hide in the other.
public struct OIDCTestKey: Sendable {
    public enum Algorithm: String, Sendable {
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    public let kid: String
    public let algorithm: Algorithm
    private let rsa: _RSA.Signing.PrivateKey?
    private let ec: P256.Signing.PrivateKey?

    public static func rsa(kid: String) throws -> OIDCTestKey {
        OIDCTestKey(kid: kid, algorithm: .rs256, rsa: try _RSA.Signing.PrivateKey(keySize: .bits2048), ec: nil)
    }

    public static func ec(kid: String) -> OIDCTestKey {
        OIDCTestKey(kid: kid, algorithm: .es256, rsa: nil, ec: P256.Signing.PrivateKey())
    }

    /// The same key material under another key id (a forger who reuses a known kid uses its own key).
    public func renamed(_ kid: String) -> OIDCTestKey { OIDCTestKey(kid: kid, algorithm: algorithm, rsa: rsa, ec: ec) }

    /// The public half as a JWK, as a provider publishes it.
    public func publicJWK() throws -> JSONValue {
        if let rsa {
            let primitives = try rsa.publicKey.getKeyPrimitives()
            return [
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": .string(kid),
                "n": .string(Self.base64URL(Array(primitives.modulus))),
                "e": .string(Self.base64URL(Array(primitives.publicExponent))),
            ]
        }
        let raw = Array(ec!.publicKey.rawRepresentation)  // x || y, 32 bytes each
        return [
            "kty": "EC", "use": "sig", "alg": "ES256", "kid": .string(kid), "crv": "P-256",
            "x": .string(Self.base64URL(Array(raw[0..<32]))), "y": .string(Self.base64URL(Array(raw[32..<64]))),
        ]
    }

    /// `header.payload.signature`, the signature over the first two segments (RFC 7515).
    public func sign(header: JSONValue, claims: JSONValue) throws -> String {
        let input =
            Self.base64URL(Array(CanonicalJSON.encode(header).utf8)) + "."
            + Self.base64URL(Array(CanonicalJSON.encode(claims).utf8))
        let signature: [UInt8]
        if let rsa {
            signature = Array(try rsa.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
        } else {
            signature = Array(try ec!.signature(for: Data(input.utf8)).rawRepresentation)  // r || s, as JWS wants
        }
        return input + "." + Self.base64URL(signature)
    }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }
}
