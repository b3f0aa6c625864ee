/// The JSON Schema of each event type's payload, made from the shape, summary and conditions its
/// payload type declares: `Schema/events/*.json` are this output (`release-ledger schema --write
/// Schema/events` writes them; `EventSchemaFilesTests` fails while a checked-in file is stale).
public enum EventSchema {
    /// `deploy.recorded` is in `deploy_recorded.json`.
    public static func fileName(of type: EventType) -> String {
        String(type.rawValue.map { $0 == "." ? "_" : $0 }) + ".json"
    }

    /// Where the schema is published; its last part is the payload's schema version.
    public static func id(of type: EventType) -> String {
        "https://release-ledger.dev/schema/events/\(type.rawValue)/v\(type.schemaVersion).json"
    }

    /// The file's text: two-space indented, fields in declaration order, trailing newline.
    public static func text(of type: EventType) -> String { document(of: type).prettyText }

    public static func document(of type: EventType) -> OrderedJSON {
        let payload = type.payloadType
        var members: [(key: String, value: OrderedJSON)] = [
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", .string(id(of: type))),
            (
                "$comment",
                "Generated from the event catalog by `release-ledger schema --write Schema/events`; do not edit."
            ),
            ("title", .string(title(of: type))),
            ("description", .string(payload.summary)),
        ]
        if case .object(let body) = node(for: payload.shape, description: "") { members += body }
        if !payload.schemaConditions.isEmpty { members.append(("allOf", .array(payload.schemaConditions))) }
        return .object(members)
    }

    /// "identity.preflight.recorded" is titled "Identity preflight recorded".
    static func title(of type: EventType) -> String {
        let words = String(type.rawValue.map { $0 == "." ? " " : $0 })
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// One shape as JSON Schema; `description` is the field's own sentence, to which the shape
    /// adds what its format is, so a reader of the schema needs no other document.
    static func node(for shape: PayloadShape, description: String) -> OrderedJSON {
        var members: [(key: String, value: OrderedJSON)] = []
        let format = formatSentence(of: shape)
        let sentence = [description, format].filter { !$0.isEmpty }.joined(separator: " ")
        if !sentence.isEmpty { members.append(("description", .string(sentence))) }
        switch shape {
        case .object(let fields):
            members += [
                ("type", "object"),
                ("required", .array(fields.filter(\.required).map { .string($0.name) })),
                ("properties", .object(fields.map { ($0.name, node(for: $0.shape, description: $0.description)) })),
                ("additionalProperties", false),
            ]
        case .array(let element, let minItems):
            members += [
                ("type", "array"), ("minItems", .integer(Int64(minItems))),
                ("items", node(for: element, description: "")),
            ]
        case .text:
            members += [("type", "string"), ("minLength", 1)]
        case .optionalText:
            members += [("type", ["string", "null"]), ("minLength", 1)]
        case .oneOf(let allowed):
            members += [("type", "string"), ("enum", .array(allowed.map(OrderedJSON.string)))]
        case .boolean:
            members += [("type", "boolean")]
        case .digestRef:
            members += [
                ("type", "string"), ("maxLength", .integer(Int64(Formats.maxDigestRefLength))),
                ("pattern", "^[a-z0-9]+([._/:-][a-z0-9]+)*@sha256:[0-9a-f]{64}$"),
            ]
        case .commitSHA:
            members += [("type", "string"), ("pattern", "^[0-9a-f]{40}$")]
        case .httpURL:
            members += [("type", "string"), ("pattern", #"^https?://[^/\x00-\x20][^\x00-\x20]*$"#)]
        case .timestamp:
            members += [("type", "string"), ("format", "date-time"), ("pattern", .string(rfc3339Pattern))]
        case .positiveNumber:
            members += [("type", "number"), ("exclusiveMinimum", 0)]
        case .identifier:
            // The integers a JSON parser anywhere reads exactly: I-JSON's range, ±(2^53 - 1).
            let exact = Int64(1 << 53) - 1
            members.append(
                (
                    "oneOf",
                    [
                        ["type": "string", "minLength": 1],
                        ["type": "integer", "minimum": .integer(-exact), "maximum": .integer(exact)],
                    ]
                ))
        case .anyValue:
            break
        }
        return .object(members)
    }

    /// What a value of this shape looks like, said once for every field of the shape.
    static func formatSentence(of shape: PayloadShape) -> String {
        switch shape {
        case .digestRef:
            "An image digest reference REPOSITORY@sha256:<64 lowercase hex>: lowercase registry host (optional :port) "
                + "and path, single separators from . _ - / :, at most 255 characters before the '@'. "
                + "A tag is not a digest and is refused."
        case .httpURL: "An absolute http:// or https:// URL with a host and no whitespace or control characters."
        case .timestamp:
            "An RFC 3339 date-time with a time zone (Z or +hh:mm), e.g. 2026-11-29T02:00:00Z; the pattern checks "
                + "calendar days (leap years included) because `format` is only an annotation."
        case .identifier: "Integers stay within the exact range of I-JSON (RFC 7493)."
        default: ""
        }
    }

    /// RFC 3339 with calendar days: 29 February only in leap years, 31 only in long months.
    static let rfc3339Pattern =
        "^(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
        + "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
        + "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
}
