/// `identity.preflight.recorded`: the identity config preflight, by the runbook's contract.
public struct IdentityPreflightRecorded: EventPayload {
    public static let eventType = EventType.identityPreflightRecorded
    public static let shape = PayloadShape.object([
        .optional(
            "apiIdentifierUri", .optionalText,
            "API_IDENTIFIER_URI as seen by the preflight; null or absent when not set."),
        .optional(
            "entraAudience", .optionalText, "ENTRA_AUDIENCE as seen by the preflight; null or absent when not set."),
        .required(
            "resolved", .optionalText,
            "The identifier the contract resolved (apiIdentifierUri, else entraAudience); null when neither is set."),
        .required("status", .oneOf(CheckStatus.self), "The contract's result."),
        .required("reason", .text, "The contract's reason, in a sentence."),
    ])
    public static let summary = """
        The identity config preflight of a candidate, by the runbook's contract: API_IDENTIFIER_URI first, \
        ENTRA_AUDIENCE as fallback; fail if both are set and differ, or if the resolved value is not api://...; \
        pass otherwise. A candidate fact that feeds the identity gate. Not all of the contract can be said in \
        JSON Schema: this schema checks the shape and the parts that need no comparison between fields (no \
        identifier set means resolved is null; a set identifier means resolved is a string; pass means resolved \
        starts with api://). That resolved equals apiIdentifierUri (or entraAudience when apiIdentifierUri is \
        not set), and that status is the one the contract computes (fail when both are set and differ), is \
        checked only by the ledger (Swift EventCatalog.validate), which refuses a preflight that does not follow \
        the contract.
        """
    /// What JSON Schema can say of the contract without comparing fields; the rest is
    /// `EventCatalog.extraRules`.
    public static let schemaConditions: [OrderedJSON] = [
        [
            "if": ["properties": ["apiIdentifierUri": ["type": "null"], "entraAudience": ["type": "null"]]],
            "then": ["properties": ["resolved": ["type": "null"]]],
            "else": ["properties": ["resolved": ["type": "string"]]],
        ],
        [
            "if": ["properties": ["status": ["const": "pass"]], "required": ["status"]],
            "then": ["properties": ["resolved": ["type": "string", "minLength": 7, "pattern": "^api://"]]],
        ],
    ]

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
