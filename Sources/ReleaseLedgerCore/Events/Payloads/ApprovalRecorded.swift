/// `approval.recorded`: the control-plane approval of a run.
public struct ApprovalRecorded: EventPayload {
    public static let eventType = EventType.approvalRecorded
    public static let shape = PayloadShape.object([
        .required("gate", .oneOf(ApprovalGate.self)), .required("decision", .oneOf(ApprovalDecision.self)),
        .required("approver", .text),
    ])

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
