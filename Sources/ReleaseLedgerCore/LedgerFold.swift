/// Folds recorded events into candidate and production state, from nothing: what `rebuild`,
/// the golden cases and `at` use.
public struct LedgerFold: Sendable {
    public private(set) var candidates: [String: CandidateState] = [:]
    public private(set) var production = ProductionState()
    public private(set) var lastPosition: Int64 = 0

    public init() {}

    public mutating func apply(_ event: RecordedEvent) {
        lastPosition = event.position
        guard EventType(rawValue: event.type) != nil else { return }
        // Taken out of the dictionary while it changes, so its runs and steps are not copied on write.
        var state = candidates.removeValue(forKey: event.sha)
        ReleaseFold.apply(event, data: event.dataValue, candidate: &state, production: &production)
        candidates[event.sha] = state
    }
}
