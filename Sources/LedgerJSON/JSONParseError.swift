/// Why a document was refused; `path` names the field (e.g. `data.images.api`).
public struct JSONParseError: Error, Equatable, Sendable {
    public let path: String
    public let rule: String
    public let offset: Int

    public var description: String { "\(path): \(rule) (byte \(offset))" }
}
