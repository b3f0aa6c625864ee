/// What `show` prints: every event of one candidate, grouped by the run it belongs to.
public struct CandidateTimeline: Equatable, Sendable {
    /// Events of one run, or (with `run` nil) the candidate's facts before any run.
    public struct Group: Equatable, Sendable {
        public var run: RunState?
        public var events: [RecordedEvent]
    }

    public var sha: String
    public var acceptance: AcceptanceFact?
    /// In the order of their first event.
    public var groups: [Group]

    /// Groups `events` (the SHA's, in position order) by run: an event belongs to the last run
    /// opened at or before it; candidate facts (freeze, acceptance, ...) belong to none.
    public init(sha: String, candidate: CandidateState?, events: [RecordedEvent]) {
        self.sha = sha
        acceptance = candidate?.acceptance
        let runs = candidate?.runs ?? []
        groups = []
        for event in events {
            let run =
                EventType(rawValue: event.type)?.isCandidateFact == true
                ? nil : runs.last(where: { $0.opened.position <= event.position })
            if let index = groups.firstIndex(where: { $0.run?.number == run?.number }) {
                groups[index].events.append(event)
            } else {
                groups.append(Group(run: run, events: [event]))
            }
        }
    }
}
