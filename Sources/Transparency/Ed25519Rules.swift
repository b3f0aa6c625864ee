import Crypto

/// Which Ed25519 signatures count as valid. RFC 8032 leaves edge cases open (non-canonical point
/// encodings, low-order points, the cofactor); verifiers disagree on them, and a signature one
/// tool accepts and another refuses splits auditors. This ledger's notes are meant for Go's
/// verifiers (sumdb/note, the transparency-dev tools), so it accepts exactly what Go's
/// crypto/ed25519 accepts: C2SP/CCTV's README says that is "reject non_canonical_R and
/// low_order_residue, accept everything else". `Ed25519VectorTests` runs all 914 CCTV cases.
///
/// swift-crypto on Linux verifies with BoringSSL, which recomputes R and compares bytes (so a
/// non-canonical R never matches) and does not multiply by the cofactor (so a low-order residue
/// never cancels): the same formula as Go, which the vectors confirm case by case. On Apple
/// platforms swift-crypto defers to CryptoKit, whose edge-case behaviour is not documented; the
/// vector test runs there too and would name any difference.
public enum Ed25519Rules {
    public static func verify(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        guard publicKey.count == 32, signature.count == 64,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
