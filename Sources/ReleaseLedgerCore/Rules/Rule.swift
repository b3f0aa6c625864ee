/// The runbook's rules, enforced when an event is appended. Each rule is one line a person who
/// knows the runbook can check; `ReleaseRules.check` says which one refused an event and why.
public enum Rule: Int, CaseIterable, Sendable {
    case freezeFirst = 1
    case frozenOnce
    case oneAcceptanceVerdict
    case acceptanceBeforeProduction
    case oneProductionMutationAtATime
    case controlPlaneApproval
    case identityPreflight
    case neverRebuild
    case deployPrerequisites
    case verdictGates
    case replayTargets
    case productionSequence

    public var title: String {
        switch self {
        case .freezeFirst: "nothing is recorded for a SHA before its candidate.frozen"
        case .frozenOnce: "a SHA is frozen once"
        case .oneAcceptanceVerdict: "one acceptance verdict per SHA"
        case .acceptanceBeforeProduction: "no production event without acceptance YES"
        case .oneProductionMutationAtATime: "production mutation is serialized (production-mutation lock)"
        case .controlPlaneApproval: "control-plane approval before identity, infra and deploys when the scopes need it"
        case .identityPreflight: "identity apply needs a passing identity preflight"
        case .neverRebuild: "never rebuild: only the frozen digests may be migrated and deployed"
        case .deployPrerequisites: "deploys need their prerequisites within the run"
        case .verdictGates: "a verdict YES needs every required gate passed"
        case .replayTargets: "a replay or rollback needs an accepted target and opens a new run"
        case .productionSequence: "smoke tests and the deployment record come after every required mutation of the run"
        }
    }

    public var name: String { "rule \(rawValue) (\(title))" }

    /// Rule 10's other half: a verdict with no run to decide is not a missing gate.
    public static let verdictNeedsOpenRun = "rule \(Rule.verdictGates.rawValue) (a verdict needs an open run to decide)"

    func refuse(_ reason: String) -> LedgerError { refusal(reason) }

    public func refusal(_ reason: String) -> LedgerError { .refused(rule: name, reason: reason) }
}
