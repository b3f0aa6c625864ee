/// The release gate table, in the runbook's order. Reading it top to bottom is reading the
/// "Production Sequence" and "Pre-Deploy Auth Readiness" sections of the runbook.
public enum GateTable {
    public struct Gate: Sendable {
        public let name: String
        /// When the gate applies, given the frozen scopes.
        public let requiredWhen: @Sendable (Scopes, _ migrationRequired: Bool) -> Bool
        /// The evidence: the outcomes that must all pass (nil = not recorded yet).
        public let evidence: @Sendable (CandidateState, RunState?) -> [Bool?]
    }

    /// A mutation's outcome (`Outcome`) or a smoke suite's (`SmokeOutcome`) as evidence.
    static func succeeded(_ outcome: Outcome?) -> Bool? { outcome.map { $0 == .succeeded } }
    static func succeeded(_ outcome: SmokeOutcome?) -> Bool? { outcome.map { $0 == .passed } }

    public static let gates: [Gate] = [
        Gate(name: "acceptance", requiredWhen: { _, _ in true }, evidence: { c, _ in [c.acceptance.map(\.isYes)] }),
        Gate(
            name: "auth-readiness", requiredWhen: { _, _ in true },
            evidence: { c, _ in [c.canary.map(\.isSatisfied), c.probe.map(\.isSatisfied)] }),
        Gate(
            name: "control-plane-approval", requiredWhen: { s, _ in s.needsControlPlaneApproval },
            evidence: { _, r in
                [r?.approvalRejected == true ? false : r?.approval.map { $0 == .approved }]
            }),
        Gate(
            name: "identity", requiredWhen: { s, _ in s.identity },
            evidence: { c, r in
                [c.preflight.map { $0.status == .pass }, succeeded(r?.identityApply)]
            }),
        Gate(
            name: "infra-apply", requiredWhen: { s, _ in s.needsInfraApply },
            evidence: { _, r in [succeeded(r?.infraApply)] }),
        Gate(
            name: "migration-image-updated", requiredWhen: { s, _ in s.runtime },
            evidence: { _, r in [succeeded(r?.migrationImageUpdated)] }),
        Gate(
            name: "migration-ran", requiredWhen: { s, m in s.runtime && m },
            evidence: { _, r in [succeeded(r?.migrationRan)] }),
        Gate(
            name: "deploy", requiredWhen: { s, _ in s.runtime },
            evidence: { _, r in [succeeded(r?.deployedAPI), succeeded(r?.deployedWeb)] }),
        Gate(
            name: "smoke", requiredWhen: { s, _ in s.needsSmoke },
            evidence: { _, r in [succeeded(r?.apiSmoke), succeeded(r?.browserSmoke)] }),
        Gate(
            name: "deployment-recorded", requiredWhen: { _, _ in true },
            evidence: { _, r in [r?.deploymentRecorded == true ? true : nil] }),
    ]

    /// Evaluates every gate for a run of a frozen candidate.
    public static func evaluate(_ candidate: CandidateState, run: RunState?) -> [GateResult] {
        guard let frozen = candidate.frozen else { return [] }
        return gates.map { gate in
            let required = gate.requiredWhen(frozen.scopes, frozen.migrationRequired)
            guard required else { return GateResult(name: gate.name, required: false, status: .notRequired) }
            let evidence = gate.evidence(candidate, run)
            let status: GateStatus =
                evidence.contains(false) ? .failed : evidence.contains(where: { $0 == nil }) ? .missing : .passed
            return GateResult(name: gate.name, required: true, status: status)
        }
    }

    /// The required gates that did not pass, as "name (status)".
    public static func unmet(_ results: [GateResult]) -> [String] {
        results.filter { $0.required && $0.status != .passed }.map { "\($0.name) (\($0.status.rawValue))" }
    }
}
