/// `candidate.frozen`: the digests a candidate ships and the scopes its change touches.
public struct CandidateFrozen: EventPayload {
    public static let eventType = EventType.candidateFrozen
    public static let shape = PayloadShape.object([
        .required(
            "images",
            .object([
                .required("api", .digestRef, "The api image."),
                .required("web", .digestRef, "The web image."),
            ]),
            "The images of the candidate, one per app."),
        .required(
            "scopes",
            .object([
                .required(
                    "runtime", .boolean,
                    "Application code changed: migration image update, deploy and smoke gates apply."),
                .required("infra", .boolean, "Infrastructure changed: the infra apply gate applies."),
                .required(
                    "identity", .boolean,
                    "Identity configuration changed: the identity preflight and identity apply gates apply."),
                .required(
                    "requiresInfraConvergence", .boolean,
                    "The infrastructure must converge before the deploy (infra apply required)."),
            ]),
            "What the change touches; each flag decides which gates the release must pass."),
        .required("migrationRequired", .boolean, "The database migration must run (migration-ran gate)."),
    ])
    public static let summary = """
        A release candidate was frozen for a commit: the api and web images it ships, pinned by digest, the \
        scopes the change touches (they decide which release gates apply) and whether a database migration must \
        run. A candidate fact: it opens no run. Every later migration and deploy must use these digests; the \
        pipeline never rebuilds.
        """

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
