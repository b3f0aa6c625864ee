/// A value of the release domain that travels as a string: a payload field, a command-line
/// choice, an `enum` in a JSON Schema. The cases are the one list all three are made from.
public protocol DomainValue: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {}

extension DomainValue {
    /// In text a value is what the ledger stores ("YES", "image-updated"), never its case name.
    public var description: String { rawValue }

    /// The allowed strings, in declaration order (the order the schemas and `--help` list them).
    public static var allowedValues: [String] { allCases.map(\.rawValue) }
}

/// A yes-or-no release decision: the acceptance verdict and the production verdict.
public enum Decision: String, DomainValue {
    case yes = "YES"
    case no = "NO"
}

/// How a production mutation ended (an apply, a migration step, a deploy).
public enum Outcome: String, DomainValue {
    case succeeded, failed
}

/// How a smoke suite ended.
public enum SmokeOutcome: String, DomainValue {
    case passed, failed
}

/// The control-plane approver's answer.
public enum ApprovalDecision: String, DomainValue {
    case approved, rejected
}

/// The approval gates an approval can be for.
public enum ApprovalGate: String, DomainValue {
    case controlPlane = "control-plane"
}

/// The two apps a release deploys.
public enum App: String, DomainValue {
    case api, web
}

/// What an apply step converges (not to be confused with the access scopes of a token).
public enum ApplyScope: String, DomainValue {
    case identity, infra
}

/// The two steps of a database migration.
public enum MigrationStep: String, DomainValue {
    case imageUpdated = "image-updated"
    case ran
}

/// The smoke suites run against production.
public enum SmokeSuite: String, DomainValue {
    case api, browser
}

/// The auth readiness checks of the runbook's "Pre-Deploy Auth Readiness".
public enum ReadinessCheck: String, DomainValue {
    case entraCanary = "entra-canary"
    case delegatedProbe = "delegated-probe"
}

/// Whether a check (readiness, identity preflight) passed.
public enum CheckStatus: String, DomainValue {
    case pass, fail
}

/// What a `replay.requested` event asks for.
public enum ReplayMode: String, DomainValue {
    case rollback, replay
}
