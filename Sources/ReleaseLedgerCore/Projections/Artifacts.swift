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
