public struct PayloadField: Sendable {
    public let name: String
    public let shape: PayloadShape
    public let required: Bool

    public static func required(_ name: String, _ shape: PayloadShape) -> PayloadField {
        PayloadField(name: name, shape: shape, required: true)
    }

    public static func optional(_ name: String, _ shape: PayloadShape) -> PayloadField {
        PayloadField(name: name, shape: shape, required: false)
    }
}
