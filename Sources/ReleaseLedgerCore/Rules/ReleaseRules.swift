/// The rules as a pure function: (state of the SHA, state of production, proposed event) ->
/// admitted or refused. The store runs it inside the write transaction of the append.
public enum ReleaseRules {
    public static func check(
        type rawType: String, sha: String, data: JSONValue, metadata: EventMetadata, at time: Timestamp,
        candidate: CandidateState?, production: ProductionState
    ) throws(LedgerError) -> Admission {
        guard let type = EventType(rawValue: rawType) else { return .append(data: data) }  // x- notes: no rule applies
        guard let candidate, let frozen = candidate.frozen else {
            if type == .candidateFrozen { return .append(data: data) }
            throw Rule.freezeFirst.refuse("\(short(sha)) has no candidate.frozen event; freeze it first")
        }
        // The gate table a verdict gives is compared with the ledger's whatever its shape (rule 10).
        if type == .verdictRecorded {
            return .append(data: try checkVerdict(data: data, candidate: candidate, production: production))
        }
        let event: ReleaseEvent
        do { event = try ReleaseEvent(type: type, decoding: data) } catch {
            throw .invalidInput(field: error.field, rule: error.rule)
        }
        switch event {
        case .candidateFrozen:
            if ChainHasher.contentHash(data) == frozen.contentHash {
                return .alreadyRecorded(position: frozen.event.position)
            }
            throw Rule.frozenOnce.refuse(
                "\(short(sha)) was frozen at position \(frozen.event.position) with different content")
        case .acceptanceRecorded:
            guard let acceptance = candidate.acceptance else { return .append(data: data) }
            if ChainHasher.contentHash(data) == acceptance.contentHash {
                return .alreadyRecorded(position: acceptance.event.position)
            }
            throw Rule.oneAcceptanceVerdict.refuse(
                "\(short(sha)) already has acceptance \(acceptance.verdict) at position \(acceptance.event.position)")
        case .readinessRecorded, .identityPreflightRecorded:
            return .append(data: data)
        case .approvalRecorded, .applyRecorded, .migrationRecorded, .deployRecorded, .smokeRecorded,
            .deploymentRecorded:
            let run = try productionRun(for: candidate, production: production)
            try checkStep(event, candidate: candidate, frozen: frozen, run: run)
            return .append(data: data)
        case .verdictRecorded:
            preconditionFailure("verdicts are checked before their payload is decoded")
        case .replayRequested(let replay):
            return .append(data: try checkReplay(replay, data: data, candidate: candidate, production: production))
        }
    }

    /// The run a production step belongs to: the open one, or the first, opened now.
    static func productionRun(for candidate: CandidateState, production: ProductionState) throws(LedgerError)
        -> RunState?
    {
        guard let acceptance = candidate.acceptance, acceptance.isYes else {
            let what = candidate.acceptance.map { "acceptance is \($0.verdict)" } ?? "there is no acceptance verdict"
            throw Rule.acceptanceBeforeProduction.refuse("\(short(candidate.sha)): \(what)")
        }
        if let open = production.openRun, open.sha != candidate.sha {
            throw Rule.oneProductionMutationAtATime.refuse(
                "run \(open.run) of \(short(open.sha)) is open; it must reach a verdict first")
        }
        if let open = candidate.openRun { return open }
        if let last = candidate.runs.last {
            throw Rule.replayTargets.refuse(
                "run \(last.number) of \(short(candidate.sha)) is closed; only the first run opens implicitly, use replay or rollback"
            )
        }
        return nil  // the first run opens with this event
    }

