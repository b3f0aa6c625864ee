/// Production as a whole: the lock and what is live.
public struct ProductionState: Equatable, Sendable {
    public struct RunPointer: Equatable, Sendable {
        public var sha: String
        public var run: Int
    }

    public struct Live: Equatable, Sendable {
        public var sha: String
        public var run: Int
        public var images: Images
        public var since: Timestamp
        public var actor: String?
        public var position: Int64

        public init(sha: String, run: Int, images: Images, since: Timestamp, actor: String?, position: Int64) {
            self.sha = sha
            self.run = run
            self.images = images
            self.since = since
            self.actor = actor
            self.position = position
        }
    }

    /// The run holding the production-mutation lock, if any.
    public var openRun: RunPointer?
    /// "In production" means the SHA whose run was most recently decided YES.
    public var live: Live?

    public init() {}
}
