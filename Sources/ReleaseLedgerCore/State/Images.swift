public struct Images: Equatable, Sendable {
    public var api: String
    public var web: String
}

public struct Scopes: Equatable, Sendable {
    public var runtime: Bool
    public var infra: Bool
    public var identity: Bool
    public var requiresInfraConvergence: Bool

    /// The runbook: approval only when infra, identity or requiresInfraConvergence is true.
    public var needsControlPlaneApproval: Bool { infra || identity || requiresInfraConvergence }
    public var needsInfraApply: Bool { infra || requiresInfraConvergence }
    public var needsSmoke: Bool { runtime || requiresInfraConvergence }
}
