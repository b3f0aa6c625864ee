import SecretScanning

/// The payload of every event type: the one place that says what each event carries.
/// `Schema/events/<type>.json` mirrors it for tools outside Swift.
public enum EventCatalog {
    static let evidence = PayloadShape.array(
        of: .object([.required("name", .text), .required("url", .httpURL)]), minItems: 0)
    static let outcome = PayloadShape.oneOf(["succeeded", "failed"])

    public static func shape(of type: EventType) -> PayloadShape {
        switch type {
        case .candidateFrozen:
            .object([
                .required("images", .object([.required("api", .digestRef), .required("web", .digestRef)])),
                .required(
                    "scopes",
                    .object([
                        .required("runtime", .boolean), .required("infra", .boolean), .required("identity", .boolean),
                        .required("requiresInfraConvergence", .boolean),
                    ])),
                .required("migrationRequired", .boolean),
            ])
        case .acceptanceRecorded:
            .object([.required("verdict", .oneOf(["YES", "NO"])), .optional("evidence", evidence), .optional("reason", .text)])
        case .readinessRecorded:
            .object([
                .required("check", .oneOf(["entra-canary", "delegated-probe"])), .required("status", .oneOf(["pass", "fail"])),
                .optional("lastGreenAt", .timestamp), .optional("sloHours", .positiveNumber),
                .optional("targetApiBaseUrl", .httpURL),
            ])
        case .identityPreflightRecorded:
            .object([
                .optional("apiIdentifierUri", .optionalText), .optional("entraAudience", .optionalText),
                .required("resolved", .optionalText), .required("status", .oneOf(["pass", "fail"])),
                .required("reason", .text),
            ])
        case .approvalRecorded:
            .object([
                .required("gate", .oneOf(["control-plane"])), .required("decision", .oneOf(["approved", "rejected"])),
                .required("approver", .text),
            ])
        case .applyRecorded:
            .object([.required("scope", .oneOf(["identity", "infra"])), .required("outcome", outcome)])
        case .migrationRecorded:
            .object([.required("step", .oneOf(["image-updated", "ran"])), .required("image", .digestRef), .required("outcome", outcome)])
        case .deployRecorded:
            .object([.required("app", .oneOf(["api", "web"])), .required("image", .digestRef), .required("outcome", outcome)])
        case .smokeRecorded:
            .object([
                .required("suite", .oneOf(["api", "browser"])), .required("outcome", .oneOf(["passed", "failed"])),
                .optional("evidence", evidence),
            ])
        case .deploymentRecorded:
            .object([
                .optional("deploymentId", .identifier), .optional("environmentUrl", .httpURL), .optional("environment", .text),
            ])
        case .verdictRecorded:
            .object([
                .optional("decision", .oneOf(["YES", "NO"])), .optional("reason", .text), .optional("gates", .anyValue),
            ])
        case .replayRequested:
            .object([
                .required("mode", .oneOf(["rollback", "replay"])), .required("reason", .text),
                .optional("replaces", .commitSHA), .optional("requestedBy", .text), .optional("forced", .boolean),
            ])
        }
    }

    /// Checks the envelope fields and the payload; throws every problem found, on one line.
    public static func validate(type: String, sha: String, data: JSONValue) throws(LedgerError) {
        var problems: [PayloadProblem] = []
        if !Formats.isCommitSHA(sha) { problems.append(PayloadProblem(field: "sha", rule: "must be a commit SHA of 40 lowercase hex digits")) }
        if let known = EventType(rawValue: type) {
            problems += shape(of: known).problems(in: data, at: "data")
            problems += extraRules(for: known, data: data)
        } else if TokenEvent.isTokenType(type) {
            problems += TokenEvent.problems(type: type, sha: sha, data: data)
        } else if EventType.isExtension(type) {
            if data.objectValue == nil { problems.append(PayloadProblem(field: "data", rule: "must be a JSON object")) }
        } else {
            problems.append(PayloadProblem(field: "type", rule: "'\(printable(type))' is not a known event type (free-form notes use an x- prefix)"))
        }
        guard problems.isEmpty else {
            throw .invalidInput(field: problems[0].field, rule: problems.map { $0 == problems[0] ? $0.rule : "\($0.field): \($0.rule)" }.joined(separator: "; "))
        }
    }

    /// Rules that tie one field to another, beyond each field's own shape.
    static func extraRules(for type: EventType, data: JSONValue) -> [PayloadProblem] {
        switch type {
        case .readinessRecorded:
            if data["check"] == "entra-canary" {
                return ["lastGreenAt", "sloHours"].filter { data[$0] == nil }
                    .map { PayloadProblem(field: "data.\($0)", rule: "is required for the entra-canary check") }
            }
            if data["check"] == "delegated-probe", data["targetApiBaseUrl"] == nil {
                return [PayloadProblem(field: "data.targetApiBaseUrl", rule: "is required for the delegated-probe check")]
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
                        rule: "does not follow the identity preflight contract (expected \(expected.status.rawValue): \(expected.reason))")
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
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(60)))
        return cleaned
    }
}
