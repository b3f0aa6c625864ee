/// `apply.recorded`: an identity or infra apply and how it ended.
public struct ApplyRecorded: EventPayload {
    public static let eventType = EventType.applyRecorded
    public static let shape = PayloadShape.object([
        .required("scope", .oneOf(ApplyScope.self), "What was applied."),
        .required("outcome", .oneOf(Outcome.self), "How the step ended."),
    ])
    public static let summary = """
        An identity or infra apply of the production run, and how it ended. A production step; feeds the \
        identity and infra-apply gates.
        """

    public var scope: ApplyScope
    public var outcome: Outcome

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        scope = try reader.value("scope")
        outcome = try reader.value("outcome")
    }
}
