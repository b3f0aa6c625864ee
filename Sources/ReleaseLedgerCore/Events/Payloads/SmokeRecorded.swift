/// `smoke.recorded`: a smoke suite run against production.
public struct SmokeRecorded: EventPayload {
    public static let eventType = EventType.smokeRecorded
    public static let shape = PayloadShape.object([
        .required("suite", .oneOf(SmokeSuite.self), "Which smoke suite ran."),
        .required("outcome", .oneOf(SmokeOutcome.self), "Whether the suite passed."),
        .optional("evidence", .evidence, "Links to the evidence (reports, traces, CI runs), in the order given."),
    ])
    public static let summary = """
        The result of the api or browser smoke suite against the deployed release, with optional evidence links. \
        A production step; feeds the smoke gate.
        """

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
