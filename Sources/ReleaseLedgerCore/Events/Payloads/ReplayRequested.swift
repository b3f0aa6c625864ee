/// `replay.requested`: a rollback to, or a replay of, a candidate; it opens a new run.
public struct ReplayRequested: EventPayload {
    public static let eventType = EventType.replayRequested
    public static let shape = PayloadShape.object([
        .required(
            "mode", .oneOf(ReplayMode.self),
            "rollback (return production to this candidate) or replay (run its production sequence again)."),
        .required("reason", .text, "Why, in a sentence."),
        .optional("replaces", .commitSHA, "The commit SHA of the release this one replaces."),
        .optional("requestedBy", .text, "Who asked; defaults to the event's actor."),
        .optional(
            "forced", .boolean,
            """
            A rollback to a target whose latest production run was decided NO, or that was never decided YES \
            in production, given --force.
            """
        ),
    ])
    public static let summary = """
        A rollback or a replay of a candidate was requested: it opens a new run of the same frozen digests, so \
        the production sequence runs again without a rebuild.
        """

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
