/// `readiness.recorded`: one of the two pre-deploy auth readiness checks.
public struct ReadinessRecorded: EventPayload {
    public static let eventType = EventType.readinessRecorded
    public static let shape = PayloadShape.object([
        .required("check", .oneOf(ReadinessCheck.self)), .required("status", .oneOf(CheckStatus.self)),
        .optional("lastGreenAt", .timestamp), .optional("sloHours", .positiveNumber),
        .optional("targetApiBaseUrl", .httpURL),
    ])

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
