import ReleaseLedgerCore

/// What one store keeps between calls so that a long-lived writer (a server, the benchmark's
/// W1 loop) does not load again what it just read or wrote: candidate states and the production
/// row it parsed last. Every entry is checked against what the file holds now before it is used
/// (a candidate's newest position, the production row's exact text), so another process's append
/// is never missed. A CI step, one append per process, starts empty and gains nothing from it;
/// it costs that step a dictionary insert.
///
/// Within one append, the state loaded at its start is what `save` compares with, and the states
/// it saves are staged: they become entries only when the transaction commits.
struct StoreCache {
    /// A candidate state as the file held it.
    struct Candidate: Equatable {
        var state: CandidateState
        /// Release events folded in after the stored snapshot: the next snapshot is due at
        /// `SQLiteEventStore.snapshotInterval`.
        var eventsAfterSnapshot: Int
        /// The newest event of the SHA (notes included) when this state was read or written.
        var newestPosition: Int64
    }

    private var candidates: [String: Candidate] = [:]
    private var staged: [Candidate] = []
    private var production: (position: Int64, text: String, seal: String, state: ProductionState)?

    /// The cached state of `sha`, if it is still what the file holds: its newest event is the one
    /// the entry was made at.
    func candidate(_ sha: String, newestPosition: Int64) -> Candidate? {
        guard let cached = candidates[sha], cached.newestPosition == newestPosition else { return nil }
        return cached
    }

    /// The state of `sha` as the open transaction loaded it (whatever the file holds now).
    func loaded(_ sha: String) -> Candidate? { candidates[sha] }

    mutating func remember(_ candidate: Candidate) { candidates[candidate.state.sha] = candidate }
    mutating func forget(_ sha: String) { candidates[sha] = nil }
    mutating func forgetCandidates() { candidates.removeAll() }

    /// A state the open transaction saved: remembered once it commits.
    mutating func stage(_ candidate: Candidate) { staged.append(candidate) }

    mutating func beginTransaction() { staged.removeAll() }

    /// The SHAs whose states the open transaction (or savepoint) staged.
    var stagedSHAs: [String] { staged.map(\.state.sha) }

    mutating func commit() {
        for candidate in staged { remember(candidate) }
        staged.removeAll()
    }

    /// A rolled-back transaction: what it staged is dropped, and so is any state loaded after it
    /// inserted rows of its SHA (it counted rows that are gone; another writer may take those positions).
    mutating func rollBack(insertedFor shas: some Sequence<String>) {
        staged.removeAll()
        for sha in shas { forget(sha) }
    }

    /// The parsed production row, if the row is exactly the one parsed last.
    func production(position: Int64, text: String, seal: String) -> ProductionState? {
        guard let cached = production, cached.position == position, cached.seal == seal, cached.text == text else {
            return nil
        }
        return cached.state
    }

    mutating func remember(production state: ProductionState, position: Int64, text: String, seal: String) {
        production = (position, text, seal, state)
    }
}
