/// The files the pipeline reads, derived from a candidate's state: pure functions, so the same
/// events always give the same bytes. Paths are the runbook's, relative to `.artifacts/`.
public enum Artifacts {
    /// One artifact file: where it goes and what it holds.
    public struct File: Equatable, Sendable {
        public let path: String
        public let content: JSONValue

        /// Canonical, indented, with a trailing newline.
        public var bytes: String { CanonicalJSON.encodePretty(content) }
    }

    public enum Kind: String, CaseIterable, Sendable {
        case manifest, decision
        case deploymentRecord = "deployment-record"
        case result
        case delegatedSmoke = "delegated-smoke"

        /// The `schema` field every artifact carries, naming `Projections/<kind>/schema.json`.
        public var schemaID: String { "https://release-ledger.dev/schema/artifacts/\(rawValue)/v1.json" }

        public func path(for sha: String) -> String {
            switch self {
            case .manifest: "candidate/\(sha)/manifest.json"
            case .decision: "release/\(sha)/decision.json"
            case .deploymentRecord: "production/\(sha)/deployment-record.json"
            case .result: "production/\(sha)/result.json"
            case .delegatedSmoke: "deploy/\(sha)/delegated-smoke.json"
            }
        }
    }

    /// A problem choosing what to derive (an unknown SHA or run).
    public static func files(for candidate: CandidateState, run number: Int? = nil) throws(LedgerError) -> [File] {
        guard candidate.frozen != nil else { throw .usage("\(candidate.sha) has no candidate.frozen event; nothing to materialize") }
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
        if let manifest = manifest(candidate) { files.append(File(path: Kind.manifest.path(for: candidate.sha), content: manifest)) }
        files.append(File(path: Kind.decision.path(for: candidate.sha), content: decision(candidate, run: run)))
        if let run {
            files.append(File(path: Kind.deploymentRecord.path(for: candidate.sha), content: deploymentRecord(candidate, run: run)))
            files.append(File(path: Kind.result.path(for: candidate.sha), content: result(candidate, run: run)))
        }
        if let smoke = delegatedSmoke(candidate) { files.append(File(path: Kind.delegatedSmoke.path(for: candidate.sha), content: smoke)) }
        return files
    }

    static func ledgerReference(_ reference: EventReference) -> JSONValue {
        ["position": .number(.integer(reference.position)), "hash": .string(reference.hash)]
    }

    static func images(_ images: Images) -> JSONValue { ["api": .string(images.api), "web": .string(images.web)] }

    /// `candidate/<sha>/manifest.json`: the frozen candidate.
    public static func manifest(_ candidate: CandidateState) -> JSONValue? {
        guard let frozen = candidate.frozen else { return nil }
        return [
            "schema": .string(Kind.manifest.schemaID),
            "sha": .string(candidate.sha),
            "frozenAt": .string(frozen.event.at.description),
            "images": images(frozen.images),
            "migration": ["image": .string(frozen.images.api), "required": .bool(frozen.migrationRequired)],
            "scopes": [
                "runtime": .bool(frozen.scopes.runtime), "infra": .bool(frozen.scopes.infra), "identity": .bool(frozen.scopes.identity),
                "requiresInfraConvergence": .bool(frozen.scopes.requiresInfraConvergence),
            ],
            "ledger": ledgerReference(frozen.event),
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
            decision = verdict.decision
            decidedAt = .string(verdict.event.at.description)
            gates = verdict.gates  // the table it was decided on, as recorded
            if !verdict.isYes {
                // The verdict's reason, then each unmet gate it does not already name.
                reasons = [.string(verdict.reason)] + GateTable.unmet(gates).filter { !verdict.reason.contains($0) }.map { .string("gate \($0)") }
            }
            derivedFrom = verdict.event
        }
        return [
            "schema": .string(Kind.decision.schemaID),
            "sha": .string(candidate.sha),
            "decision": .string(decision),
            "run": run.map { .int($0.number) } ?? .null,
            "kind": run.map { .string($0.kind.rawValue) } ?? .null,
            "decidedAt": decidedAt,
            "acceptance": .optionalString(candidate.acceptance?.verdict),
            "gates": .array(gates.map(\.json)),
            "reasons": .array(reasons),
            "images": candidate.frozen.map { images($0.images) } ?? .null,
            "ledger": derivedFrom.map(ledgerReference) ?? .null,
        ]
    }

    /// `production/<sha>/deployment-record.json`: what this run put in production, by whom.
    public static func deploymentRecord(_ candidate: CandidateState, run: RunState) -> JSONValue {
        func deployed(_ app: String) -> JSONValue {
            .optionalString(run.steps.last(where: { $0.type == EventType.deployRecorded.rawValue && $0.subject == app && $0.outcome == "succeeded" })?.image)
        }
        let actors = Set(run.steps.compactMap(\.actor) + [run.requestedBy, run.decision?.actor].compactMap { $0 }).sorted()
        let ciRuns = Set(run.steps.compactMap(\.ciRunId)).sorted()
        return [
            "schema": .string(Kind.deploymentRecord.schemaID),
            "sha": .string(candidate.sha),
            "environment": .string(run.environment ?? "production"),
            "run": .int(run.number),
            "kind": .string(run.kind.rawValue),
            "rollbackOf": run.kind == .rollback ? .optionalString(run.replaces) : .null,
            "startedAt": .string(run.opened.at.description),
            "completedAt": .optionalString(run.decision?.event.at.description),
            "images": ["api": deployed("api"), "web": deployed("web")],
            "migration": [
                "image": .optionalString(candidate.frozen?.images.api),
                "ran": .bool(run.migrationRan == "succeeded"),
            ],
            "deployment": ["id": .optionalString(run.deploymentId), "url": .optionalString(run.environmentUrl)],
            "actors": .array(actors.map { .string($0) }),
            "ciRunIds": .array(ciRuns.map { .string($0) }),
            "steps": .array(
                run.steps.map { step in
                    [
                        "step": .string(step.type), "subject": .optionalString(step.subject), "actor": .optionalString(step.actor),
                        "ciRunId": .optionalString(step.ciRunId), "position": .number(.integer(step.event.position)),
                    ]
                }),
        ]
    }

    /// `production/<sha>/result.json`: success, failure or in-progress, and every step in order.
    public static func result(_ candidate: CandidateState, run: RunState) -> JSONValue {
        let status = run.decision.map { $0.isYes ? "success" : "failure" } ?? "in-progress"
        return [
            "schema": .string(Kind.result.schemaID),
            "sha": .string(candidate.sha),
            "run": .int(run.number),
            "kind": .string(run.kind.rawValue),
            "status": .string(status),
            "steps": .array(
                run.steps.map { step in
                    [
                        "step": .string(step.type), "subject": .optionalString(step.subject), "outcome": .string(step.outcome),
                        "at": .string(step.event.at.description), "position": .number(.integer(step.event.position)),
                    ]
                }),
        ]
    }

    /// `deploy/<sha>/delegated-smoke.json`: the delegated pre-deploy probe.
    public static func delegatedSmoke(_ candidate: CandidateState) -> JSONValue? {
        guard let probe = candidate.probe else { return nil }
        return [
            "schema": .string(Kind.delegatedSmoke.schemaID),
            "sha": .string(candidate.sha),
            "status": .string(probe.status),
            "targetApiBaseUrl": .optionalString(probe.target),
            "recordedAt": .string(probe.event.at.description),
            "ledger": ledgerReference(probe.event),
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
