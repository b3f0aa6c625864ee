/// `verdict.recorded`: the release decision that closes the open run. The ledger completes the
/// decision, the reason and the gate table when the caller leaves them out.
public struct VerdictRecorded: EventPayload {
    public static let eventType = EventType.verdictRecorded
    public static let shape = PayloadShape.object([
        .optional(
            "decision", .oneOf(Decision.self),
            """
            The release decision. Left out, the ledger computes it from the gate table inside the write \
            transaction (YES when every required gate passed, else NO).
            """
        ),
        .optional("reason", .text, "Why, in a sentence."),
        .optional(
            "gates", .anyValue,
            """
            The gate table as the ledger computed it at decision time. The ledger writes it itself; its \
            shape is not checked.
            """
        ),
    ])
    public static let summary = """
        The release decision that closes the open run: YES (every required gate passed; the candidate becomes \
        what is live) or NO. The ledger refuses YES unless every required gate passed.
        """

    public var decision: Decision?
    public var reason: String?
    /// The gate table as the ledger computed it; nil when the caller left it out.
    public var gates: [GateResult]?

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        decision = try reader.optionalValue("decision")
        reason = try reader.optionalText("reason")
        guard let table = data["gates"] else {
            gates = nil
            return
        }
        guard let rows = table.arrayElements else { throw reader.problem("gates", "must be an array") }
        var results: [GateResult] = []
        results.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let gate = PayloadReader(row, at: "gates", index: index, in: reader)
            results.append(
                GateResult(
                    name: try gate.text("name"), required: try gate.bool("required"), status: try gate.value("status")))
        }
        gates = results
    }
}
