/// A problem with one field: its path and the rule it breaks.
public struct PayloadProblem: Equatable, Sendable {
    public let field: String
    public let rule: String
}
