import ArgumentParser
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct MaterializeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize",
        abstract: "Write the runbook's artifacts for a SHA (or all) under a folder, derived from the events.",
        discussion: """
            Writes candidate/<sha>/manifest.json, release/<sha>/decision.json, production/<sha>/deployment-record.json,
            production/<sha>/result.json and deploy/<sha>/delegated-smoke.json; and, only once their facts exist,
            identity/<sha>/preflight.json, identity/<sha>/apply.json, infra/<sha>/apply.json and
            browser-evidence/<sha>/manifest.json. With --check, writes nothing and exits 4 naming the first file and
            field that differ from what the ledger derives.
            Examples:
              release-ledger materialize --sha $SHA --out .artifacts
              release-ledger materialize --all --out .artifacts --check
              release-ledger materialize --sha $SHA --run 1 --out old-run
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The candidate's commit SHA.") var sha: String?
    @Flag(help: "Every SHA in the ledger.") var all = false
    @Option(parsing: .unconditional, help: "An earlier run (default: the latest).") var run: Int?
    @Option(help: "The folder to write under.") var out: String = ".artifacts"
    @Flag(help: "Compare the files already there with the ledger instead of writing; exit 4 on a difference.")
    var check = false
    @Option(
        help:
            """
            Also write release/<sha>/decision.intoto.jsonl, the signed decision (default: \
            $RELEASE_LEDGER_SIGNING_KEY_FILE).
            """
    )
    var key: String?

    func validate() throws {
        guard (sha != nil) != all else { throw ValidationError("materialize needs exactly one of --sha SHA or --all") }
        if all, run != nil { throw ValidationError("--run picks a run of one SHA; it cannot go with --all") }
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        if let run, run < 1 { throw .usage("--run must be 1 or more") }
        let store = try context.openLedger(ledger.settings, for: .reading)
        let root = out.hasPrefix("/") ? out : context.currentDirectory + "/" + out
        var done: [String] = []
        func handle(_ files: [Artifacts.File]) throws(LedgerError) {
            for file in files {
                if check { try compare(file, root: root) } else { try write(file, root: root) }
                done.append(file.path)
            }
        }
        // With a key, each decided run's attestation goes beside its decision.json.
        let signer = try SigningKey.load(option: key, context: context)
        let checkpoints = signer == nil ? [] : try CheckpointIssuer.recorded(in: store)
        func attestation(_ candidate: CandidateState) throws(LedgerError) {
            guard let signer else { return }
            let input: DecisionAttestation.Input
            do {
                input = try DecisionAttestation.input(
                    candidate: candidate, runNumber: run, checkpoints: checkpoints, verifierName: signer.name)
            } catch {
                if case .refused = error { return }  // no decided run: nothing to attest
                throw error
            }
            let path = "release/\(candidate.sha)/decision.intoto.jsonl"
            let envelope = try DecisionAttestation.envelope(input, signer: signer) + "\n"
            try handle([Artifacts.File(path: path, utf8: Array(envelope.utf8))])
        }
        if let sha {
            try handle(try store.artifacts(of: sha, run: run, checkingReadModel: check))
            if signer != nil, let candidate = try store.candidateHistory(sha) { try attestation(candidate) }
        } else {
            // One fold of every event is faster than loading each candidate, and the files are
            // derived on every core.
            let fold = try store.foldAll()
            try Artifacts.forEveryCandidate(fold.candidates, workers: Parallel.cores) { files throws(LedgerError) in
                try handle(files)
            }
            if signer != nil {
                for sha in fold.candidates.keys.sorted() {
                    if let candidate = fold.candidates[sha] ?? nil { try attestation(candidate) }
                }
            }
        }
        switch (check, ledger.json) {
        case (true, true): context.console.line(CanonicalJSON.encode(["ok": true, "checked": .int(done.count)]))
        case (true, false): context.console.line("ok: \(done.count) artifacts match the ledger")
        case (false, true):
            context.console.line(CanonicalJSON.encode(["written": .array(done.map { .string(out + "/" + $0) })]))
        case (false, false): for path in done { context.console.line("wrote \(out)/\(path)") }
        }
    }

    func write(_ file: Artifacts.File, root: String) throws(LedgerError) {
        let path = root + "/" + file.path
        let folder = String(path[..<path.lastIndex(of: "/")!])
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(file.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .storage("cannot write \(path): \(fileWriteProblem(error))")
        }
    }

    func compare(_ file: Artifacts.File, root: String) throws(LedgerError) {
        let path = root + "/" + file.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .integrity("\(out)/\(file.path) is missing", firstBadPosition: nil)
        }
        if Array(data) == file.utf8 { return }
        let field: String
        // Without input limits, as the ledger reads what it wrote: a long run's artifact may be
        // larger than any payload may be, and the difference is still named.
        if let existing = try? JSONParser.parse(bytes: Array(data), field: file.path, limits: .internal),
            let derived = try? file.content()
        {
            field = Artifacts.firstDifference(existing, derived) ?? "(formatting only: the bytes are not canonical)"
        } else {
            field = "(the file is not valid JSON)"
        }
        throw .integrity("\(out)/\(file.path) differs from the ledger at \(field)", firstBadPosition: nil)
    }
}
