/// `readiness.recorded`: one of the two pre-deploy auth readiness checks.
public struct ReadinessRecorded: EventPayload {
    public static let eventType = EventType.readinessRecorded
    public static let shape = PayloadShape.object([
        .required("check", .oneOf(ReadinessCheck.self), "Which readiness check ran."),
        .required("status", .oneOf(CheckStatus.self), "Whether the check passed."),
        .optional("lastGreenAt", .timestamp, "Canary: when it was last green."),
        .optional(
            "sloHours", .positiveNumber,
            """
            Canary: the freshness SLO in hours; the canary is fresh when lastGreenAt is at most this old at \
            recording time.
            """
        ),
        .optional("targetApiBaseUrl", .httpURL, "Probe: the base URL of the API it probed."),
    ])
    public static let summary = """
        Pre-deploy auth readiness of a candidate, from one of two checks: the nightly Entra canary, which must \
        be green within its freshness SLO (lastGreenAt and sloHours are then required), or the delegated probe \
        against the target API (targetApiBaseUrl is then required). A candidate fact that feeds the \
        auth-readiness gate.
        """
    /// The fields each check needs, as `EventCatalog.extraRules` checks them.
    public static let schemaConditions: [OrderedJSON] = ReadinessCheck.allCases.map { check in
        [
            "if": ["properties": ["check": ["const": .string(check.rawValue)]], "required": ["check"]],
            "then": ["required": .array(check.requiredFields.map(OrderedJSON.string))],
        ]
    }

    public var check: ReadinessCheck
    public var status: CheckStatus
    /// Canary: when it was last green, and its freshness SLO in hours.
    public var lastGreenAt: Timestamp?
    public var sloHours: Double?
    /// Probe: the API it probed.
    public var targetApiBaseUrl: String?

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        check = try reader.value("check")
        status = try reader.value("status")
        lastGreenAt = try reader.optionalTimestamp("lastGreenAt")
        sloHours = try reader.optionalNumber("sloHours")
        targetApiBaseUrl = try reader.optionalText("targetApiBaseUrl")
    }
}

extension ReadinessCheck {
    /// The fields a `readiness.recorded` of this check must carry besides `check` and `status`.
    public var requiredFields: [String] {
        switch self {
        case .entraCanary: ["lastGreenAt", "sloHours"]
        case .delegatedProbe: ["targetApiBaseUrl"]
        }
    }
}
