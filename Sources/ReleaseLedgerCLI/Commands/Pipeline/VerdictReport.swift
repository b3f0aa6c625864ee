import ReleaseLedgerCore

/// What `verdict` prints: the decision, why, and the gates behind it.
struct VerdictReport {
    var sha: String
    var run: Int
    var decision: DecisionFact
    var receipt: AppendReceipt
    /// Signed after the verdict with `--checkpoint`.
    var checkpoint: CheckpointIssuer.Issued?

    var failingGates: [GateResult] { decision.gates.filter { $0.required && $0.status != .passed } }

    /// The recorded reason, then each required gate that did not pass.
    var reasons: [String] {
        let gates = failingGates.map { "\($0.name) (\($0.status.rawValue))" }
        return decision.reason.hasPrefix("gates not passed: ") ? gates : [decision.reason] + gates
    }

    var json: JSONValue {
        let base: JSONValue = [
            "status": .string(receipt.status.rawValue), "sha": .string(sha), "run": .int(run),
            "decision": .string(decision.decision.rawValue),
            "reason": .string(decision.reason), "reasons": .array(reasons.map { .string($0) }),
            "failingGates": .array(failingGates.map { .string($0.name) }), "gates": .array(decision.gates.map(\.json)),
            "position": .number(.integer(receipt.position)), "id": .string(receipt.id),
        ]
        return base.adding("checkpoint", checkpoint.map(CheckpointIssuer.json))
    }

    var text: String {
        let how = receipt.status == .recorded ? "recorded at position" : "already recorded at position"
        var lines = ["verdict \(decision.decision) for \(shortSHA(sha)) run \(run) (\(how) \(receipt.position))"]
        lines.append("reasons:")
        lines += reasons.map { "  - \($0)" }
        let failing = failingGates.map(\.name)
        lines.append("failing gates: " + (failing.isEmpty ? "none" : failing.joined(separator: ", ")))
        lines.append(
            Table(
                title: nil, headers: ["GATE", "REQUIRED", "STATUS"],
                rows: decision.gates.map {
                    [$0.name, $0.required ? "yes" : "no", $0.status.rawValue]
                }
            ).render(.table))
        if let checkpoint {
            lines.append(
                "checkpoint (size \(checkpoint.checkpoint.size), recorded at position \(checkpoint.receipt.position)):")
            lines.append(checkpoint.note)
        }
        return lines.joined(separator: "\n")
    }
}
