/// A release event with its typed payload: what the rules and the fold match on.
///
/// Decoded from a parsed payload on append and from stored text on a rebuild, by the same
/// decoder (`EventPayload.init(decoding:)`).
public enum ReleaseEvent: Equatable, Sendable {
    case candidateFrozen(CandidateFrozen)
    case acceptanceRecorded(AcceptanceRecorded)
    case readinessRecorded(ReadinessRecorded)
    case identityPreflightRecorded(IdentityPreflightRecorded)
    case approvalRecorded(ApprovalRecorded)
    case applyRecorded(ApplyRecorded)
    case migrationRecorded(MigrationRecorded)
    case deployRecorded(DeployRecorded)
    case smokeRecorded(SmokeRecorded)
    case deploymentRecorded(DeploymentRecorded)
    case verdictRecorded(VerdictRecorded)
    case replayRequested(ReplayRequested)

    /// Reads the payload of an event of `type`.
    public init<Source: FoldPayload>(type: EventType, decoding data: Source) throws(PayloadDecodingError) {
        switch type {
        case .candidateFrozen: self = .candidateFrozen(try CandidateFrozen(decoding: data))
        case .acceptanceRecorded: self = .acceptanceRecorded(try AcceptanceRecorded(decoding: data))
        case .readinessRecorded: self = .readinessRecorded(try ReadinessRecorded(decoding: data))
        case .identityPreflightRecorded:
            self = .identityPreflightRecorded(try IdentityPreflightRecorded(decoding: data))
        case .approvalRecorded: self = .approvalRecorded(try ApprovalRecorded(decoding: data))
        case .applyRecorded: self = .applyRecorded(try ApplyRecorded(decoding: data))
        case .migrationRecorded: self = .migrationRecorded(try MigrationRecorded(decoding: data))
        case .deployRecorded: self = .deployRecorded(try DeployRecorded(decoding: data))
        case .smokeRecorded: self = .smokeRecorded(try SmokeRecorded(decoding: data))
        case .deploymentRecorded: self = .deploymentRecorded(try DeploymentRecorded(decoding: data))
        case .verdictRecorded: self = .verdictRecorded(try VerdictRecorded(decoding: data))
        case .replayRequested: self = .replayRequested(try ReplayRequested(decoding: data))
        }
    }

    public var type: EventType {
        switch self {
        case .candidateFrozen: .candidateFrozen
        case .acceptanceRecorded: .acceptanceRecorded
        case .readinessRecorded: .readinessRecorded
        case .identityPreflightRecorded: .identityPreflightRecorded
        case .approvalRecorded: .approvalRecorded
        case .applyRecorded: .applyRecorded
        case .migrationRecorded: .migrationRecorded
        case .deployRecorded: .deployRecorded
        case .smokeRecorded: .smokeRecorded
        case .deploymentRecorded: .deploymentRecorded
        case .verdictRecorded: .verdictRecorded
        case .replayRequested: .replayRequested
        }
    }
}
