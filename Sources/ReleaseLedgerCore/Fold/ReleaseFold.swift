/// Applies an admitted event to the state it touches. Pure: the same events in the same order
/// always give the same state, which is what makes artifacts reproducible.
public enum ReleaseFold {
    /// The fold itself, over a decoded event. Of the metadata it reads only `actor` and `runId`;
    /// `contentHash` (of the canonical payload) is asked for only by the candidate facts that keep
    /// it. It assigns `production`'s fields and never reads them (`LedgerFold` relies on this to
    /// split a fold by candidate).
    public static func apply(
        _ event: ReleaseEvent, sha: String, reference: EventReference, contentHash: @autoclosure () -> String,
        metadata: EventMetadata, candidate: inout CandidateState?, production: inout ProductionState
    ) {
        var state = candidate ?? CandidateState(sha: sha)
        defer {
            state.lastEvent = reference
            candidate = state
        }
        switch event {
        case .candidateFrozen(let frozen):
            guard state.frozen == nil else { return }
            state.frozen = FrozenCandidate(
                images: frozen.images, scopes: frozen.scopes, migrationRequired: frozen.migrationRequired,
                event: reference,
                contentHash: contentHash())
        case .acceptanceRecorded(let acceptance):
            guard state.acceptance == nil else { return }
            state.acceptance = AcceptanceFact(
                verdict: acceptance.verdict, reason: acceptance.reason, evidence: acceptance.evidence,
                event: reference,
                contentHash: contentHash())
        case .readinessRecorded(let readiness):
            switch readiness.check {
            case .entraCanary:
                state.canary = ReadinessFact(
                    status: readiness.status,
                    fresh: CanaryFreshness.isFresh(
                        lastGreenAt: readiness.lastGreenAt, sloHours: readiness.sloHours, at: reference.at),
                    lastGreenAt: readiness.lastGreenAt, sloHours: readiness.sloHours, target: nil, event: reference)
            case .delegatedProbe:
                state.probe = ReadinessFact(
                    status: readiness.status, fresh: nil, lastGreenAt: nil, sloHours: nil,
                    target: readiness.targetApiBaseUrl,
                    event: reference)
            }
        case .identityPreflightRecorded(let preflight):
            state.preflight = PreflightFact(
                status: preflight.status, resolved: preflight.resolved, reason: preflight.reason,
                event: reference)
        case .replayRequested(let replay):
            let kind: RunKind = replay.mode == .rollback ? .rollback : .replay
            openRun(&state, kind: kind, at: reference, production: &production)
            state.runs[state.runs.count - 1].replaces = replay.replaces
            state.runs[state.runs.count - 1].reason = replay.reason
            state.runs[state.runs.count - 1].requestedBy = replay.requestedBy ?? metadata.actor
            state.runs[state.runs.count - 1].forced = replay.forced
        case .approvalRecorded, .applyRecorded, .migrationRecorded, .deployRecorded, .smokeRecorded,
            .deploymentRecorded:
            if state.openRun == nil { openRun(&state, kind: .promotion, at: reference, production: &production) }
            applyStep(event, metadata: metadata, reference: reference, run: &state.runs[state.runs.count - 1])
        case .verdictRecorded(let verdict):
            guard var run = state.openRun, let frozen = state.frozen else { return }
            // Stored verdicts always carry the decision, reason and table the ledger completed.
            let decision = DecisionFact(
                decision: verdict.decision ?? .no, reason: verdict.reason ?? "", gates: verdict.gates ?? [],
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

    static func openRun(
        _ state: inout CandidateState, kind: RunKind, at reference: EventReference, production: inout ProductionState
    ) {
        let number = state.runCount + 1
        state.runs.append(RunState(number: number, kind: kind, opened: reference, lastEvent: reference))
        production.openRun = ProductionState.RunPointer(sha: state.sha, run: number)
    }

    /// A production step into its run: the run's field for the step, and the step in order.
    static func applyStep(
        _ event: ReleaseEvent, metadata: EventMetadata, reference: EventReference, run: inout RunState
    ) {
        var step = StepRecord(
            type: event.type.rawValue, subject: nil, outcome: "", image: nil, actor: metadata.actor,
            ciRunId: metadata.runId,
            evidence: [], event: reference)
        switch event {
        case .approvalRecorded(let approval):
            step.subject = approval.gate.rawValue
            step.outcome = approval.decision.rawValue
            if !run.approvalRejected { run.approval = approval.decision }
            if approval.decision == .rejected { run.approvalRejected = true }
            run.approver = approval.approver
        case .applyRecorded(let apply):
            step.subject = apply.scope.rawValue
            step.outcome = apply.outcome.rawValue
            switch apply.scope {
            case .identity: run.identityApply = apply.outcome
            case .infra: run.infraApply = apply.outcome
            }
        case .migrationRecorded(let migration):
            step.subject = migration.step.rawValue
            step.outcome = migration.outcome.rawValue
            step.image = migration.image
            switch migration.step {
            case .ran: run.migrationRan = migration.outcome
            case .imageUpdated: run.migrationImageUpdated = migration.outcome
            }
        case .deployRecorded(let deploy):
            step.subject = deploy.app.rawValue
            step.outcome = deploy.outcome.rawValue
            step.image = deploy.image
            switch deploy.app {
            case .api: run.deployedAPI = deploy.outcome
            case .web: run.deployedWeb = deploy.outcome
            }
        case .smokeRecorded(let smoke):
            step.subject = smoke.suite.rawValue
            step.outcome = smoke.outcome.rawValue
            step.evidence = smoke.evidence
            switch smoke.suite {
            case .api: run.apiSmoke = smoke.outcome
            case .browser: run.browserSmoke = smoke.outcome
            }
        case .deploymentRecorded(let deployment):
            step.outcome = "recorded"
            run.deploymentRecorded = true
            run.deploymentId = deployment.deploymentId ?? run.deploymentId
            run.environmentUrl = deployment.environmentUrl ?? run.environmentUrl
            run.environment = deployment.environment ?? run.environment
        case .candidateFrozen, .acceptanceRecorded, .readinessRecorded, .identityPreflightRecorded, .verdictRecorded,
            .replayRequested:
            preconditionFailure("\(event.type.rawValue) is not a production step")
        }
        run.steps.append(step)
        run.lastEvent = reference
    }
}
