/// `replay.requested`: a rollback to, or a replay of, a candidate; it opens a new run.
public struct ReplayRequested: EventPayload {
    public static let eventType = EventType.replayRequested
    public static let shape = PayloadShape.object([
        .required("mode", .oneOf(ReplayMode.self)), .required("reason", .text), .optional("replaces", .commitSHA),
        .optional("requestedBy", .text), .optional("forced", .boolean),
    ])

    public var mode: ReplayMode
    public var reason: String
    /// The SHA in production when it was requested (the ledger fills it in).
    public var replaces: String?
    public var requestedBy: String?
    /// A rollback given `--force` to a target not known to be good in production.
    public var forced: Bool

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        mode = try reader.value("mode")
        reason = try reader.text("reason")
        replaces = try reader.optionalText("replaces")
        requestedBy = try reader.optionalText("requestedBy")
        forced = try reader.optionalBool("forced") ?? false
    }
}
