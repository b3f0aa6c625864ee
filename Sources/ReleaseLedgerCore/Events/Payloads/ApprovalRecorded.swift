/// `approval.recorded`: the control-plane approval of a run.
public struct ApprovalRecorded: EventPayload {
    public static let eventType = EventType.approvalRecorded
    public static let shape = PayloadShape.object([
        .required("gate", .oneOf(ApprovalGate.self), "The gate approved."),
        .required("decision", .oneOf(ApprovalDecision.self), "The approver's decision."),
        .required("approver", .text, "Who decided."),
    ])
    public static let summary = """
        The production control-plane approval of the run: approved or rejected, by a named approver. A \
        production step (it opens a promotion run when none is open); a rejection stands for the rest of the \
        run.
        """

    public var gate: ApprovalGate
    public var decision: ApprovalDecision
    public var approver: String

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        gate = try reader.value("gate")
        decision = try reader.value("decision")
        approver = try reader.text("approver")
    }
}
