/// The files the pipeline reads, derived from a candidate's state: pure functions, so the same
/// events always give the same bytes. Paths are the runbook's, relative to `.artifacts/`.
public enum Artifacts {
    /// One artifact file: where it goes and what it holds.
    public struct File: Equatable, Sendable {
        public let path: String
        public let content: JSONValue

        /// Canonical, indented, with a trailing newline.
        public var bytes: String { CanonicalJSON.encodePretty(content) }

        /// The same as UTF-8, without making a String (what is written to disk).
        public var utf8: [UInt8] { CanonicalJSON.encodePrettyUTF8(content) }
    }

    public enum Kind: String, CaseIterable, Sendable {
        case manifest, decision
        case deploymentRecord = "deployment-record"
        case result
        case delegatedSmoke = "delegated-smoke"
        case infraApply = "infra-apply"
        case identityPreflight = "identity-preflight"
        case identityApply = "identity-apply"
        case browserEvidence = "browser-evidence"

        /// The `schema` field every artifact carries, naming `Projections/<kind>/schema.json`.
        public var schemaID: String { "https://release-ledger.dev/schema/artifacts/\(rawValue)/v\(version).json" }

        /// Raised when a field changes meaning or is removed, so a reader can tell the shapes apart.
        /// deployment-record v2: steps are `{name, outcome, at, actor, ...}` with the runbook's names.
        public var version: Int { self == .deploymentRecord ? 2 : 1 }

        public func path(for sha: String) -> String {
            switch self {
            case .manifest: "candidate/\(sha)/manifest.json"
            case .decision: "release/\(sha)/decision.json"
            case .deploymentRecord: "production/\(sha)/deployment-record.json"
            case .result: "production/\(sha)/result.json"
            case .delegatedSmoke: "deploy/\(sha)/delegated-smoke.json"
            case .infraApply: "infra/\(sha)/apply.json"
            case .identityPreflight: "identity/\(sha)/preflight.json"
            case .identityApply: "identity/\(sha)/apply.json"
            case .browserEvidence: "browser-evidence/\(sha)/manifest.json"
            }
        }
    }

    /// A problem choosing what to derive (an unknown SHA or run).
    public static func files(for candidate: CandidateState, run number: Int? = nil) throws(LedgerError) -> [File] {
        guard candidate.frozen != nil else {
            throw .usage("\(candidate.sha) has no candidate.frozen event; nothing to materialize")
        }
        let run: RunState?
        if let number {
            guard let chosen = candidate.runs.first(where: { $0.number == number }) else {
                throw .usage("\(candidate.sha.prefix(12)) has no run \(number) (it has \(candidate.runs.count))")
            }
            run = chosen
        } else {
            run = candidate.runs.last
        }
        var files: [File] = []
        if let manifest = manifest(candidate) {
            files.append(File(path: Kind.manifest.path(for: candidate.sha), content: manifest))
        }
        files.append(File(path: Kind.decision.path(for: candidate.sha), content: decision(candidate, run: run)))
        if let run {
            files.append(
                File(
                    path: Kind.deploymentRecord.path(for: candidate.sha), content: deploymentRecord(candidate, run: run)
                ))
            files.append(File(path: Kind.result.path(for: candidate.sha), content: result(candidate, run: run)))
        }
        if let smoke = delegatedSmoke(candidate) {
            files.append(File(path: Kind.delegatedSmoke.path(for: candidate.sha), content: smoke))
        }
        // The runbook's infra/, identity/ and browser-evidence/ files exist only once their facts
        // do: a candidate without an infra apply in this run has no infra/ folder.
        if let preflight = identityPreflight(candidate) {
            files.append(File(path: Kind.identityPreflight.path(for: candidate.sha), content: preflight))
        }
        if let run {
            for (kind, scope) in [(Kind.identityApply, "identity"), (.infraApply, "infra")] {
                if let apply = applyRecord(candidate, run: run, kind: kind, scope: scope) {
                    files.append(File(path: kind.path(for: candidate.sha), content: apply))
                }
            }
            if let evidence = browserEvidence(candidate, run: run) {
                files.append(File(path: Kind.browserEvidence.path(for: candidate.sha), content: evidence))
            }
        }
        return files
    }

