/// Everything that can go wrong, sorted by what the caller should do about it.
/// Each case carries one sentence a person can act on; none ever carries a secret value.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command line was used wrongly (exit 64).
    case usage(String)
    /// A field of the input breaks a rule: malformed, missing, unknown, too large, a secret (exit 65).
    case invalidInput(field: String, rule: String)
    /// A release rule refuses the event (exit 2). `rule` names it, e.g. "rule 4 (acceptance YES before production)".
    case refused(rule: String, reason: String)
    /// Expected version or idempotency conflict (exit 3).
    case conflict(String)
    /// The hash chain or a row's content does not check out (exit 4).
    case integrity(String, firstBadPosition: Int64?)
    /// The database file or the disk failed (exit 74).
    case storage(String)
    /// Another writer held the ledger past the busy timeout; nothing was written, safe to retry (exit 75).
    case busy(String)
    /// A ledger server refused the credential: missing, invalid or without the scope (exit 77, sysexits' EX_NOPERM).
    case permission(String)

    public var description: String {
        switch self {
        case .usage(let message): message
        case .invalidInput(let field, let rule): "\(field): \(rule)"
        case .refused(let rule, let reason): "refused by \(rule): \(reason)"
        case .conflict(let message): "conflict: \(message)"
        case .integrity(let message, _): "integrity check failed: \(message)"
        case .storage(let message): "storage error: \(message)"
        case .busy(let message): "busy: \(message)"
        case .permission(let message): "permission denied: \(message)"
        }
    }

    /// The documented process exit code for this kind of failure.
    public var exitCode: Int32 {
        switch self {
        case .refused: 2
        case .conflict: 3
        case .integrity: 4
        case .usage: 64
        case .invalidInput: 65
        case .storage: 74
        case .busy: 75
        case .permission: 77
        }
    }
}

extension LedgerError {
    init(_ parseError: JSONParseError) {
        self = .invalidInput(field: parseError.path, rule: parseError.rule)
    }
}
