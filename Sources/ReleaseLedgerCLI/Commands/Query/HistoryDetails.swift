import ReleaseLedgerCore

/// What a history line adds to the `runs` read model's columns: the reasons, the approver, whether
/// it was forced, the evidence, and the CI run of the event that decided it (opened it, while pending).
struct HistoryDetails {
    var reason: String?
    var decisionReason: String?
    var approver: String?
    var forced = false
    var evidence: [EvidenceLink] = []
    var ciRun = EventMetadata()

    init(_ entry: HistoryEntry) {
        ciRun = entry.metadata
        if let acceptance = entry.acceptance {
            decisionReason = acceptance.reason
            evidence = acceptance.evidence
        } else if let run = entry.run {
            reason = run.reason
            decisionReason = run.decision.flatMap { $0.reason.isEmpty ? nil : $0.reason }
            approver = run.approver
            forced = run.forced
            evidence = run.steps.flatMap(\.evidence)
        }
    }

    static let headers = ["APPROVER", "REASONS", "EVIDENCE", "CI RUN"]

    func row(markdown: Bool) -> [String] {
        let reasons = [
            reason.map { "requested: \($0)" }, forced ? "forced" : nil, decisionReason.map { "decided: \($0)" },
        ].compactMap { $0 }
        let links = evidence.map { markdown ? "[\($0.name)](\($0.url))" : $0.name }
        let run = ciRun.runId.map { id in ciRun.ciRunURL.map { markdown ? "[\(id)](\($0))" : $0 } ?? id }
        return [
            approver.orDash, reasons.isEmpty ? "-" : reasons.joined(separator: "; "),
            links.isEmpty ? "-" : links.joined(separator: ", "), run.orDash,
        ]
    }

    func json(adding summary: JSONValue) -> JSONValue {
        guard var object = summary.objectValue else { return summary }
        object["approver"] = .optionalString(approver)
        object["reason"] = .optionalString(reason)
        object["decisionReason"] = .optionalString(decisionReason)
        object["forced"] = .bool(forced)
        object["evidence"] = .array(evidence.map { ["name": .string($0.name), "url": .string($0.url)] })
        object["ciRun"] = ciRun.ciRunJSON
        return .object(object)
    }
}
