/// What a stream must look like for an append to go ahead (optimistic concurrency).
public enum ExpectedVersion: Equatable, Hashable, Sendable, CustomStringConvertible {
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must have at least one event.
    case exists
    /// The stream's current version must be exactly this (0 means empty).
    case exact(Int64)

    public init?(argument: String) {
        switch argument {
        case "any": self = .any
        case "none": self = .noStream
        case "exists": self = .exists
        default:
            guard let version = Int64(argument), version >= 0 else { return nil }
            self = .exact(version)
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "none"
        case .exists: "exists"
        case .exact(let v): String(v)
        }
    }

    func admits(currentVersion: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: currentVersion == 0
        case .exists: currentVersion > 0
        case .exact(let v): currentVersion == v
        }
    }
}
