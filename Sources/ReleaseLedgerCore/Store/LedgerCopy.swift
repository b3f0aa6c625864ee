/// A store that takes events recorded elsewhere as they are: same positions, ids, times and
/// hashes. `copy` writes with it; the rules are not run again (they ran when the events were
/// first appended), but every event must extend the chain (`RecordedEventCheck`).
public protocol RecordedEventImporting: ReleaseHistory {
    /// Appends `events` in one transaction, each checked by `RecordedEventCheck.extends`.
    func importRecorded(_ events: [RecordedEvent]) throws(LedgerError)
}

public enum RecordedEventCheck {
    /// Refuses an event that is not the next link after `head`: the next position, the head's hash
    /// as its previous hash, and a hash that recomputes from its content.
    public static func extends(_ head: ChainHead, with event: RecordedEvent) throws(LedgerError) {
        guard event.position == head.position + 1, event.previousHash == head.hash else {
            throw .integrity(
                "event \(event.position) does not follow the head at position \(head.position)",
                firstBadPosition: event.position)
        }
        guard (1...ChainHasher.currentVersion).contains(event.chainVersion), ChainHasher.hash(of: event) == event.hash
        else {
            throw .integrity(
                "the event at position \(event.position) does not match its hash", firstBadPosition: event.position)
        }
    }
}

/// What a copy did.
public struct CopyReport: Equatable, Sendable {
    /// Events written by this run.
    public var copied: Int64
    /// Where the destination's chain stood before (0 for an empty one; more when a copy resumed).
    public var resumedFrom: Int64
    /// The head both ledgers now share.
    public var head: ChainHead
}

/// Moves a whole ledger between stores (SQLite to PostgreSQL and back) keeping every event,
/// position and hash. The source is verified first and the destination after.
public enum LedgerCopy {
    public static func copy(
        from source: any EventStore, to destination: any RecordedEventImporting, pageSize: Int = 2048
    ) throws(LedgerError) -> CopyReport {
        let sourceReport = try source.verify(anchor: nil)
        guard sourceReport.isIntact else {
            throw .integrity(
                "the source does not verify (\(sourceReport.problem ?? "broken chain")); nothing was copied",
                firstBadPosition: sourceReport.firstBadPosition)
        }
        let target = sourceReport.head
        let start = try destination.head()
        // A copy that stopped part way resumes: the destination must then be a prefix of the source.
        if start.position > 0 {
            let same = try source.events(EventQuery(afterPosition: start.position - 1, limit: 1)).first
            guard let same, same.position == start.position, same.hash == start.hash else {
                throw .conflict(
                    "the destination already holds another ledger (its head is position \(start.position)); copy writes only into an empty ledger or one it was copying"
                )
            }
        }
        var after = start.position
        while after < target.position {
            let page = try source.events(
                EventQuery(afterPosition: after, upToPosition: target.position, limit: pageSize))
            guard let last = page.last else { break }
            try destination.importRecorded(page)
            after = last.position
        }
        try destination.rebuildReadModel()
        let check = try destination.verify(anchor: target)
        guard check.isIntact, check.head == target else {
            throw .integrity(
                "the copy does not verify against the source's head \(target.position) (\(check.problem ?? "heads differ"))",
                firstBadPosition: check.firstBadPosition)
        }
        return CopyReport(copied: target.position - start.position, resumedFrom: start.position, head: target)
    }
}
