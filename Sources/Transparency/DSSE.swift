/// Dead Simple Signing Envelope (github.com/secure-systems-lab/dsse, protocol v1): the signature
/// covers PAE(payloadType, payload), so the type cannot be swapped under a valid signature.
public enum DSSE {
    /// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// The JSON envelope with one signature, keys in sorted order and no spaces. The key id is the
    /// signer's verifier key (name+keyid+public key), so a verifier can pick the key by it.
    public static func envelope(payloadType: String, payload: [UInt8], signer: NoteSigner) -> String {
        let signature = signer.sign(pae(payloadType: payloadType, payload: payload))
        return
            "{\"payload\":\"\(Base64.encode(payload))\",\"payloadType\":\"\(payloadType)\",\"signatures\":[{\"keyid\":\""
            + signer.verifier.verifierKey + "\",\"sig\":\"\(Base64.encode(signature))\"}]}"
    }

    /// The in-toto payload type.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"
}
