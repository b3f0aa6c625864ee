/// Event ids derived from a CI step, for steps that send no `--id`.
///
/// The id is `KEY-rRUN`, where KEY names the step (workflow run, attempt, job, step and content)
/// and RUN is the ledger run the event joins, so the same step for a new run (a replay inside the
/// same workflow run) records anew. A retry is a retry only while the step's event is still the
/// newest of its stream: a smoke that failed, passed, then failed again in one job records three
/// times, and the third gets `KEY-rRUN.3`.
public enum RetryKey {
    /// Whether a stored id was made from `key`.
    public static func matches(_ id: String, key: String) -> Bool {
        id.hasPrefix(key + "-r")
    }

    /// The ledger run an event of `type` joins, given its candidate before it: 0 for candidate
    /// facts and notes, the run a replay opens, else the open run (or the first, which the event opens).
    public static func ledgerRun(type: String, candidate: CandidateState?) -> Int {
        guard let type = EventType(rawValue: type), !type.isCandidateFact else { return 0 }
        let count = candidate?.runCount ?? 0
        switch type {
        case .replayRequested: return count + 1
        case .verdictRecorded: return candidate?.openRun?.number ?? candidate?.runs.last?.number ?? 0
        default: return candidate?.openRun?.number ?? count + 1
        }
    }

    /// The first id of `key` and `run` that `taken` says is free.
    static func unusedID(key: String, run: Int, taken: (String) throws(LedgerError) -> Bool) throws(LedgerError)
        -> String
    {
        let base = "\(key)-r\(run)"
        if try !taken(base) { return base }
        var repeatNumber = 2
        while try taken("\(base).\(repeatNumber)") { repeatNumber += 1 }
        return "\(base).\(repeatNumber)"
    }
}
