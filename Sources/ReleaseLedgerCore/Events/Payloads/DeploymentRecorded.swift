/// `deployment.recorded`: the deployment record of the run (a GitHub Deployment or similar).
public struct DeploymentRecorded: EventPayload {
    public static let eventType = EventType.deploymentRecorded
    public static let shape = PayloadShape.object([
        .optional(
            "deploymentId", .identifier,
            "The deployment's id: an integer on GitHub, a non-empty string in other systems."),
        .optional("environmentUrl", .httpURL, "The deployed environment's URL."),
        .optional("environment", .text, "The environment's name, e.g. production."),
    ])
    public static let summary = """
        The GitHub Deployment of the production run was recorded, with its id, environment and environment URL \
        when known. A production step; satisfies the deployment-recorded gate.
        """

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
