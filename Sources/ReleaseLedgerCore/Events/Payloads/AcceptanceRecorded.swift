/// `acceptance.recorded`: the acceptance verdict of a candidate.
public struct AcceptanceRecorded: EventPayload {
    public static let eventType = EventType.acceptanceRecorded
    public static let shape = PayloadShape.object([
        .required("verdict", .oneOf(Decision.self), "The acceptance verdict."),
        .optional("evidence", .evidence, "Links to the evidence (reports, traces, CI runs), in the order given."),
        .optional("reason", .text, "Why, in a sentence."),
    ])
    public static let summary = """
        The acceptance verdict of a candidate: YES or NO, with an optional reason and evidence links. A \
        candidate fact; a production run may only start after acceptance YES.
        """

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
