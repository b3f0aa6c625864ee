/// `acceptance.recorded`: the acceptance verdict of a candidate.
public struct AcceptanceRecorded: EventPayload {
    public static let eventType = EventType.acceptanceRecorded
    public static let shape = PayloadShape.object([
        .required("verdict", .oneOf(Decision.self)), .optional("evidence", .evidence), .optional("reason", .text),
    ])

    public var verdict: Decision
    public var evidence: [EvidenceLink]
    public var reason: String?

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        verdict = try reader.value("verdict")
        evidence = try reader.evidence("evidence")
        reason = try reader.optionalText("reason")
    }
}
