/// `identity.preflight.recorded`: the identity config preflight, by the runbook's contract.
public struct IdentityPreflightRecorded: EventPayload {
    public static let eventType = EventType.identityPreflightRecorded
    public static let shape = PayloadShape.object([
        .optional("apiIdentifierUri", .optionalText), .optional("entraAudience", .optionalText),
        .required("resolved", .optionalText), .required("status", .oneOf(CheckStatus.self)), .required("reason", .text),
    ])

    public var apiIdentifierUri: String?
    public var entraAudience: String?
    public var resolved: String?
    public var status: CheckStatus
    public var reason: String

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        apiIdentifierUri = try reader.optionalText("apiIdentifierUri")
        entraAudience = try reader.optionalText("entraAudience")
        resolved = try reader.optionalText("resolved")
        status = try reader.value("status")
        reason = try reader.text("reason")
    }
}