    /// The files of every frozen candidate, ordered by SHA, handed to `body` a few hundred
    /// candidates at a time: each candidate's files are derived on their own, so every core works
    /// on a chunk while memory holds one chunk, not every file (`materialize --all`, benchmark W4).
    public static func forEveryCandidate<E: Error>(
        _ candidates: [String: CandidateState], workers: Int,
        _ body: ([(path: String, utf8: [UInt8])]) throws(E) -> Void
    ) throws(E) {
        let frozen = candidates.values.filter { $0.frozen != nil }.sorted { $0.sha < $1.sha }
        let workers = max(1, workers)
        let chunk = 256 * workers
        for chunkStart in stride(from: 0, to: frozen.count, by: chunk) {
            // Interleaved over the workers, so a run of large candidates is shared.
            let results = Parallel.map(min(chunk, frozen.count - chunkStart), workers: workers) { index in
                // A frozen candidate always has files; `try?` only satisfies the signature.
                ((try? files(for: frozen[chunkStart + index])) ?? []).map { (path: $0.path, utf8: $0.utf8) }
            }
            try body(results.flatMap { $0 })
        }
    }

    static func ledgerReference(_ reference: EventReference) -> JSONValue {
        ["hash": .string(reference.hash), "position": .number(.integer(reference.position))]
    }

    static func images(_ images: Images) -> JSONValue { ["api": .string(images.api), "web": .string(images.web)] }

    /// `candidate/<sha>/manifest.json`: the frozen candidate.
    public static func manifest(_ candidate: CandidateState) -> JSONValue? {
        guard let frozen = candidate.frozen else { return nil }
        // Keys in canonical order here and below, so JSONObject has nothing to sort.
        return [
            "frozenAt": .string(frozen.event.at.description),
            "images": images(frozen.images),
            "ledger": ledgerReference(frozen.event),
            "migration": ["image": .string(frozen.images.api), "required": .bool(frozen.migrationRequired)],
            "schema": .string(Kind.manifest.schemaID),
            "scopes": [
                "identity": .bool(frozen.scopes.identity), "infra": .bool(frozen.scopes.infra),
                "requiresInfraConvergence": .bool(frozen.scopes.requiresInfraConvergence),
                "runtime": .bool(frozen.scopes.runtime),
            ],
            "sha": .string(candidate.sha),
        ]
    }

    /// `release/<sha>/decision.json`: YES, NO or PENDING, with the gate table it rests on.
    public static func decision(_ candidate: CandidateState, run: RunState?) -> JSONValue {
        var decision = "PENDING"
        var decidedAt: JSONValue = .null
        var reasons: [JSONValue] = []
        var gates = GateTable.evaluate(candidate, run: run)
        var derivedFrom = run?.lastEvent ?? candidate.lastEvent
        if let acceptance = candidate.acceptance, !acceptance.isYes {
            // A candidate refused at acceptance never gets a run: its decision is NO.
            decision = "NO"
            decidedAt = .string(acceptance.event.at.description)
            reasons = [.string("acceptance NO" + (acceptance.reason.map { ": \($0)" } ?? ""))]
            derivedFrom = acceptance.event
        } else if let verdict = run?.decision {
            decision = verdict.decision.rawValue
            decidedAt = .string(verdict.event.at.description)
            gates = verdict.gates  // the table it was decided on, as recorded
            if !verdict.isYes {
                // The verdict's reason, then each unmet gate it does not already name.
                reasons =
                    [.string(verdict.reason)]
                    + GateTable.unmet(gates).filter { !verdict.reason.contains($0) }.map { .string("gate \($0)") }
            }
            derivedFrom = verdict.event
        }
        return [
            "acceptance": .optionalString(candidate.acceptance?.verdict.rawValue),
            "decidedAt": decidedAt,
            "decision": .string(decision),
            "gates": .array(gates.map(\.json)),
            "images": candidate.frozen.map { images($0.images) } ?? .null,
            "kind": run.map { .string($0.kind.rawValue) } ?? .null,
            "ledger": derivedFrom.map(ledgerReference) ?? .null,
            "reasons": .array(reasons),
            "run": run.map { .int($0.number) } ?? .null,
            "schema": .string(Kind.decision.schemaID),
            "sha": .string(candidate.sha),
        ]
    }

