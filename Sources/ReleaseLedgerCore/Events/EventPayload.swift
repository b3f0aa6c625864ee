/// The payload of one event type: its keys and their shape (what the validator checks and the
/// JSON Schemas are made from) and its decoder, from a parsed value or from stored text.
///
/// Adding an event type starts here: a payload type, a case in `EventType` and in `ReleaseEvent`;
/// the compiler then points to every switch that must say what the new event does.
public protocol EventPayload: Equatable, Sendable {
    static var eventType: EventType { get }
    /// The payload's fields, their shapes and whether they are required.
    static var shape: PayloadShape { get }
    /// What the event records and what it does in the release: the description of its JSON Schema.
    static var summary: String { get }
    /// Conditions between fields, as JSON Schema `allOf` entries, for what `EventCatalog.extraRules`
    /// checks in Swift; most types have none.
    static var schemaConditions: [OrderedJSON] { get }
    /// Reads the payload; a field that is missing or of the wrong kind is an error naming it.
    init<Source: FoldPayload>(decoding data: Source) throws(PayloadDecodingError)
}

extension EventPayload {
    public static var schemaConditions: [OrderedJSON] { [] }

    /// From a parsed payload (`data`).
    public init(json: JSONValue) throws(PayloadDecodingError) { try self.init(decoding: json) }

    /// From a payload's stored text, read in place without building a tree.
    public init(storedText text: String) throws(PayloadDecodingError) {
        var text = text
        let decoded = text.withUTF8 { bytes -> Result<Self, PayloadDecodingError> in
            do throws(PayloadDecodingError) { return .success(try Self(decoding: StoredJSON(bytes))) } catch {
                return .failure(error)
            }
        }
        self = try decoded.get()
    }
}
