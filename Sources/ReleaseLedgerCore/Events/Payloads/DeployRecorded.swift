/// `deploy.recorded`: a deploy of one app by digest and how it ended.
public struct DeployRecorded: EventPayload {
    public static let eventType = EventType.deployRecorded
    public static let shape = PayloadShape.object([
        .required("app", .oneOf(App.self), "Which app was deployed."),
        .required("image", .digestRef, "The image deployed, by digest."),
        .required("outcome", .oneOf(Outcome.self), "How the step ended."),
    ])
    public static let summary = """
        A deploy of the api or web app by digest, and how it ended. A production step; feeds the deploy gate.
        """

    public var app: App
    public var image: String
    public var outcome: Outcome

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        app = try reader.value("app")
        image = try reader.text("image")
        outcome = try reader.value("outcome")
    }
}
