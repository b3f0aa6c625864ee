/// Each artifact written into bytes, its keys listed in canonical (sorted) order as
/// `PrettyJSONWriter` requires; a member that may be missing is `null`, never left out.
extension Artifacts {
    /// `candidate/<sha>/manifest.json`: the frozen candidate.
    static func writeManifest(_ candidate: CandidateState, _ frozen: FrozenCandidate, _ w: inout PrettyJSONWriter) {
        w.field("frozenAt", frozen.event.at)
        w.object("images") { $0.images(frozen.images) }
        w.object("ledger") { $0.ledgerReference(frozen.event) }
        w.object("migration") {
            $0.field("image", frozen.images.api)
            $0.field("required", frozen.migrationRequired)
        }
        w.schema(.manifest)
        w.object("scopes") {
            $0.field("identity", frozen.scopes.identity)
            $0.field("infra", frozen.scopes.infra)
            $0.field("requiresInfraConvergence", frozen.scopes.requiresInfraConvergence)
            $0.field("runtime", frozen.scopes.runtime)
        }
        w.field("sha", candidate.sha)
    }

    /// `release/<sha>/decision.json`: YES, NO or PENDING, with the gate table it rests on.
    static func writeDecision(_ candidate: CandidateState, run: RunState?, _ w: inout PrettyJSONWriter) {
        var decision = "PENDING"
        var decidedAt: Timestamp?
        var reasons: [String] = []
        var gates = GateTable.evaluate(candidate, run: run)
        var derivedFrom = run?.lastEvent ?? candidate.lastEvent
        if let acceptance = candidate.acceptance, !acceptance.isYes {
            // A candidate refused at acceptance never gets a run: its decision is NO.
            decision = "NO"
            decidedAt = acceptance.event.at
            reasons = ["acceptance NO" + (acceptance.reason.map { ": \($0)" } ?? "")]
            derivedFrom = acceptance.event
        } else if let verdict = run?.decision {
            decision = verdict.decision.rawValue
            decidedAt = verdict.event.at
            gates = verdict.gates  // the table it was decided on, as recorded
            if !verdict.isYes {
                // The verdict's reason, then each unmet gate it does not already name.
                reasons =
                    [verdict.reason]
                    + GateTable.unmet(gates).filter { !verdict.reason.contains($0) }.map {
                        "gate \($0)"
                    }
            }
            derivedFrom = verdict.event
        }
        w.field("acceptance", candidate.acceptance?.verdict.rawValue)
        w.field("decidedAt", decidedAt)
        w.field("decision", decision)
        w.array("gates") {
            for gate in gates {
                $0.element()
                $0.object {
                    $0.field("name", gate.name)
                    $0.field("required", gate.required)
                    $0.field("status", gate.status.rawValue)
                }
            }
        }
        w.key("images")
        if let frozen = candidate.frozen { w.object { $0.images(frozen.images) } } else { w.null() }
        w.field("kind", run?.kind.rawValue)
        w.key("ledger")
        if let derivedFrom { w.object { $0.ledgerReference(derivedFrom) } } else { w.null() }
        w.array("reasons") { $0.elements(reasons) }
        w.key("run")
        if let run { w.integer(Int64(run.number)) } else { w.null() }
        w.schema(.decision)
        w.field("sha", candidate.sha)
    }

    /// `production/<sha>/deployment-record.json`: what this run put in production, by whom, step by
    /// step with the runbook's step names, and who approved it.
    static func writeDeploymentRecord(_ candidate: CandidateState, run: RunState, _ w: inout PrettyJSONWriter) {
        func deployed(_ app: String) -> String? {
            run.steps.last(where: {
                $0.type == EventType.deployRecorded.rawValue && $0.subject == app && $0.outcome == "succeeded"
            })?.image
        }
        let actors = Set(run.steps.compactMap(\.actor) + [run.requestedBy, run.decision?.actor].compactMap { $0 })
            .sorted()
        let ciRuns = Set(run.steps.compactMap(\.ciRunId)).sorted()
        w.array("actors") { $0.elements(actors) }
        w.field("approval", run.approval?.rawValue)
        w.field("approver", run.approver)
        w.array("ciRunIds") { $0.elements(ciRuns) }
        w.field("completedAt", run.decision?.event.at)
        w.object("deployment") {
            $0.field("id", run.deploymentId)
            $0.field("url", run.environmentUrl)
        }
        w.field("environment", run.environment ?? "production")
        w.object("images") {
            $0.field("api", deployed("api"))
            $0.field("web", deployed("web"))
        }
        w.field("kind", run.kind.rawValue)
        w.object("migration") {
            $0.field("image", candidate.frozen?.images.api)
            $0.field("ran", run.migrationRan == .succeeded)
        }
        w.field("rollbackOf", run.kind == .rollback ? run.replaces : nil)
        w.field("run", integer: Int64(run.number))
        w.schema(.deploymentRecord)
        w.field("sha", candidate.sha)
        w.field("startedAt", run.opened.at)
        w.array("steps") {
            for step in run.steps {
                $0.element()
                $0.step(
                    actor: step.actor, at: step.event.at, ciRunId: step.ciRunId, name: stepName(step),
                    outcome: step.outcome, position: step.event.position)
            }
            if let decision = run.decision {
                // The runbook's last step: "Emit final release decision artifact (YES/NO)".
                $0.element()
                $0.step(
                    actor: decision.actor, at: decision.event.at, ciRunId: nil, name: "release-decision",
                    outcome: decision.decision.rawValue, position: decision.event.position)
            }
        }
    }

