/// `deployment.recorded`: the deployment record of the run (a GitHub Deployment or similar).
public struct DeploymentRecorded: EventPayload {
    public static let eventType = EventType.deploymentRecorded
    public static let shape = PayloadShape.object([
        .optional("deploymentId", .identifier), .optional("environmentUrl", .httpURL), .optional("environment", .text),
    ])

    /// A GitHub deployment id is a number; other systems use strings. Kept as text.
    public var deploymentId: String?
    public var environmentUrl: String?
    public var environment: String?

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        deploymentId = try reader.optionalIdentifier("deploymentId")
        environmentUrl = try reader.optionalText("environmentUrl")
        environment = try reader.optionalText("environment")
    }
}
