import ArgumentParser
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

struct ExportCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            """
            Write a self-contained bundle an auditor can check without release-ledger: events, head, artifacts, \
            schemas, verify.py.
            """,
        discussion: """
            Writes events.jsonl (every event with every field its hash covers), head.json, artifacts/ (as materialize
            --all writes them, derived from exactly these events), schemas/, verify.py (Python 3, standard library
            only) and VERIFY.md into a new or empty folder. `python3 DIR/verify.py` recomputes the chain.
            Example:
              release-ledger export --out audit-2026-q4
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The folder to write; it must not exist or be empty.") var out: String

    func execute(in context: CommandContext) throws(LedgerError) {
        let root = out.hasPrefix("/") ? out : context.currentDirectory + "/" + out
        // A bundle mixed with older files would be checked as one: start from nothing.
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root), !existing.isEmpty {
            throw .usage("--out \(out) is not empty; export writes a new folder")
        }
        let store = try context.openLedger(ledger.settings, for: .reading)
        // The head first: events appended meanwhile stay out, so the bundle is one consistent prefix.
        let head = try store.head()
        let events = try EventsFile(path: root + "/events.jsonl")
        var fold = LedgerFold()
        var failure: LedgerError?
        try store.forEachEvent(EventQuery(upToPosition: head.position)) { event in
            do throws(LedgerError) {
                try fold.apply(event)
                try events.append(Self.line(event))
            } catch {
                failure = error
                return false
            }
            return true
        }
        try events.close()
        if let failure { throw failure }
        let headJSON = CanonicalJSON.encodePrettyUTF8([
            "hash": .string(head.hash), "position": .number(.integer(head.position)),
        ])
        try write("head.json", headJSON, root: root)
        var artifacts = 0
        try Artifacts.forEveryCandidate(fold.candidates, workers: Parallel.cores) { files throws(LedgerError) in
            for file in files { try write("artifacts/" + file.path, file.utf8, root: root) }
            artifacts += files.count
        }
        for schema in Self.schemas {
            try write(Self.bundlePath(ofSchema: schema.path), Array(schema.text.utf8), root: root)
        }
        try write("verify.py", PackageResources.verify_py, root: root, executable: true)
        try write("VERIFY.md", PackageResources.VERIFY_md, root: root)
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "out": .string(out), "events": .number(.integer(head.position)),
                    "head": ["hash": .string(head.hash), "position": .number(.integer(head.position))],
                    "artifacts": .int(artifacts), "schemas": .int(Self.schemas.count),
                ]))
        } else {
            context.console.line(
                "exported \(head.position) events, head \(head.position):\(head.hash), \(artifacts) artifacts, "
                    + "\(Self.schemas.count) schemas to \(out); check with: python3 \(out)/verify.py")
        }
    }

    /// One line of events.jsonl. `data` and `metadata` are the stored text as strings: the hash
    /// covers those bytes, and re-encoding a parsed payload in another language could differ.
    static func line(_ event: RecordedEvent) -> [UInt8] {
        let json: JSONValue = [
            "chainVersion": .int(event.chainVersion), "data": .string(event.data), "hash": .string(event.hash),
            "id": .string(event.id),
            "metadata": .string(event.metadata), "position": .number(.integer(event.position)),
            "previousHash": .string(event.previousHash), "recordedAt": .string(event.recordedAt.description),
            "sha": .string(event.sha), "stream": .string(event.stream), "type": .string(event.type),
            "typeVersion": .int(event.typeVersion), "version": .number(.integer(event.version)),
        ]
        return Array((CanonicalJSON.encode(json) + "\n").utf8)
    }

    /// Schema/events/X.json → schemas/events/X.json; Projections/NAME/schema.json → schemas/artifacts/NAME.json.
    /// Every JSON Schema, by its path in the repository: the events' made from the catalog, the
    /// artifacts' compiled in.
    static var schemas: [(path: String, text: String)] {
        EventType.allCases.map { ("Schema/events/" + EventSchema.fileName(of: $0), EventSchema.text(of: $0)) }
            + EmbeddedSchemas.files
    }

    static func bundlePath(ofSchema path: String) -> String {
        let parts = path.split(separator: "/")
        if parts.first == "Projections", parts.count == 3 { return "schemas/artifacts/\(parts[1]).json" }
        return "schemas/events/\(parts.last ?? "")"
    }

    func write(_ relative: String, _ utf8: [UInt8], root: String, executable: Bool = false) throws(LedgerError) {
        let path = root + "/" + relative
        let folder = String(path[..<path.lastIndex(of: "/")!])
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        } catch {
            throw .storage("cannot write \(path): \(fileWriteProblem(error))")
        }
    }
}

/// events.jsonl, written through stdio's buffer so a large ledger never sits in memory.
final class EventsFile {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var closed = false

    init(path: String) throws(LedgerError) {
        self.path = path
        let folder = String(path[..<path.lastIndex(of: "/")!])
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .storage("cannot write \(path): \(fileWriteProblem(error))")
        }
        guard let file = fopen(path, "wx") else {
            throw .storage("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    func append(_ bytes: [UInt8]) throws(LedgerError) {
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count { throw .storage("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Closes the file; a write that failed only at the flush is reported here.
    func close() throws(LedgerError) {
        closed = true
        if fclose(file) != 0 { throw .storage("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    // An export that failed part way still lets go of the file.
    deinit { if !closed { fclose(file) } }
}
