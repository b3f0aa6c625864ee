/// Which SHA `rollback` without `--to` goes back to: the newest one decided YES that production
/// was not rolled back from since, and that is still known good (its latest run said YES).
public enum RollbackTarget {
    public struct Skipped: Equatable, Sendable {
        public var sha: String
        public var why: String
    }

    public struct Choice: Equatable, Sendable {
        public var sha: String?
        /// Newer YES candidates passed over, newest first, each with its reason.
        public var skipped: [Skipped]
    }

    /// - Parameters:
    ///   - live: the SHA in production now (never its own rollback target).
    ///   - yesRuns: runs decided YES, any order.
    ///   - rollbackRuns: runs of kind rollback, any order (their `replaces` names what they left).
    ///   - hazard: why a candidate is not known good (`ReleaseRules.rollbackHazard`), or nil.
    public static func pick(
        live: String, yesRuns: [RunSummary], rollbackRuns: [RunSummary], hazard: (String) throws(LedgerError) -> String?
    ) throws(LedgerError) -> Choice {
        var skipped: [Skipped] = []
        var seen: Set<String> = [live]
        for run in yesRuns.sorted(by: { ($0.decidedPosition ?? 0) > ($1.decidedPosition ?? 0) })
        where !seen.contains(run.sha) {
            seen.insert(run.sha)
            let decidedAt = run.decidedPosition ?? run.openedPosition
            if let away = rollbackRuns.filter({ $0.replaces == run.sha && $0.openedPosition > decidedAt })
                .min(by: { $0.openedPosition < $1.openedPosition })
            {
                skipped.append(
                    Skipped(sha: run.sha, why: "production was rolled back from it at position \(away.openedPosition)"))
                continue
            }
            if let why = try hazard(run.sha) {
                skipped.append(Skipped(sha: run.sha, why: why))
                continue
            }
            return Choice(sha: run.sha, skipped: skipped)
        }
        return Choice(sha: nil, skipped: skipped)
    }
}
