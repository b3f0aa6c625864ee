/// The files the pipeline reads, derived from a candidate's state: pure functions, so the same
/// events always give the same bytes. Paths are the runbook's, relative to `.artifacts/`.
public enum Artifacts {
    /// One artifact file: where it goes and what it holds.
    public struct File: Equatable, Sendable {
        public let path: String
        /// Canonical, indented, with a trailing newline: what is written to disk.
        public let utf8: [UInt8]

        public init(path: String, utf8: [UInt8]) {
            self.path = path
            self.utf8 = utf8
        }

        /// A file received as a value (a server's answer): its canonical indented bytes.
        public init(path: String, content: JSONValue) {
            self.init(path: path, utf8: CanonicalJSON.encodePrettyUTF8(content))
        }

        public var bytes: String { String(decoding: utf8, as: UTF8.self) }

        /// The same as a value (the server's list of files): parsed from the bytes, which are the
        /// only definition of an artifact.
        public func content() throws(LedgerError) -> JSONValue { try Artifacts.parse(utf8, path: path) }
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
        public var schemaID: String { "\(Self.schemaBase)\(rawValue)/v\(version).json" }

        static let schemaBase = "https://release-ledger.dev/schema/artifacts/"

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
        guard let frozen = candidate.frozen else {
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
        func add(_ kind: Kind, _ write: (inout PrettyJSONWriter) -> Void) {
            files.append(File(path: kind.path(for: candidate.sha), utf8: document(write)))
        }
        add(.manifest) { writeManifest(candidate, frozen, &$0) }
        add(.decision) { writeDecision(candidate, run: run, &$0) }
        if let run {
            add(.deploymentRecord) { writeDeploymentRecord(candidate, run: run, &$0) }
            add(.result) { writeResult(candidate, run: run, &$0) }
        }
        if let probe = candidate.probe {
            add(.delegatedSmoke) { writeDelegatedSmoke(candidate, probe, &$0) }
        }
        // The runbook's infra/, identity/ and browser-evidence/ files exist only once their facts
        // do: a candidate without an infra apply in this run has no infra/ folder.
        if let preflight = candidate.preflight {
            add(.identityPreflight) { writeIdentityPreflight(candidate, preflight, &$0) }
        }
        if let run {
            for (kind, scope) in [(Kind.identityApply, "identity"), (.infraApply, "infra")] {
                let applies = run.steps.filter {
                    $0.type == EventType.applyRecorded.rawValue && ($0.subject ?? "infra") == scope
                }
                if !applies.isEmpty { add(kind) { writeApplyRecord(candidate, run: run, kind, applies, &$0) } }
            }
            if let smoke = run.steps.last(where: {
                $0.type == EventType.smokeRecorded.rawValue && $0.subject == "browser"
            }) {
                add(.browserEvidence) { writeBrowserEvidence(candidate, run: run, smoke, &$0) }
            }
        }
        return files
    }

    /// The files of every frozen candidate, ordered by SHA, handed to `body` a few hundred
    /// candidates at a time: each candidate's files are derived on their own, so every core works
    /// on a chunk while memory holds one chunk, not every file (`materialize --all`, benchmark W4).
    public static func forEveryCandidate<E: Error>(
        _ candidates: [String: CandidateState], workers: Int, _ body: ([File]) throws(E) -> Void
    ) throws(E) {
        let frozen = candidates.values.filter { $0.frozen != nil }.sorted { $0.sha < $1.sha }
        let workers = max(1, workers)
        let chunk = 256 * workers
        for chunkStart in stride(from: 0, to: frozen.count, by: chunk) {
            // Interleaved over the workers, so a run of large candidates is shared.
            let results = Parallel.map(min(chunk, frozen.count - chunkStart), workers: workers) { index in
                // A frozen candidate always has files; `try?` only satisfies the signature.
                (try? files(for: frozen[chunkStart + index])) ?? []
            }
            try body(results.flatMap { $0 })
        }
    }

    /// `candidate/<sha>/manifest.json` as a value (what `run`'s JSON output embeds).
    public static func manifest(_ candidate: CandidateState) throws(LedgerError) -> JSONValue? {
        guard let frozen = candidate.frozen else { return nil }
        return try parse(
            document { writeManifest(candidate, frozen, &$0) }, path: Kind.manifest.path(for: candidate.sha))
    }

    /// `release/<sha>/decision.json` as a value (what the decision attestation's predicate reads).
    public static func decision(_ candidate: CandidateState, run: RunState?) throws(LedgerError) -> JSONValue {
        try parse(document { writeDecision(candidate, run: run, &$0) }, path: Kind.decision.path(for: candidate.sha))
    }

    /// One artifact's bytes: an object, indented, with a trailing newline.
    static func document(_ write: (inout PrettyJSONWriter) -> Void) -> [UInt8] {
        var writer = PrettyJSONWriter(capacity: 2048)
        writer.object(write)
        return writer.finish()
    }

    /// An artifact read back as a value, without input limits: a long run's record may be larger
    /// than any one payload may be. What the parser still refuses is a control character that the
    /// ledger has refused at append since its first release: an integrity error, never a null.
    static func parse(_ bytes: [UInt8], path: String) throws(LedgerError) -> JSONValue {
        do { return try JSONParser.parse(bytes: bytes, field: path, limits: .internal) } catch {
            throw .integrity(
                "the artifact \(path) does not read back as JSON: \(error.description)", firstBadPosition: nil)
        }
    }

    // Each writer lists its keys in canonical order, as the writer requires.

    /// `candidate/<sha>/manifest.json`: the frozen candidate.
    static func writeManifest(_ candidate: CandidateState, _ frozen: FrozenCandidate, _ w: inout PrettyJSONWriter) {
        w.key("frozenAt")
        w.timestamp(frozen.event.at)
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
        w.key("decidedAt")
        w.timestamp(decidedAt)
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
        w.key("completedAt")
        w.timestamp(run.decision?.event.at)
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
        w.key("startedAt")
        w.timestamp(run.opened.at)
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

    /// `identity/<sha>/preflight.json`: the identity config preflight (runbook: Production Sequence 3).
    static func writeIdentityPreflight(
        _ candidate: CandidateState, _ preflight: PreflightFact, _ w: inout PrettyJSONWriter
    ) {
        w.object("ledger") { $0.ledgerReference(preflight.event) }
        w.field("reason", preflight.reason)
        w.key("recordedAt")
        w.timestamp(preflight.event.at)
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
                    $0.key("at")
                    $0.timestamp(step.event.at)
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
        w.key("recordedAt")
        w.timestamp(smoke.event.at)
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
                    $0.key("at")
                    $0.timestamp(step.event.at)
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
        w.key("recordedAt")
        w.timestamp(probe.event.at)
        w.schema(.delegatedSmoke)
        w.field("sha", candidate.sha)
        w.field("status", probe.status.rawValue)
        w.field("targetApiBaseUrl", probe.target)
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

/// The pieces several artifacts share, written in place.
extension PrettyJSONWriter {
    /// An RFC 3339 time as a string, or null.
    fileprivate mutating func timestamp(_ time: Timestamp?) {
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
            $0.key("at")
            $0.timestamp(at)
            $0.field("ciRunId", ciRunId)
            $0.field("name", name)
            $0.field("outcome", outcome)
            $0.field("position", integer: position)
        }
    }
}
