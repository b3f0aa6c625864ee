/// Applies an admitted event to the state it touches. Pure: the same events in the same order
/// always give the same state, which is what makes artifacts reproducible.
public enum ReleaseFold {
    /// The fold itself, over a parsed payload or stored text read in place. Of the metadata it
    /// reads only `actor` and `runId`. It assigns `production`'s fields and never reads them
    /// (`LedgerFold` relies on this to split a fold by candidate).
    public static func apply<Payload: FoldPayload>(
        _ type: EventType, sha: String, reference: EventReference, data: Payload, metadata: EventMetadata, candidate: inout CandidateState?,
        production: inout ProductionState
    ) {
        var state = candidate ?? CandidateState(sha: sha)
        defer {
            state.lastEvent = reference
            candidate = state
        }
        switch type {
        case .candidateFrozen:
            guard state.frozen == nil else { return }
            state.frozen = FrozenCandidate(
                images: Images(api: data["images"]?["api"]?.stringValue ?? "", web: data["images"]?["web"]?.stringValue ?? ""),
                scopes: Scopes(
                    runtime: data["scopes"]?["runtime"]?.boolValue ?? false, infra: data["scopes"]?["infra"]?.boolValue ?? false,
                    identity: data["scopes"]?["identity"]?.boolValue ?? false,
                    requiresInfraConvergence: data["scopes"]?["requiresInfraConvergence"]?.boolValue ?? false),
                migrationRequired: data["migrationRequired"]?.boolValue ?? false, event: reference, contentHash: data.contentHash)
        case .acceptanceRecorded:
            guard state.acceptance == nil else { return }
            state.acceptance = AcceptanceFact(
                verdict: data["verdict"]?.stringValue ?? "NO", reason: data["reason"]?.stringValue,
                evidence: evidenceLinks(data["evidence"]), event: reference, contentHash: data.contentHash)
        case .readinessRecorded:
            let status = data["status"]?.stringValue ?? "fail"
            if data["check"]?.stringValue == "entra-canary" {
                let lastGreen = data["lastGreenAt"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
                let slo = data["sloHours"]?.doubleValue
                state.canary = ReadinessFact(
                    status: status, fresh: CanaryFreshness.isFresh(lastGreenAt: lastGreen, sloHours: slo, at: reference.at),
                    lastGreenAt: lastGreen, sloHours: slo, target: nil, event: reference)
            } else {
                state.probe = ReadinessFact(
                    status: status, fresh: nil, lastGreenAt: nil, sloHours: nil, target: data["targetApiBaseUrl"]?.stringValue,
                    event: reference)
            }
        case .identityPreflightRecorded:
            state.preflight = PreflightFact(
                status: data["status"]?.stringValue ?? "fail", resolved: data["resolved"]?.stringValue,
                reason: data["reason"]?.stringValue ?? "", event: reference)
        case .replayRequested:
            let kind: RunKind = data["mode"]?.stringValue == "rollback" ? .rollback : .replay
            openRun(&state, kind: kind, at: reference, production: &production)
            state.runs[state.runs.count - 1].replaces = data["replaces"]?.stringValue
            state.runs[state.runs.count - 1].reason = data["reason"]?.stringValue
            state.runs[state.runs.count - 1].requestedBy = data["requestedBy"]?.stringValue ?? metadata.actor
            state.runs[state.runs.count - 1].forced = data["forced"]?.boolValue ?? false
        case .approvalRecorded, .applyRecorded, .migrationRecorded, .deployRecorded, .smokeRecorded, .deploymentRecorded:
            if state.openRun == nil { openRun(&state, kind: .promotion, at: reference, production: &production) }
            applyStep(type, data: data, metadata: metadata, reference: reference, run: &state.runs[state.runs.count - 1])
        case .verdictRecorded:
            guard var run = state.openRun, let frozen = state.frozen else { return }
            let gates = (data["gates"]?.arrayElements ?? []).map { gate in
                GateResult(
                    name: gate["name"]?.stringValue ?? "", required: gate["required"]?.boolValue ?? false,
                    status: GateStatus(rawValue: gate["status"]?.stringValue ?? "") ?? .missing)
            }
            let decision = DecisionFact(
                decision: data["decision"]?.stringValue ?? "NO", reason: data["reason"]?.stringValue ?? "", gates: gates,
                actor: metadata.actor, event: reference)
            run.decision = decision
            run.lastEvent = reference
            state.runs[state.runs.count - 1] = run
            production.openRun = nil
            if decision.isYes {
                production.live = ProductionState.Live(
                    sha: state.sha, run: run.number, images: frozen.images, since: reference.at, actor: metadata.actor,
                    position: reference.position)
            }
        }
    }

    static func openRun(_ state: inout CandidateState, kind: RunKind, at reference: EventReference, production: inout ProductionState) {
        let number = state.runCount + 1
        state.runs.append(RunState(number: number, kind: kind, opened: reference, lastEvent: reference))
        production.openRun = ProductionState.RunPointer(sha: state.sha, run: number)
    }

    static func applyStep<Payload: FoldPayload>(_ type: EventType, data: Payload, metadata: EventMetadata, reference: EventReference, run: inout RunState) {
        var step = StepRecord(
            type: type.rawValue, subject: nil, outcome: data["outcome"]?.stringValue ?? "succeeded", image: data["image"]?.stringValue,
            actor: metadata.actor, ciRunId: metadata.runId, evidence: evidenceLinks(data["evidence"]), event: reference)
        let outcome = data["outcome"]?.stringValue
        switch type {
        case .approvalRecorded:
            let decision = data["decision"]?.stringValue ?? "rejected"
            step.subject = data["gate"]?.stringValue
            step.outcome = decision
            if !run.approvalRejected { run.approval = decision }
            if decision == "rejected" { run.approvalRejected = true }
            run.approver = data["approver"]?.stringValue
        case .applyRecorded:
            step.subject = data["scope"]?.stringValue
            if data["scope"]?.stringValue == "identity" { run.identityApply = outcome } else { run.infraApply = outcome }
        case .migrationRecorded:
            step.subject = data["step"]?.stringValue
            if data["step"]?.stringValue == "ran" { run.migrationRan = outcome } else { run.migrationImageUpdated = outcome }
        case .deployRecorded:
            step.subject = data["app"]?.stringValue
            if data["app"]?.stringValue == "api" { run.deployedAPI = outcome } else { run.deployedWeb = outcome }
        case .smokeRecorded:
            step.subject = data["suite"]?.stringValue
            if data["suite"]?.stringValue == "api" { run.apiSmoke = outcome } else { run.browserSmoke = outcome }
        case .deploymentRecorded:
            step.outcome = "recorded"
            run.deploymentRecorded = true
            run.deploymentId = data["deploymentId"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? run.deploymentId
            run.environmentUrl = data["environmentUrl"]?.stringValue ?? run.environmentUrl
            run.environment = data["environment"]?.stringValue ?? run.environment
        default:
            break
        }
        run.steps.append(step)
        run.lastEvent = reference
    }
}

extension ReleaseFold {
    static func evidenceLinks<Payload: FoldPayload>(_ list: Payload?) -> [EvidenceLink] {
        (list?.arrayElements ?? []).map { EvidenceLink(name: $0["name"]?.stringValue ?? "", url: $0["url"]?.stringValue ?? "") }
    }
}
