/// `smoke.recorded`: a smoke suite run against production.
public struct SmokeRecorded: EventPayload {
    public static let eventType = EventType.smokeRecorded
    public static let shape = PayloadShape.object([
        .required("suite", .oneOf(SmokeSuite.self)), .required("outcome", .oneOf(SmokeOutcome.self)),
        .optional("evidence", .evidence),
    ])

    public var suite: SmokeSuite
    public var outcome: SmokeOutcome
    public var evidence: [EvidenceLink]

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        suite = try reader.value("suite")
        outcome = try reader.value("outcome")
        evidence = try reader.evidence("evidence")
    }
}
