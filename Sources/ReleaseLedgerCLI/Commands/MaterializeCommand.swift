import ArgumentParser
import ReleaseLedgerCore
import ReleaseLedgerSQLite

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct MaterializeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize", abstract: "Write the runbook's artifacts for a SHA (or all) under a folder, derived from the events.",
        discussion: """
            Writes candidate/<sha>/manifest.json, release/<sha>/decision.json, production/<sha>/deployment-record.json,
            production/<sha>/result.json and deploy/<sha>/delegated-smoke.json. With --check, writes nothing and exits 4
            naming the first file and field that differ from what the ledger derives.
            Examples:
              release-ledger materialize --sha $SHA --out .artifacts
              release-ledger materialize --all --out .artifacts --check
              release-ledger materialize --sha $SHA --run 1 --out old-run
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The candidate's commit SHA.") var sha: String?
    @Flag(help: "Every SHA in the ledger.") var all = false
    @Option(help: "An earlier run (default: the latest).") var run: Int?
    @Option(help: "The folder to write under.") var out: String = ".artifacts"
    @Flag(help: "Compare the files already there with the ledger instead of writing; exit 4 on a difference.") var check = false

    func execute(in context: CommandContext) throws(LedgerError) {
        guard (sha != nil) != all else { throw .usage("materialize needs exactly one of --sha SHA or --all") }
        if all, run != nil { throw .usage("--run picks a run of one SHA; it cannot go with --all") }
        let store = try context.openStore(ledger, forWriting: false)
        var files: [Artifacts.File] = []
        if let sha {
            guard let candidate = try store.candidate(sha) else { throw .usage("\(sha) is not in the ledger") }
            files = try Artifacts.files(for: candidate, run: run)
        } else {
            for sha in try store.candidateSHAs() {
                guard let candidate = try store.candidate(sha), candidate.frozen != nil else { continue }
                files += try Artifacts.files(for: candidate)
            }
        }
        let root = out.hasPrefix("/") ? out : context.currentDirectory + "/" + out
        if check {
            try compare(files, root: root, console: context.console, json: ledger.json)
            return
        }
        for file in files {
            let path = root + "/" + file.path
            let folder = String(path[..<path.lastIndex(of: "/")!])
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(file.bytes.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw .storage("cannot write \(path): \(error)")
            }
        }
        if ledger.json {
            context.console.line(CanonicalJSON.encode(["written": .array(files.map { .string(out + "/" + $0.path) })]))
        } else {
            for file in files { context.console.line("wrote \(out)/\(file.path)") }
        }
    }

    func compare(_ files: [Artifacts.File], root: String, console: Console, json: Bool) throws(LedgerError) {
        for file in files {
            let path = root + "/" + file.path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .integrity("\(out)/\(file.path) is missing", firstBadPosition: nil)
            }
            if Array(data) == Array(file.bytes.utf8) { continue }
            let field: String
            if let existing = try? JSONParser.parse(bytes: Array(data), field: file.path) {
                field = Artifacts.firstDifference(existing, file.content) ?? "(formatting only: the bytes are not canonical)"
            } else {
                field = "(the file is not valid JSON)"
            }
            throw .integrity("\(out)/\(file.path) differs from the ledger at \(field)", firstBadPosition: nil)
        }
        if json {
            console.line(CanonicalJSON.encode(["ok": true, "checked": .int(files.count)]))
        } else {
            console.line("ok: \(files.count) artifacts match the ledger")
        }
    }
}

struct RebuildCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Recreate the read model (candidates, runs, production) from the events.",
        discussion: "Example: release-ledger rebuild")

    @OptionGroup var ledger: LedgerOptions

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openStore(ledger, forWriting: true)
        let count = try store.rebuildReadModel()
        if ledger.json {
            context.console.line(CanonicalJSON.encode(["candidates": .int(count)]))
        } else {
            context.console.line("rebuilt the read model: \(count) candidates")
        }
    }
}
