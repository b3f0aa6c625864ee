// Refuses credentials before they reach the ledger.
//
// Every string an event stores (id, stream, type, sha, payload keys and values, metadata) passes
// through `SecretScanner.scan` before append, so the scanner is written for speed: standard
// library only (no Foundation, to keep start-up fast), one forward pass over the UTF-8 bytes for
// the value-shape rules, no heap allocation on the common path, and every look-ahead bounded so
// the whole scan stays O(n) even on hostile 64 KiB inputs. Base64 runs that decode to text are
// scanned once more, and only once. The provider shapes follow gitleaks' and detect-secrets'
// rules, rewritten as byte matchers. Error lines are scrubbed with `redactingSecrets`.

/// What the scanner found: the field and the kind of credential, never the value.
public struct SecretFinding: Equatable, Sendable {
    /// Path of the offending value as the caller named it, e.g. `data.evidence[0].url`.
    public let field: String
    /// Which credential shape matched; its raw value is a phrase fit for a refusal message.
    public let kind: SecretKind
}
