import Synchronization

/// An event store in memory: the reference backend for tests and for folding an exported log.
public final class InMemoryEventStore: EventStore, Sendable {
    struct Contents {
        var events: [RecordedEvent] = []
        var positionsByID: [String: Int64] = [:]
        var streamVersions: [String: Int64] = [:]
        var candidates: [String: CandidateState] = [:]
        var production = ProductionState()
    }

    private let contents = Mutex(Contents())
    private let engine: AppendEngine

    public init(engine: AppendEngine) { self.engine = engine }

    public func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt] {
        try engine.validate(batch)
        do {
            return try contents.withLock { contents in
                // Work on a copy: a throw leaves the store as it was (atomic batches).
                var transaction = Transaction(contents: contents)
                let receipts = try engine.append(batch, in: &transaction)
                contents = transaction.contents
                return receipts
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }

    public func events(_ query: EventQuery) throws(LedgerError) -> [RecordedEvent] {
        contents.withLock { contents in
            var matched: [RecordedEvent] = []
            for event in contents.events where query.matches(event) {
                matched.append(event)
                if let limit = query.limit, matched.count >= limit { break }
            }
            return matched
        }
    }

    public func head() throws(LedgerError) -> ChainHead {
        contents.withLock { $0.events.last.map { ChainHead(position: $0.position, hash: $0.hash) } ?? .genesis }
    }

    public func streamVersion(_ stream: String) throws(LedgerError) -> Int64 {
        contents.withLock { $0.streamVersions[stream] ?? 0 }
    }

    public func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport {
        contents.withLock { contents in
            var verifier = ChainVerifier(anchor: anchor)
            for event in contents.events where !verifier.check(event) { break }
            return verifier.finish(recordedHead: nil)
        }
    }

    public func candidate(_ sha: String) throws(LedgerError) -> CandidateState? {
        contents.withLock { $0.candidates[sha]?.rulesView() }
    }

    public func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState? {
        contents.withLock { $0.candidates[sha] }
    }

    public func production() throws(LedgerError) -> ProductionState {
        contents.withLock { $0.production }
    }

    func contentsSnapshot() -> Contents { contents.withLock { $0 } }

    /// Refolds the state from the events, as `rebuild` does for a file.
    func rebuild() throws(LedgerError) -> Int {
        try contents.withLock { (contents) throws(LedgerError) -> Int in
            var fold = LedgerFold()
            for event in contents.events { try fold.apply(event) }
            contents.candidates = fold.candidates
            contents.production = fold.production
            return fold.candidates.count
        }
    }

    struct Transaction: AppendTransaction {
        var contents: Contents

        func head() -> ChainHead {
            contents.events.last.map { ChainHead(position: $0.position, hash: $0.hash) } ?? .genesis
        }
        func event(withID id: String) -> RecordedEvent? { contents.positionsByID[id].flatMap { event(at: $0) } }
        func event(at position: Int64) -> RecordedEvent? {
            position >= 1 && position <= Int64(contents.events.count) ? contents.events[Int(position - 1)] : nil
        }
        func streamVersion(_ stream: String) -> Int64 { contents.streamVersions[stream] ?? 0 }
        func lastEvent(inStream stream: String) -> RecordedEvent? {
            contents.events.last(where: { $0.stream == stream })
        }
        func candidate(_ sha: String) -> CandidateState? { contents.candidates[sha] }
        func production() -> ProductionState { contents.production }

        mutating func insert(_ event: RecordedEvent) {
            contents.events.append(event)
            contents.positionsByID[event.id] = event.position
            contents.streamVersions[event.stream] = event.version
        }

        mutating func save(candidates: [CandidateState], production: ProductionState?) {
            for candidate in candidates { contents.candidates[candidate.sha] = candidate }
            if let production { contents.production = production }
        }
    }
}