    static func checkStep(
        _ event: ReleaseEvent, candidate: CandidateState, frozen: FrozenCandidate, run: RunState?
    ) throws(LedgerError) {
        if let run, run.approvalRejected {
            throw Rule.controlPlaneApproval.refuse(
                "the control-plane approval of run \(run.number) was rejected; only a verdict NO may follow")
        }
        let approved = run?.approval == .approved
        let needsApproval = frozen.scopes.needsControlPlaneApproval
        switch event {
        case .applyRecorded(let apply):
            if needsApproval && !approved {
                throw Rule.controlPlaneApproval.refuse(
                    "\(apply.scope.rawValue) apply needs an approved control-plane approval in this run")
            }
            if apply.scope == .identity, candidate.preflight?.status != .pass {
                let state =
                    candidate.preflight.map { "the latest preflight failed: \($0.reason)" }
                    ?? "no identity preflight is recorded"
                throw Rule.identityPreflight.refuse(state)
            }
        case .migrationRecorded(let migration):
            if migration.image != frozen.images.api {
                throw Rule.neverRebuild.refuse("the migration image must be the frozen api digest \(frozen.images.api)")
            }
            if migration.step == .ran, run?.migrationImageUpdated != .succeeded {
                throw Rule.deployPrerequisites.refuse(
                    "migration ran needs the migration image updated earlier in this run")
            }
        case .deployRecorded(let deploy):
            let expected = deploy.app == .api ? frozen.images.api : frozen.images.web
            if deploy.image != expected {
                throw Rule.neverRebuild.refuse(
                    "\(deploy.app.rawValue) must be deployed with its frozen digest \(expected)")
            }
            if needsApproval && !approved {
                throw Rule.controlPlaneApproval.refuse("deploys need an approved control-plane approval in this run")
            }
            let missing = deployPrerequisitesMissing(candidate: candidate, frozen: frozen, run: run)
            if !missing.isEmpty { throw Rule.deployPrerequisites.refuse("missing \(missing.joined(separator: ", "))") }
        case .smokeRecorded, .deploymentRecorded:
            let missing = mutationsMissing(frozen: frozen, run: run)
            if !missing.isEmpty {
                let what = event.type == .smokeRecorded ? "a smoke test" : "the deployment record"
                throw Rule.productionSequence.refuse(
                    "\(what) needs, earlier in this run: \(missing.joined(separator: ", "))")
            }
        case .approvalRecorded, .candidateFrozen, .acceptanceRecorded, .readinessRecorded, .identityPreflightRecorded,
            .verdictRecorded, .replayRequested:
            break
        }
    }

    /// Rule 9's list, in the runbook's order.
    public static func deployPrerequisitesMissing(candidate: CandidateState, frozen: FrozenCandidate, run: RunState?)
        -> [String]
    {
        var missing: [String] = []
        let scopes = frozen.scopes
        if scopes.runtime, run?.migrationImageUpdated != .succeeded {
            missing.append("migration image updated")
        }
        if scopes.runtime, frozen.migrationRequired, run?.migrationRan != .succeeded {
            missing.append("migration ran")
        }
        if scopes.needsInfraApply, run?.infraApply != .succeeded { missing.append("infra applied") }
        if scopes.identity, run?.identityApply != .succeeded { missing.append("identity applied") }
        if candidate.canary?.isSatisfied != true {
            missing.append(candidate.canary == nil ? "entra canary readiness" : "a fresh passing entra canary")
        }
        if candidate.probe?.isSatisfied != true {
            missing.append(candidate.probe == nil ? "delegated probe readiness" : "a passing delegated probe")
        }
        return missing
    }

    /// Rule 12's list: the mutations the scopes require, in the runbook's Production Sequence, that
    /// have not succeeded in the run. A smoke before them would test what ran before.
    public static func mutationsMissing(frozen: FrozenCandidate, run: RunState?) -> [String] {
        let scopes = frozen.scopes
        var missing: [String] = []
        if scopes.identity, run?.identityApply != .succeeded { missing.append("identity apply") }
        if scopes.needsInfraApply, run?.infraApply != .succeeded { missing.append("infra apply") }
        if scopes.runtime, run?.migrationImageUpdated != .succeeded {
            missing.append("migration image update")
        }
        if scopes.runtime, frozen.migrationRequired, run?.migrationRan != .succeeded {
            missing.append("migration run")
        }
        if scopes.runtime, run?.deployedAPI != .succeeded { missing.append("api deploy") }
        if scopes.runtime, run?.deployedWeb != .succeeded { missing.append("web deploy") }
        return missing
    }