    /// `identity/<sha>/preflight.json`: the identity config preflight (runbook: Production Sequence 3).
    static func writeIdentityPreflight(
        _ candidate: CandidateState, _ preflight: PreflightFact, _ w: inout PrettyJSONWriter
    ) {
        w.object("ledger") { $0.ledgerReference(preflight.event) }
        w.field("reason", preflight.reason)
        w.field("recordedAt", preflight.event.at)
        w.field("resolved", preflight.resolved)
        w.schema(.identityPreflight)
        w.field("sha", candidate.sha)
        w.field("status", preflight.status.rawValue)
    }

    /// `identity/<sha>/apply.json` and `infra/<sha>/apply.json`: every apply of that scope in the
    /// run, in order (a retried apply shows both attempts).
    static func writeApplyRecord(
        _ candidate: CandidateState, run: RunState, _ kind: Kind, _ applies: [StepRecord], _ w: inout PrettyJSONWriter
    ) {
        w.array("applies") {
            for step in applies {
                $0.element()
                $0.object {
                    $0.field("actor", step.actor)
                    $0.field("at", step.event.at)
                    $0.field("ciRunId", step.ciRunId)
                    $0.object("ledger") { $0.ledgerReference(step.event) }
                    $0.field("outcome", step.outcome)
                }
            }
        }
        w.field("kind", run.kind.rawValue)
        w.field("outcome", applies[applies.count - 1].outcome)
        w.field("run", integer: Int64(run.number))
        w.schema(kind)
        w.field("sha", candidate.sha)
    }

    /// `browser-evidence/<sha>/manifest.json`: the run's browser smoke, its outcome and the links
    /// to its evidence (reports, traces); the last one when the smoke was retried.
    static func writeBrowserEvidence(
        _ candidate: CandidateState, run: RunState, _ smoke: StepRecord, _ w: inout PrettyJSONWriter
    ) {
        w.field("actor", smoke.actor)
        w.field("ciRunId", smoke.ciRunId)
        w.array("evidence") {
            for link in smoke.evidence {
                $0.element()
                $0.object {
                    $0.field("name", link.name)
                    $0.field("url", link.url)
                }
            }
        }
        w.field("kind", run.kind.rawValue)
        w.object("ledger") { $0.ledgerReference(smoke.event) }
        w.field("outcome", smoke.outcome)
        w.field("recordedAt", smoke.event.at)
        w.field("run", integer: Int64(run.number))
        w.schema(.browserEvidence)
        w.field("sha", candidate.sha)
    }

    /// `production/<sha>/result.json`: success, failure or in-progress, and every step in order.
    static func writeResult(_ candidate: CandidateState, run: RunState, _ w: inout PrettyJSONWriter) {
        w.field("kind", run.kind.rawValue)
        w.field("run", integer: Int64(run.number))
        w.schema(.result)
        w.field("sha", candidate.sha)
        w.field("status", run.decision.map { $0.isYes ? "success" : "failure" } ?? "in-progress")
        w.array("steps") {
            for step in run.steps {
                $0.element()
                $0.object {
                    $0.field("at", step.event.at)
                    $0.field("outcome", step.outcome)
                    $0.field("position", integer: step.event.position)
                    $0.field("step", step.type)
                    $0.field("subject", step.subject)
                }
            }
        }
    }

    /// `deploy/<sha>/delegated-smoke.json`: the delegated pre-deploy probe.
    static func writeDelegatedSmoke(_ candidate: CandidateState, _ probe: ReadinessFact, _ w: inout PrettyJSONWriter) {
        w.object("ledger") { $0.ledgerReference(probe.event) }
        w.field("recordedAt", probe.event.at)
        w.schema(.delegatedSmoke)
        w.field("sha", candidate.sha)
        w.field("status", probe.status.rawValue)
        w.field("targetApiBaseUrl", probe.target)
    }
}

/// The pieces several artifacts share, written in place.
extension PrettyJSONWriter {
    /// A member holding an RFC 3339 time as a string, or null.
    fileprivate mutating func field(_ name: StaticString, _ time: Timestamp?) {
        key(name)
        if let time { string { time.write(into: &$0) } } else { null() }
    }

    /// The `schema` member: `Kind.schemaID`, written without making the string.
    fileprivate mutating func schema(_ kind: Artifacts.Kind) {
        key("schema")
        string {
            $0.raw(Artifacts.Kind.schemaBase)
            $0.raw(kind.rawValue)
            $0.raw("/v")
            $0.integer(Int64(kind.version))
            $0.raw(".json")
        }
    }

    fileprivate mutating func images(_ images: Images) {
        field("api", images.api)
        field("web", images.web)
    }

    /// The event an artifact's fact comes from.
    fileprivate mutating func ledgerReference(_ reference: EventReference) {
        field("hash", reference.hash)
        field("position", integer: reference.position)
    }

    fileprivate mutating func elements(_ strings: [String]) {
        for string in strings {
            element()
            self.string(string)
        }
    }

    /// One step of a deployment record.
    fileprivate mutating func step(
        actor: String?, at: Timestamp, ciRunId: String?, name: String, outcome: String, position: Int64
    ) {
        object {
            $0.field("actor", actor)
            $0.field("at", at)
            $0.field("ciRunId", ciRunId)
            $0.field("name", name)
            $0.field("outcome", outcome)
            $0.field("position", integer: position)
        }
    }
}
