import ReleaseLedgerCore

extension RunSummary {
    var json: JSONValue {
        [
            "sha": .string(sha), "run": .int(run), "kind": .string(kind.rawValue),
            "replaces": .optionalString(replaces),
            "decision": .string(decision?.rawValue ?? "PENDING"), "startedAt": .string(openedAt.description),
            "decidedAt": .optionalString(decidedAt?.description), "actor": .optionalString(actor),
            "openedPosition": .number(.integer(openedPosition)),
            "decidedPosition": decidedPosition.map { .number(.integer($0)) } ?? .null,
        ]
    }

    var row: [String] {
        [
            sha, String(run), kind.rawValue, decision?.rawValue ?? "PENDING", openedAt.description,
            decidedAt?.description ?? "-",
            actor.orDash,
        ]
    }

    static let headers = ["SHA", "RUN", "KIND", "DECISION", "STARTED", "DECIDED", "ACTOR"]
}
