/// The runbook's identity config preflight contract: `API_IDENTIFIER_URI` first, `ENTRA_AUDIENCE`
/// as fallback; fail if both are set and differ; fail if the resolved value is not `api://...`.
public enum IdentityPreflight {
    public typealias Status = CheckStatus

    public struct Result: Equatable, Sendable {
        public let resolved: String?
        public let status: Status
        public let reason: String
    }

    public static func evaluate(apiIdentifierURI: String?, entraAudience: String?) -> Result {
        let uri = apiIdentifierURI.flatMap { $0.isEmpty ? nil : $0 }
        let audience = entraAudience.flatMap { $0.isEmpty ? nil : $0 }
        // Byte comparison, as the runbook's shell compares: canonically equivalent Unicode still differs.
        if let uri, let audience, !uri.utf8.elementsEqual(audience.utf8) {
            return Result(
                resolved: uri, status: .fail, reason: "API_IDENTIFIER_URI and ENTRA_AUDIENCE are both set and differ")
        }
        guard let resolved = uri ?? audience else {
            return Result(resolved: nil, status: .fail, reason: "neither API_IDENTIFIER_URI nor ENTRA_AUDIENCE is set")
        }
        guard Formats.isAPIIdentifierURI(resolved) else {
            return Result(
                resolved: resolved, status: .fail, reason: "the resolved identifier is not of the form api://...")
        }
        let source = uri != nil ? "API_IDENTIFIER_URI" : "ENTRA_AUDIENCE (fallback)"
        return Result(resolved: resolved, status: .pass, reason: "resolved from \(source)")
    }

    public static func payload(apiIdentifierURI: String?, entraAudience: String?) -> JSONValue {
        let result = evaluate(apiIdentifierURI: apiIdentifierURI, entraAudience: entraAudience)
        return [
            "apiIdentifierUri": .optionalString(apiIdentifierURI.flatMap { $0.isEmpty ? nil : $0 }),
            "entraAudience": .optionalString(entraAudience.flatMap { $0.isEmpty ? nil : $0 }),
            "resolved": .optionalString(result.resolved), "status": .string(result.status.rawValue),
            "reason": .string(result.reason),
        ]
    }
}