    /// `production/<sha>/deployment-record.json`: what this run put in production, by whom, step by
    /// step with the runbook's step names, and who approved it.
    public static func deploymentRecord(_ candidate: CandidateState, run: RunState) -> JSONValue {
        func deployed(_ app: String) -> JSONValue {
            .optionalString(
                run.steps.last(where: {
                    $0.type == EventType.deployRecorded.rawValue && $0.subject == app && $0.outcome == "succeeded"
                })?.image)
        }
        let actors = Set(run.steps.compactMap(\.actor) + [run.requestedBy, run.decision?.actor].compactMap { $0 })
            .sorted()
        let ciRuns = Set(run.steps.compactMap(\.ciRunId)).sorted()
        var steps: [JSONValue] = run.steps.map { step in
            [
                "actor": .optionalString(step.actor), "at": .string(step.event.at.description),
                "ciRunId": .optionalString(step.ciRunId),
                "name": .string(stepName(step)), "outcome": .string(step.outcome),
                "position": .number(.integer(step.event.position)),
            ]
        }
        if let decision = run.decision {
            // The runbook's last step: "Emit final release decision artifact (YES/NO)".
            steps.append([
                "actor": .optionalString(decision.actor), "at": .string(decision.event.at.description),
                "ciRunId": .null,
                "name": "release-decision", "outcome": .string(decision.decision.rawValue),
                "position": .number(.integer(decision.event.position)),
            ])
        }
        return [
            "actors": .array(actors.map { .string($0) }),
            "approval": .optionalString(run.approval?.rawValue),
            "approver": .optionalString(run.approver),
            "ciRunIds": .array(ciRuns.map { .string($0) }),
            "completedAt": .optionalString(run.decision?.event.at.description),
            "deployment": ["id": .optionalString(run.deploymentId), "url": .optionalString(run.environmentUrl)],
            "environment": .string(run.environment ?? "production"),
            "images": ["api": deployed("api"), "web": deployed("web")],
            "kind": .string(run.kind.rawValue),
            "migration": [
                "image": .optionalString(candidate.frozen?.images.api),
                "ran": .bool(run.migrationRan == .succeeded),
            ],
            "rollbackOf": run.kind == .rollback ? .optionalString(run.replaces) : .null,
            "run": .int(run.number),
            "schema": .string(Kind.deploymentRecord.schemaID),
            "sha": .string(candidate.sha),
            "startedAt": .string(run.opened.at.description),
            "steps": .array(steps),
        ]
    }

    /// A recorded step by its name in the runbook's Production Sequence (`deploy-api`,
    /// `smoke-browser`, ...), not by its event type.
    public static func stepName(_ step: StepRecord) -> String {
        switch EventType(rawValue: step.type) {
        case .approvalRecorded: "approve-" + (step.subject ?? "control-plane")
        case .applyRecorded: step.subject == "identity" ? "identity-apply" : "infra-apply"
        case .migrationRecorded: step.subject == "ran" ? "migration-run" : "migration-image-update"
        case .deployRecorded: "deploy-" + (step.subject ?? "app")
        case .smokeRecorded: "smoke-" + (step.subject ?? "suite")
        case .deploymentRecorded: "record-deployment"
        default: step.type
        }
    }

    static func evidence(_ links: [EvidenceLink]) -> JSONValue {
        .array(links.map { ["name": .string($0.name), "url": .string($0.url)] })
    }

    /// `identity/<sha>/preflight.json`: the identity config preflight (runbook: Production Sequence 3).
    public static func identityPreflight(_ candidate: CandidateState) -> JSONValue? {
        guard let preflight = candidate.preflight else { return nil }
        return [
            "ledger": ledgerReference(preflight.event),
            "reason": .string(preflight.reason),
            "recordedAt": .string(preflight.event.at.description),
            "resolved": .optionalString(preflight.resolved),
            "schema": .string(Kind.identityPreflight.schemaID),
            "sha": .string(candidate.sha),
            "status": .string(preflight.status.rawValue),
        ]
    }

