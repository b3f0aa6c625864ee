/// A payload that does not have the shape of its event type, with the field that is wrong
/// (`data.verdict`) and the rule it breaks.
public struct PayloadDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let rule: String

    public init(field: String, rule: String) {
        self.field = field
        self.rule = rule
    }

    public var description: String { "\(field) \(rule)" }
}
