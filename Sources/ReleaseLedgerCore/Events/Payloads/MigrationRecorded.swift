/// `migration.recorded`: a step of the database migration, with the image it used.
public struct MigrationRecorded: EventPayload {
    public static let eventType = EventType.migrationRecorded
    public static let shape = PayloadShape.object([
        .required("step", .oneOf(MigrationStep.self)), .required("image", .digestRef),
        .required("outcome", .oneOf(Outcome.self)),
    ])

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
