/// Folds recorded events into candidate and production state, from nothing: what `rebuild`,
/// the golden cases and `at` use.
public struct LedgerFold: Sendable {
    public private(set) var candidates: [String: CandidateState] = [:]
    public private(set) var production = ProductionState()
    public private(set) var lastPosition: Int64 = 0
    /// Where this fold's events last assigned production's two fields: what `merge` needs to put
    /// back together folds of disjoint sets of candidates.
    private var openRunAssignedAt: Int64 = 0
    private var liveAssignedAt: Int64 = 0

    public init() {}

    /// Folds one recorded event. A payload that no longer reads as its type (or a row whose time
    /// is not a timestamp) is an integrity failure naming the event, never a default.
    public mutating func apply(_ event: RecordedEvent) throws(LedgerError) {
        lastPosition = event.position
        guard let type = EventType(rawValue: event.type) else { return }
        let data = try event.payload()
        let decoded: ReleaseEvent
        do { decoded = try ReleaseEvent(type: type, decoding: data) } catch {
            throw Self.unreadable(position: event.position, type: type, error)
        }
        fold(
            decoded, sha: event.sha,
            reference: EventReference(position: event.position, hash: event.hash, at: event.recordedAt),
            contentHash: data.contentHash, metadata: type.isCandidateFact ? EventMetadata() : try event.metadataValue())
    }

    /// Folds one stored row read in place: its payload is read without building a tree, and of
    /// its metadata only what the fold uses. The bytes need to live only for the call.
    package mutating func apply(stored row: StoredRow) throws(LedgerError) {
        lastPosition = row.position
        guard let (event, reference, metadata) = try Self.facts(of: row) else { return }
        fold(
            event, sha: String(decoding: row.sha, as: UTF8.self), reference: reference,
            contentHash: StoredJSON(row.data).contentHash,
            metadata: metadata)
    }

    /// One event into its candidate's state.
    private mutating func fold(
        _ event: ReleaseEvent, sha: String, reference: EventReference, contentHash: @autoclosure () -> String,
        metadata: EventMetadata
    ) {
        // Taken out of the dictionary while it changes, so its runs and steps are not copied on write.
        var state = candidates.removeValue(forKey: sha)
        // The fold assigns production's fields and never reads them, so a scratch copy holding
        // markers shows which fields this event assigned, and when.
        var scratch = ProductionState()
        scratch.openRun = Self.unassignedRun
        scratch.live = Self.unassignedLive
        ReleaseFold.apply(
            event, sha: sha, reference: reference, contentHash: contentHash(), metadata: metadata, candidate: &state,
            production: &scratch)
        if scratch.openRun != Self.unassignedRun {
            production.openRun = scratch.openRun
            openRunAssignedAt = reference.position
        }
        if scratch.live != Self.unassignedLive {
            production.live = scratch.live
            liveAssignedAt = reference.position
        }
        candidates[sha] = state
    }

    private static let unassignedRun = ProductionState.RunPointer(sha: "", run: -1)
    private static let unassignedLive = ProductionState.Live(
        sha: "", run: -1, images: Images(api: "", web: ""), since: Timestamp(millisecondsSinceEpoch: 0), actor: nil,
        position: -1)

    /// Advances past a row that belongs to another part of a split fold.
    public mutating func skip(toPosition position: Int64) { lastPosition = position }

    /// Which of `parts` folds a candidate's rows go to, from its SHA's bytes (FNV-1a).
    package static func part(ofSHA sha: UnsafeBufferPointer<UInt8>, parts: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in sha { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(hash % UInt64(parts))
    }

    /// Puts together folds of the same events split by candidate (`part(ofSHA:parts:)`): the
    /// candidates are disjoint, and each production field is the one assigned last.
    public static func merge(_ parts: [LedgerFold]) -> LedgerFold {
        var merged = LedgerFold()
        for part in parts {
            merged.candidates.merge(part.candidates) { first, _ in first }
            merged.lastPosition = max(merged.lastPosition, part.lastPosition)
            if part.openRunAssignedAt > merged.openRunAssignedAt {
                merged.production.openRun = part.production.openRun
                merged.openRunAssignedAt = part.openRunAssignedAt
            }
            if part.liveAssignedAt > merged.liveAssignedAt {
                merged.production.live = part.production.live
                merged.liveAssignedAt = part.liveAssignedAt
            }
        }
        return merged
    }

    /// The same for one candidate (its row's SHA must be the candidate's): how a store folds the
    /// events recorded after a candidate's snapshot.
    package static func apply(
        stored row: StoredRow, to state: inout CandidateState?, production: inout ProductionState
    ) throws(LedgerError) {
        guard let (event, reference, metadata) = try facts(of: row) else { return }
        let sha = state?.sha ?? String(decoding: row.sha, as: UTF8.self)
        ReleaseFold.apply(
            event, sha: sha, reference: reference, contentHash: StoredJSON(row.data).contentHash, metadata: metadata,
            candidate: &state, production: &production)
    }

    /// A stored row's event, its reference and the metadata the fold reads; nil for a type the
    /// fold does not know (x- notes).
    private static func facts(of row: StoredRow) throws(LedgerError) -> (ReleaseEvent, EventReference, EventMetadata)? {
        guard let type = EventType(utf8: row.type) else { return nil }
        let event: ReleaseEvent
        do { event = try ReleaseEvent(type: type, decoding: StoredJSON(row.data)) } catch {
            throw unreadable(position: row.position, type: type, error)
        }
        var metadata = EventMetadata()
        if !type.isCandidateFact {
            let stored = StoredJSON(row.metadata)
            metadata.actor = stored["actor"]?.stringValue
            metadata.runId = stored["runId"]?.stringValue
        }
        guard let at = Timestamp(rfc3339UTF8: row.recordedAt) else {
            throw .integrity(
                "the event at position \(row.position) has a recorded_at that is not an RFC 3339 timestamp",
                firstBadPosition: row.position)
        }
        return (
            event, EventReference(position: row.position, hash: String(decoding: row.hash, as: UTF8.self), at: at),
            metadata
        )
    }

    /// A stored payload that its type's decoder refuses: written by another version of the
    /// catalog, or changed behind the ledger's back (`verify` tells which).
    static func unreadable(position: Int64, type: EventType, _ error: PayloadDecodingError) -> LedgerError {
        .integrity(
            "the \(type.rawValue) event at position \(position) does not read as its type: \(error.field) \(error.rule)",
            firstBadPosition: position)
    }
}
