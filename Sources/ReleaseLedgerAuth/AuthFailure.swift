/// Why a request is not let in. The server answers 401 for `unauthenticated` (no credential, or
/// one that does not verify), 403 for `forbidden` (a verified credential without the scope), and
/// 503 for `unavailable` (the server cannot read its token table or the provider's keys: not the
/// client's fault, and worth a retry). No message ever contains the credential.
public enum AuthFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case unauthenticated(String)
    case forbidden(String)
    case unavailable(String)

    public var httpStatus: Int {
        switch self {
        case .unauthenticated: 401
        case .forbidden: 403
        case .unavailable: 503
        }
    }

    public var message: String {
        switch self {
        case .unauthenticated(let message), .forbidden(let message), .unavailable(let message): message
        }
    }

    public var description: String { message }
}
