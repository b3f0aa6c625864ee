/// `candidate.frozen`: the digests a candidate ships and the scopes its change touches.
public struct CandidateFrozen: EventPayload {
    public static let eventType = EventType.candidateFrozen
    public static let shape = PayloadShape.object([
        .required("images", .object([.required("api", .digestRef), .required("web", .digestRef)])),
        .required(
            "scopes",
            .object([
                .required("runtime", .boolean), .required("infra", .boolean), .required("identity", .boolean),
                .required("requiresInfraConvergence", .boolean),
            ])),
        .required("migrationRequired", .boolean),
    ])

    public var images: Images
    public var scopes: Scopes
    public var migrationRequired: Bool

    public init(images: Images, scopes: Scopes, migrationRequired: Bool) {
        self.images = images
        self.scopes = scopes
        self.migrationRequired = migrationRequired
    }

    public init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError) {
        let reader = PayloadReader(data)
        let images = try reader.nested("images")
        let scopes = try reader.nested("scopes")
        self.init(
            images: Images(api: try images.text("api"), web: try images.text("web")),
            scopes: Scopes(
                runtime: try scopes.bool("runtime"), infra: try scopes.bool("infra"),
                identity: try scopes.bool("identity"),
                requiresInfraConvergence: try scopes.bool("requiresInfraConvergence")),
            migrationRequired: try reader.bool("migrationRequired"))
    }
}
