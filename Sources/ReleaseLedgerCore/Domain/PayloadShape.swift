/// A small declarative description of a payload, read by the validator. `Schema/events/*.json`
/// says the same in JSON Schema; a test feeds both the same examples.
public indirect enum PayloadShape: Sendable {
    case object([PayloadField])
    case array(of: PayloadShape, minItems: Int)
    case text
    case oneOf([String])
    case boolean
    case digestRef
    case commitSHA
    case httpURL
    case timestamp
    case positiveNumber
    /// A string or null.
    case optionalText
    /// A string or an integer (GitHub deployment ids are numbers, other systems use strings).
    case identifier
    /// Any JSON value: the verdict's gate table is written by the ledger itself.
    case anyValue
}

extension PayloadShape {
    /// One of a domain value's cases: the allowed strings come from the enum.
    public static func oneOf<Value: DomainValue>(_: Value.Type) -> PayloadShape { .oneOf(Value.allowedValues) }

    /// Links to evidence: `[{"name": ..., "url": ...}]`.
    public static let evidence = PayloadShape.array(
        of: .object([
            .required("name", .text, "What the link shows, e.g. report or trace."),
            .required("url", .httpURL, "Where the evidence is."),
        ]),
        minItems: 0)

    /// Every problem in `value`, so a caller fixes them all at once.
    public func problems(in value: JSONValue, at path: String) -> [PayloadProblem] {
        problems(in: value) { path }
    }

    /// The path is built only for a problem: every append checks its payload, and most have none.
    private func problems(in value: JSONValue, path: () -> String) -> [PayloadProblem] {
        func problem(_ rule: String) -> [PayloadProblem] { [PayloadProblem(field: path(), rule: rule)] }
        switch self {
        case .object(let fields):
            guard case .object(let object) = value else { return problem("must be an object, not \(value.typeName)") }
            var found: [PayloadProblem] = []
            for field in fields {
                if let member = object[field.name] {
                    found += field.shape.problems(in: member) { "\(path()).\(field.name)" }
                } else if field.required {
                    found.append(PayloadProblem(field: "\(path()).\(field.name)", rule: "is required"))
                }
            }
            for key in object.keys where !fields.contains(where: { $0.name == key }) {
                found.append(PayloadProblem(field: path() + JSONPath.member(key), rule: "is not a known field"))
            }
            return found
        case .array(let element, let minItems):
            guard case .array(let elements) = value else { return problem("must be an array, not \(value.typeName)") }
            if elements.count < minItems { return problem("must have at least \(minItems) item(s)") }
            var found: [PayloadProblem] = []
            for (index, item) in elements.enumerated() {
                found += element.problems(in: item) { "\(path())[\(index)]" }
            }
            return found
        case .text:
            guard case .string(let s) = value else { return problem("must be a string, not \(value.typeName)") }
            return s.isEmpty ? problem("must not be empty") : []
        case .optionalText:
            if value.isNull { return [] }
            guard case .string(let s) = value else { return problem("must be a string or null, not \(value.typeName)") }
            return s.isEmpty ? problem("must not be empty (use null)") : []
        case .identifier:
            switch value {
            case .string(let s) where !s.isEmpty: return []
            // 4242.0 and 4242 are one JSON number (CanonicalJSON writes both as 4242).
            case .number where value.intValue != nil: return []
            default: return problem("must be a non-empty string or an integer")
            }
        case .oneOf(let allowed):
            guard case .string(let s) = value, allowed.contains(s) else {
                return problem("must be one of \(allowed.joined(separator: ", "))")
            }
            return []
        case .boolean:
            return value.boolValue == nil ? problem("must be true or false, not \(value.typeName)") : []
        case .digestRef:
            guard case .string(let s) = value, Formats.isDigestRef(s) else {
                return problem(
                    "must be an image digest reference REPOSITORY@sha256:<64 lowercase hex> (tags are not accepted)")
            }
            return []
        case .commitSHA:
            guard case .string(let s) = value, Formats.isCommitSHA(s) else {
                return problem("must be a commit SHA of 40 lowercase hex digits")
            }
            return []
        case .httpURL:
            guard case .string(let s) = value, Formats.isHTTPURL(s) else { return problem("must be an http(s) URL") }
            return []
        case .timestamp:
            guard case .string(let s) = value, Timestamp(rfc3339: s) != nil else {
                return problem("must be an RFC 3339 date-time such as 2026-11-29T19:08:57Z")
            }
            return []
        case .positiveNumber:
            guard let number = value.doubleValue, number > 0 else { return problem("must be a number greater than 0") }
            return []
        case .anyValue:
            return []
        }
    }
}
