/// The event types the ledger knows, named as facts in the past tense.
public enum EventType: String, CaseIterable, Sendable {
    case candidateFrozen = "candidate.frozen"
    case acceptanceRecorded = "acceptance.recorded"
    case readinessRecorded = "readiness.recorded"
    case identityPreflightRecorded = "identity.preflight.recorded"
    case approvalRecorded = "approval.recorded"
    case applyRecorded = "apply.recorded"
    case migrationRecorded = "migration.recorded"
    case deployRecorded = "deploy.recorded"
    case smokeRecorded = "smoke.recorded"
    case deploymentRecorded = "deployment.recorded"
    case verdictRecorded = "verdict.recorded"
    case replayRequested = "replay.requested"

    /// The type named by UTF-8 bytes, without making a String (a rebuild reads a million).
    package init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let found = Self.utf8Names.first(where: { $0.name.elementsEqual(bytes) }) else { return nil }
        self = found.type
    }

    private static let utf8Names: [(type: EventType, name: [UInt8])] = allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// The type that holds, checks and decodes this event's payload.
    public var payloadType: any EventPayload.Type {
        switch self {
        case .candidateFrozen: CandidateFrozen.self
        case .acceptanceRecorded: AcceptanceRecorded.self
        case .readinessRecorded: ReadinessRecorded.self
        case .identityPreflightRecorded: IdentityPreflightRecorded.self
        case .approvalRecorded: ApprovalRecorded.self
        case .applyRecorded: ApplyRecorded.self
        case .migrationRecorded: MigrationRecorded.self
        case .deployRecorded: DeployRecorded.self
        case .smokeRecorded: SmokeRecorded.self
        case .deploymentRecorded: DeploymentRecorded.self
        case .verdictRecorded: VerdictRecorded.self
        case .replayRequested: ReplayRequested.self
        }
    }

    /// Schema version of each type's payload; bump it when a payload changes shape.
    public var schemaVersion: Int { 1 }

    /// Candidate facts belong to the SHA: they open no run and take no production lock.
    public var isCandidateFact: Bool {
        switch self {
        case .candidateFrozen, .acceptanceRecorded, .readinessRecorded, .identityPreflightRecorded: true
        default: false
        }
    }

    /// Production events need acceptance YES, open the first run, and hold the production lock.
    public var isProductionStep: Bool {
        switch self {
        case .approvalRecorded, .applyRecorded, .migrationRecorded, .deployRecorded, .smokeRecorded,
            .deploymentRecorded:
            true
        default: false
        }
    }

    /// Free-form notes use an `x-` prefix; no rule reads them.
    public static func isExtension(_ type: String) -> Bool { type.hasPrefix("x-") && type.utf8.count > 2 }
}
