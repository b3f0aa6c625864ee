import SecretScanning

/// Validation of every event type's payload, from the shapes the payload types declare
/// (`CandidateFrozen.shape`, ...). `Schema/events/<type>.json` says the same for tools outside Swift.
public enum EventCatalog {
    /// Each type's payload shape, as its payload type declares it.
    public static func shape(of type: EventType) -> PayloadShape { type.payloadType.shape }

    /// A signed checkpoint the ledger issued (`release-ledger checkpoint`): no release rule reads
    /// it; the ledger reads them back to never sign two inconsistent checkpoints. Its SHA is
    /// `checkpointSHA` and its stream `checkpoints`.
    public static let checkpointIssued = "checkpoint.issued"
    /// The SHA of no commit: checkpoints belong to the ledger, not to a candidate.
    public static let checkpointSHA = String(repeating: "0", count: 40)
    static let checkpointIssuedShape = PayloadShape.object([
        .required("origin", .text), .required("size", .identifier), .required("rootHash", .text),
        .required("verifier", .text),
        .required("signedNote", .text),
    ])

    /// Checks the envelope fields and the payload; throws every problem found, on one line.
    public static func validate(type: String, sha: String, data: JSONValue) throws(LedgerError) {
        var problems: [PayloadProblem] = []
        if !Formats.isCommitSHA(sha) {
            problems.append(PayloadProblem(field: "sha", rule: "must be a commit SHA of 40 lowercase hex digits"))
        }
        if let known = EventType(rawValue: type) {
            problems += shape(of: known).problems(in: data, at: "data")
            problems += extraRules(for: known, data: data)
        } else if TokenEvent.isTokenType(type) {
            problems += TokenEvent.problems(type: type, sha: sha, data: data)
        } else if type == checkpointIssued {
            problems += checkpointIssuedShape.problems(in: data, at: "data")
        } else if EventType.isExtension(type) {
            if data.objectValue == nil { problems.append(PayloadProblem(field: "data", rule: "must be a JSON object")) }
        } else {
            problems.append(
                PayloadProblem(
                    field: "type",
                    rule: "'\(printable(type))' is not a known event type (free-form notes use an x- prefix)"))
        }
        guard problems.isEmpty else {
            throw .invalidInput(
                field: problems[0].field,
                rule: problems.map { $0 == problems[0] ? $0.rule : "\($0.field): \($0.rule)" }.joined(separator: "; "))
        }
    }

    /// Rules that tie one field to another, beyond each field's own shape.
    static func extraRules(for type: EventType, data: JSONValue) -> [PayloadProblem] {
        switch type {
        case .readinessRecorded:
            if let check = data["check"]?.stringValue.flatMap(ReadinessCheck.init(rawValue:)) {
                return check.requiredFields.filter { data[$0] == nil }
                    .map { PayloadProblem(field: "data.\($0)", rule: "is required for the \(check.rawValue) check") }
            }
        case .identityPreflightRecorded:
            // A preflight recorded by hand must be the one the runbook's contract computes.
            let apiURI = data["apiIdentifierUri"]?.stringValue
            let audience = data["entraAudience"]?.stringValue
            let expected = IdentityPreflight.evaluate(apiIdentifierURI: apiURI, entraAudience: audience)
            // A missing status is already reported by the shape; here only a contradicting one.
            if let status = data["status"]?.stringValue,
                status != expected.status.rawValue || data["resolved"]?.stringValue != expected.resolved
            {
                return [
                    PayloadProblem(
                        field: "data.status",
                        rule:
                            "does not follow the identity preflight contract (expected \(expected.status.rawValue): \(expected.reason))"
                    )
                ]
            }
        default:
            break
        }
        return []
    }

    /// Control characters and very long values are not echoed back into messages.
    public static func printable(_ s: String) -> String {
        if SecretScanner.scan(value: s, key: nil, field: "") != nil { return "(a value that looks like a secret)" }
        let cleaned = String(
            String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(60)))
        return cleaned
    }
}
