import ReleaseLedgerCore

/// What `show` says about a run and its events, beside the raw event fields: the facts an auditor
/// asks for first (approver, reasons, evidence, the CI run).
enum ShowTimeline {
    static func title(_ run: RunState?) -> String {
        guard let run else { return "Candidate" }
        return "Run \(run.number) (\(run.kind.rawValue)): " + (run.decision?.decision.rawValue ?? "open")
    }

    /// One line per fact of the run that its events' columns do not show at a glance.
    static func facts(_ run: RunState?) -> [String] {
        guard let run else { return [] }
        var facts: [String] = []
        if run.kind != .promotion {
            var line = "\(run.kind.rawValue) requested by \(run.requestedBy.orDash)"
            if let replaces = run.replaces { line += ", replacing \(replaces)" }
            if let reason = run.reason { line += ": \(reason)" }
            if run.forced { line += " (forced)" }
            facts.append(line)
        }
        if let approval = run.approval { facts.append("control-plane \(approval) by \(run.approver.orDash)") }
        if let decision = run.decision {
            facts.append(
                "decision \(decision.decision) at \(decision.event.at) by \(decision.actor.orDash)"
                    + (decision.reason.isEmpty ? "" : ": \(decision.reason)"))
        }
        return facts
    }

    static func groupJSON(_ run: RunState?, events: [RecordedEvent]) throws(LedgerError) -> JSONValue {
        [
            "run": run.map { .int($0.number) } ?? .null,
            "title": .string(title(run)),
            "kind": run.map { .string($0.kind.rawValue) } ?? .null,
            "decision": run.map { .string($0.decision?.decision.rawValue ?? "PENDING") } ?? .null,
            "decidedAt": .optionalString(run?.decision?.event.at.description),
            "decidedBy": .optionalString(run?.decision?.actor),
            "decisionReason": run?.decision.map { $0.reason.isEmpty ? .null : .string($0.reason) } ?? .null,
            "reason": .optionalString(run?.reason),
            "replaces": .optionalString(run?.replaces),
            "requestedBy": .optionalString(run?.kind == .promotion ? nil : run?.requestedBy),
            "forced": .bool(run?.forced ?? false),
            "approval": .optionalString(run?.approval?.rawValue),
            "approver": .optionalString(run?.approver),
            "events": .array(try events.map { (event) throws(LedgerError) in try eventJSON(event) }),
        ]
    }

    static func eventJSON(_ event: RecordedEvent) throws(LedgerError) -> JSONValue {
        let data = try event.payload()
        let metadata = try event.metadataValue()
        return [
            "position": .number(.integer(event.position)), "type": .string(event.type),
            "subject": .string(subject(data)),
            "recordedAt": .string(event.recordedAt.description), "actor": .optionalString(metadata.actor),
            "outcome": .string(outcome(data)),
            "approver": .optionalString(data["approver"]?.stringValue),
            "reason": .optionalString(data["reason"]?.stringValue),
            "evidence": .array(evidence(data).map { ["name": .string($0.name), "url": .string($0.url)] }),
            "ciRun": metadata.ciRunJSON,
        ]
    }

    static func outcome(_ data: JSONValue) -> String {
        for key in ["outcome", "verdict", "decision", "status", "mode"] {
            if let value = data[key]?.stringValue { return value }
        }
        return "-"
    }

    static func subject(_ data: JSONValue) -> String {
        for key in ["app", "suite", "scope", "step", "check", "gate"] {
            if let value = data[key]?.stringValue { return value }
        }
        return ""
    }

    static func evidence(_ data: JSONValue) -> [EvidenceLink] {
        (data["evidence"]?.arrayValue ?? []).map {
            EvidenceLink(name: $0["name"]?.stringValue ?? "", url: $0["url"]?.stringValue ?? "")
        }
    }

    /// The approver, the reason and the evidence links an event carries, for the DETAILS column.
    static func details(_ data: JSONValue, markdown: Bool) -> [String] {
        var details: [String] = []
        if let approver = data["approver"]?.stringValue { details.append("approver \(approver)") }
        if let reason = data["reason"]?.stringValue { details.append("reason: \(reason)") }
        if data["forced"]?.boolValue == true { details.append("forced") }
        for link in evidence(data) {
            details.append(markdown ? "[\(link.name)](\(link.url))" : "\(link.name): \(link.url)")
        }
        return details
    }
}