    static func checkVerdict(data: JSONValue, candidate: CandidateState, production: ProductionState)
        throws(LedgerError) -> JSONValue
    {
        guard let run = candidate.openRun else {
            let last = candidate.runs.last.map { r in
                "; its last run \(r.number) was decided \(r.decision?.decision.rawValue ?? "?") at position \(r.decision?.event.position ?? 0)"
            }
            throw .refused(
                rule: Rule.verdictNeedsOpenRun, reason: "\(short(candidate.sha)) has no open run to decide\(last ?? "")"
            )
        }
        let gates = GateTable.evaluate(candidate, run: run)
        let unmet = GateTable.unmet(gates)
        // Left out, the decision is computed here, inside the write transaction: what the gates say now.
        // The catalog checked that a given decision is one of Decision's cases.
        let given = data["decision"]?.stringValue.flatMap(Decision.init(rawValue:))
        let decision = given ?? (unmet.isEmpty && !run.approvalRejected ? .yes : .no)
        // A rejected approval blocks the run whatever the scopes: only a verdict NO may follow it.
        if decision == .yes, run.approvalRejected {
            throw Rule.controlPlaneApproval.refuse(
                "the control-plane approval of run \(run.number) was rejected; only a verdict NO may follow")
        }
        if decision == .yes, !unmet.isEmpty {
            throw Rule.verdictGates.refuse("required gates not passed: \(unmet.joined(separator: ", "))")
        }
        let table = JSONValue.array(gates.map(\.json))
        if let supplied = data["gates"], supplied != table {
            throw Rule.verdictGates.refuse(
                "the gate table given does not match the ledger's evidence; leave it out and the ledger writes it")
        }
        var completed = data.objectValue ?? JSONObject()
        completed["decision"] = .string(decision.rawValue)
        completed["gates"] = table
        if completed["reason"] == nil {
            completed["reason"] = .string(defaultVerdictReason(decision: decision, unmet: unmet))
        }
        return .object(completed)
    }

    /// The reason the ledger writes into a verdict given without one.
    static func defaultVerdictReason(decision: Decision, unmet: [String]) -> String {
        decision == .yes
            ? "all required gates passed"
            : unmet.isEmpty
                ? "decided NO with every required gate passed" : "gates not passed: \(unmet.joined(separator: ", "))"
    }

    /// Whether `key` of a stored payload holds what the ledger itself would have written there when
    /// the caller left it out: a retry that leaves it out is then still the same event.
    static func isLedgerCompletion(_ key: String, type: String, stored: JSONObject) -> Bool {
        switch (EventType(rawValue: type), key) {
        // The gate table and `replaces` are checked against the ledger's own values when given,
        // so a stored one is the ledger's whether or not the caller wrote it.
        case (.verdictRecorded?, "gates"), (.replayRequested?, "replaces"): return true
        case (.verdictRecorded?, "reason"):
            guard case .array(let gates)? = stored["gates"] else { return false }
            let unmet = gates.compactMap { gate -> String? in
                guard gate["required"]?.boolValue == true, let name = gate["name"]?.stringValue,
                    let status = gate["status"]?.stringValue,
                    status != GateStatus.passed.rawValue
                else { return nil }
                return "\(name) (\(status))"
            }
            let decision = stored["decision"]?.stringValue.flatMap(Decision.init(rawValue:)) ?? .no
            return stored["reason"] == .string(defaultVerdictReason(decision: decision, unmet: unmet))
        default: return false
        }
    }

    static func checkReplay(
        _ replay: ReplayRequested, data: JSONValue, candidate: CandidateState, production: ProductionState
    ) throws(LedgerError) -> JSONValue {
        guard let acceptance = candidate.acceptance, acceptance.isYes else {
            throw Rule.replayTargets.refuse("\(short(candidate.sha)) was never accepted (acceptance YES is required)")
        }
        if let open = production.openRun {
            throw Rule.oneProductionMutationAtATime.refuse(
                "run \(open.run) of \(short(open.sha)) is open; it must reach a verdict first")
        }
        let live = production.live?.sha
        if replay.mode == .rollback, live == candidate.sha {
            throw Rule.replayTargets.refuse(
                "\(short(candidate.sha)) is already in production; use replay to run it again")
        }
        if let given = replay.replaces, given != live {
            throw Rule.replayTargets.refuse(
                "replaces names \(short(given)) but \(live.map(short) ?? "nothing") is in production")
        }
        if replay.mode == .rollback, !replay.forced, let unsafe = rollbackHazard(candidate) {
            throw Rule.replayTargets.refuse("\(short(candidate.sha)) \(unsafe); give --force to roll back to it anyway")
        }
        var completed = data.objectValue ?? JSONObject()
        if let live { completed["replaces"] = .string(live) }
        return .object(completed)
    }

    /// Why a rollback target is not known to be good in production, or nil when it is: its latest
    /// decided run said NO, or no run of it was ever decided YES.
    public static func rollbackHazard(_ candidate: CandidateState) -> String? {
        guard let latest = candidate.lastDecidedRun, let decision = latest.decision else {
            return "was never decided YES in production"
        }
        if !decision.isYes {
            return "was decided NO in production in its latest run \(latest.number) (\(decision.reason))"
        }
        return nil
    }

    static func short(_ sha: String) -> String { String(sha.prefix(12)) }
}
