/// `migration.recorded`: a step of the database migration, with the image it used.
public struct MigrationRecorded: EventPayload {
    public static let eventType = EventType.migrationRecorded
    public static let shape = PayloadShape.object([
        .required("step", .oneOf(MigrationStep.self), "Which migration step."),
        .required("image", .digestRef, "The migration image, by digest."),
        .required("outcome", .oneOf(Outcome.self), "How the step ended."),
    ])
    public static let summary = """
        A database migration step of the production run: first the migration job's image is updated to the \
        frozen api digest (image-updated), then the migration runs (ran). A production step; feeds the migration \
        gates.
        """

    public var step: MigrationStep
    public var image: String
    public var outcome: Outcome

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        step = try reader.value("step")
        image = try reader.text("image")
        outcome = try reader.value("outcome")
    }
}
