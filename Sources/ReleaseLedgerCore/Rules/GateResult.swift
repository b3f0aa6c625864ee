/// The outcome of one gate of the release decision.
public enum GateStatus: String, DomainValue {
    case passed, failed, missing
    case notRequired = "not-required"
}

public struct GateResult: Equatable, Sendable {
    public var name: String
    public var required: Bool
    public var status: GateStatus

    public var json: JSONValue {
        ["name": .string(name), "required": .bool(required), "status": .string(status.rawValue)]
    }
}
