public struct PayloadField: Sendable {
    public let name: String
    public let shape: PayloadShape
    public let required: Bool
    /// What the field means, in a sentence: the `description` of its JSON Schema. The event
    /// schemas' staleness test checks that every field of an event type has one.
    public let description: String

    public static func required(_ name: String, _ shape: PayloadShape, _ description: String = "") -> PayloadField {
        PayloadField(name: name, shape: shape, required: true, description: description)
    }

    public static func optional(_ name: String, _ shape: PayloadShape, _ description: String = "") -> PayloadField {
        PayloadField(name: name, shape: shape, required: false, description: description)
    }
}