    /// `identity/<sha>/apply.json` and `infra/<sha>/apply.json`: every apply of that scope in the
    /// run, in order (a retried apply shows both attempts); nil when the run has none.
    public static func applyRecord(_ candidate: CandidateState, run: RunState, kind: Kind, scope: String) -> JSONValue?
    {
        let applies = run.steps.filter {
            $0.type == EventType.applyRecorded.rawValue && ($0.subject ?? "infra") == scope
        }
        guard let last = applies.last else { return nil }
        return [
            "applies": .array(
                applies.map { step in
                    [
                        "actor": .optionalString(step.actor), "at": .string(step.event.at.description),
                        "ciRunId": .optionalString(step.ciRunId),
                        "ledger": ledgerReference(step.event), "outcome": .string(step.outcome),
                    ]
                }),
            "kind": .string(run.kind.rawValue),
            "outcome": .string(last.outcome),
            "run": .int(run.number),
            "schema": .string(kind.schemaID),
            "sha": .string(candidate.sha),
        ]
    }

    /// `browser-evidence/<sha>/manifest.json`: the run's browser smoke, its outcome and the links
    /// to its evidence (reports, traces); the last one when the smoke was retried.
    public static func browserEvidence(_ candidate: CandidateState, run: RunState) -> JSONValue? {
        guard
            let smoke = run.steps.last(where: { $0.type == EventType.smokeRecorded.rawValue && $0.subject == "browser" }
            )
        else { return nil }
        return [
            "actor": .optionalString(smoke.actor),
            "ciRunId": .optionalString(smoke.ciRunId),
            "evidence": evidence(smoke.evidence),
            "kind": .string(run.kind.rawValue),
            "ledger": ledgerReference(smoke.event),
            "outcome": .string(smoke.outcome),
            "recordedAt": .string(smoke.event.at.description),
            "run": .int(run.number),
            "schema": .string(Kind.browserEvidence.schemaID),
            "sha": .string(candidate.sha),
        ]
    }

    /// `production/<sha>/result.json`: success, failure or in-progress, and every step in order.
    public static func result(_ candidate: CandidateState, run: RunState) -> JSONValue {
        let status = run.decision.map { $0.isYes ? "success" : "failure" } ?? "in-progress"
        return [
            "kind": .string(run.kind.rawValue),
            "run": .int(run.number),
            "schema": .string(Kind.result.schemaID),
            "sha": .string(candidate.sha),
            "status": .string(status),
            "steps": .array(
                run.steps.map { step in
                    [
                        "at": .string(step.event.at.description), "outcome": .string(step.outcome),
                        "position": .number(.integer(step.event.position)), "step": .string(step.type),
                        "subject": .optionalString(step.subject),
                    ]
                }),
        ]
    }

    /// `deploy/<sha>/delegated-smoke.json`: the delegated pre-deploy probe.
    public static func delegatedSmoke(_ candidate: CandidateState) -> JSONValue? {
        guard let probe = candidate.probe else { return nil }
        return [
            "ledger": ledgerReference(probe.event),
            "recordedAt": .string(probe.event.at.description),
            "schema": .string(Kind.delegatedSmoke.schemaID),
            "sha": .string(candidate.sha),
            "status": .string(probe.status.rawValue),
            "targetApiBaseUrl": .optionalString(probe.target),
        ]
    }

    /// The first field where two artifacts differ, as a path like `gates[3].status`; nil when equal.
    public static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String = "") -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys + y.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let left = x[key], let right = y[key] else { return child }
                if let found = firstDifference(left, right, path: child) { return found }
            }
            return nil
        case (.array(let x), .array(let y)):
            for index in 0..<max(x.count, y.count) {
                let child = "\(path)[\(index)]"
                guard index < x.count, index < y.count else { return child }
                if let found = firstDifference(x[index], y[index], path: child) { return found }
            }
            return nil
        default:
            return a == b ? nil : (path.isEmpty ? "(the whole document)" : path)
        }
    }
}
