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

    /// Folds deploy events, newest first, into the serving digest of each app; stops as soon as
    /// every app has one. `runOf` names the run of a SHA an event at a position belonged to.
    public static func newestSucceeded(
        _ deploysNewestFirst: some Sequence<RecordedEvent>, runOf: (String, Int64) throws(LedgerError) -> Int?
    ) throws(LedgerError) -> [ServingApp] {
        var found: [String: ServingApp] = [:]
        for event in deploysNewestFirst {
            guard case .deployRecorded(let deploy)? = try event.releaseEvent(), deploy.outcome == .succeeded,
                found[deploy.app.rawValue] == nil
            else { continue }
            let app = deploy.app.rawValue, image = deploy.image
            found[app] = ServingApp(
                app: app, image: image, sha: event.sha, run: try runOf(event.sha, event.position), at: event.recordedAt,
                position: event.position)
            if found.count == apps.count { break }
        }
        return apps.compactMap { found[$0] }
    }
}

extension ReleaseHistory {
    /// The serving digests after the event at `position`, from the events alone. Backends with an
    /// index by type and position override it with a backwards walk.
    public func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp] {
        let deploys = try events(EventQuery(type: EventType.deployRecorded.rawValue, upToPosition: position))
        return try ServingApp.newestSucceeded(deploys.reversed()) { (sha, at) throws(LedgerError) in try runNumber(of: sha, at: at) }
    }

    /// The run of a SHA that an event at `position` belonged to: the last one opened by then.
    public func runNumber(of sha: String, at position: Int64) throws(LedgerError) -> Int? {
        if let view = try candidate(sha), let first = view.runs.first, first.opened.position <= position {
            return view.runs.last(where: { $0.opened.position <= position })?.number
        }
        return try candidateHistory(sha)?.runs.last(where: { $0.opened.position <= position })?.number
    }
}
