/// What production runs, app by app: the digest of the last deploy that succeeded. It differs from
/// what was released (the last run decided YES) while a run is in progress, and after a run whose
/// deploys succeeded was then decided NO: its images serve until something else is deployed.
public struct ServingApp: Equatable, Sendable {
    public var app: String
    public var image: String
    public var sha: String
    /// The run of `sha` the deploy belonged to.
    public var run: Int?
    public var at: Timestamp
    public var position: Int64

    public init(app: String, image: String, sha: String, run: Int?, at: Timestamp, position: Int64) {
        self.app = app
        self.image = image
        self.sha = sha
        self.run = run
        self.at = at
        self.position = position
    }

    public static let apps = App.allowedValues

    /// The app and image of a deploy event that succeeded (nil for a failed one): one parse of its payload.
    public static func succeededDeploy(_ event: RecordedEvent) throws(LedgerError) -> (app: String, image: String)? {
        guard case .deployRecorded(let deploy)? = try event.releaseEvent(), deploy.outcome == .succeeded else {
            return nil
        }
        return (deploy.app.rawValue, deploy.image)
    }

    /// Deploy events taken newest first until every app has its last succeeded one.
    public struct Search {
        private var found: [String: (event: RecordedEvent, image: String)] = [:]

        public init() {}

        /// Whether every app has its serving deploy.
        public var isComplete: Bool { found.count == ServingApp.apps.count }

        /// Takes the next deploy, newer ones first.
        public mutating func consider(_ event: RecordedEvent) throws(LedgerError) {
            guard let deploy = try ServingApp.succeededDeploy(event), found[deploy.app] == nil else { return }
            found[deploy.app] = (event, deploy.image)
        }

        /// The serving apps found, in `apps` order. `runOf` names the run of a SHA an event at a position belonged to.
        public func result(runOf: (String, Int64) throws(LedgerError) -> Int?) throws(LedgerError) -> [ServingApp] {
            var serving: [ServingApp] = []
            for app in ServingApp.apps {
                guard let (event, image) = found[app] else { continue }
                serving.append(
                    ServingApp(
                        app: app, image: image, sha: event.sha, run: try runOf(event.sha, event.position),
                        at: event.recordedAt,
                        position: event.position))
            }
            return serving
        }
    }

    /// Folds deploy events, newest first, into the serving digest of each app; stops as soon as
    /// every app has one. `runOf` names the run of a SHA an event at a position belonged to.
    public static func newestSucceeded(
        _ deploysNewestFirst: some Sequence<RecordedEvent>, runOf: (String, Int64) throws(LedgerError) -> Int?
    ) throws(LedgerError) -> [ServingApp] {
        var search = Search()
        for event in deploysNewestFirst {
            if search.isComplete { break }
            try search.consider(event)
        }
        return try search.result(runOf: runOf)
    }
}

extension ReleaseHistory {
    /// The serving digests after the event at `position`, from the events alone. Backends with an
    /// index by type and position override it with a backwards walk.
    public func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp] {
        let deploys = try events(EventQuery(type: EventType.deployRecorded.rawValue, upToPosition: position))
        return try ServingApp.newestSucceeded(deploys.reversed()) { (sha, at) throws(LedgerError) in
            try runNumber(of: sha, at: at)
        }
    }

    /// The run of a SHA that an event at `position` belonged to: the last one opened by then.
    public func runNumber(of sha: String, at position: Int64) throws(LedgerError) -> Int? {
        if let view = try candidate(sha), let first = view.runs.first, first.opened.position <= position {
            return view.runs.last(where: { $0.opened.position <= position })?.number
        }
        return try candidateHistory(sha)?.runs.last(where: { $0.opened.position <= position })?.number
    }
}
