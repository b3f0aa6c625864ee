import EventStoreConformance
import Foundation
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One malformed input of `Tests/Corpus/bad-input/` (written by `tools/make-bad-input-corpus.py`).
struct BadInputCase: CustomTestStringConvertible, Sendable {
    let file: String
    let type: String
    let sha: String
    let exitCode: Int32
    let expected: String
    let forbidden: String?

    var isBatch: Bool { type == "(batch)" }
    var testDescription: String { file }

    var arguments: [String] {
        let path = BadInputCorpus.folder + "/" + file
        if isBatch { return ["append", "--batch", path] }
        return ["append", "--type", type, "--sha", sha == "default" ? Fixtures.sha(1) : sha, "--data", "@" + path]
    }
}

enum BadInputCorpus {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/bad-input").path

    /// The rows of `cases.tsv`; empty when it cannot be read (`corpusIsComplete` then fails).
    static let cases: [BadInputCase] = (try? load()) ?? []

    static func load() throws -> [BadInputCase] {
        let text = try String(contentsOfFile: folder + "/cases.tsv", encoding: .utf8)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard rows.first == "file\ttype\tsha\texit\texpect\tforbid" else { return [] }
        rows.removeFirst()
        return rows.compactMap { row in
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false).map { unescape(String($0)) }
            guard columns.count == 6, let exitCode = Int32(columns[3]) else { return nil }
            return BadInputCase(
                file: columns[0], type: columns[1], sha: columns[2], exitCode: exitCode, expected: columns[4],
                forbidden: columns[5] == "-" ? nil : columns[5])
        }
    }

    /// `\n`, `\t`, `\\` and `\uXXXX` in a column stand for a newline, a tab, a backslash and any
    /// other control character or line separator.
    static func unescape(_ column: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = column.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let code = scalars.popFirst() else {
                result.append(scalar)
                continue
            }
            switch code {
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "u":
                let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                scalars = scalars.dropFirst(4)
                result.append(UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}")
            default: result.append(code)
            }
        }
        return String(result)
    }
}

/// What must not change when an input is refused: the event count, the head of the chain, and
/// the bytes of the ledger file.
fileprivate struct LedgerSnapshot {
    let events: Int
    let head: ChainHead
    let bytes: [UInt8]?

    init(ledgerAt path: String) throws {
        bytes = FileManager.default.contents(atPath: path).map { Array($0) }
        var options = SQLiteEventStore.Options()
        options.readOnly = true
        let store = try SQLiteEventStore(path: path, engine: Fixtures.engine(), options: options)
        head = try store.head()
        events = try store.events(EventQuery()).count
    }

    func expectUnchanged(_ after: LedgerSnapshot, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(after.events == events, "\(what): event count changed", sourceLocation: sourceLocation)
        #expect(after.head == head, "\(what): head changed", sourceLocation: sourceLocation)
        let sameBytes = after.bytes == bytes
        #expect(sameBytes, "\(what): the ledger file's bytes changed", sourceLocation: sourceLocation)
    }
}

/// A refusal is one line on stderr, `release-ledger: error: ...`, naming the field or file and the rule.
fileprivate func expectOneErrorLine(
    _ result: CommandResult, containing expected: String, forbidding forbidden: String? = nil, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let scalars = Array(result.stderr.unicodeScalars)
    let newlines = scalars.filter { $0 == "\n" }.count
    #expect(
        newlines == 1 && scalars.last == "\n",
        "\(what): stderr is not exactly one line: \(result.stderr.debugDescription)", sourceLocation: sourceLocation)
    let hidden = scalars.dropLast().filter {
        $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029
    }
    #expect(
        hidden.isEmpty, "\(what): stderr holds control characters: \(result.stderr.debugDescription)",
        sourceLocation: sourceLocation)
    #expect(
        result.stderr.hasPrefix("release-ledger: error: "), "\(what): \(result.stderr.debugDescription)",
        sourceLocation: sourceLocation)
    #expect(
        result.stderr.contains(expected),
        "\(what): \(result.stderr.debugDescription) does not contain \(expected.debugDescription)",
        sourceLocation: sourceLocation)
    #expect(
        result.stderr.utf8.count <= 1_000, "\(what): the message echoes too much (\(result.stderr.utf8.count) bytes)",
        sourceLocation: sourceLocation)
    if let forbidden {
        #expect(
            !result.stderr.contains(forbidden), "\(what): stderr echoes \(forbidden.debugDescription)",
            sourceLocation: sourceLocation)
    }
}

@Suite struct BadInputCorpusTests {
    let sha = Fixtures.sha(1)

    /// A ledger holding the freeze and acceptance YES of candidate 1, so every catalog type
    /// reaches validation (and would reach the release rules, were it valid).
    func seededLedger() throws -> CLIHarness {
        let cli = CLIHarness()
        let freeze = cli.run([
            "freeze", "--sha", sha, "--api-image", Fixtures.digest("api", 1), "--web-image", Fixtures.digest("web", 1),
            "--scope", "runtime",
            "--migration-required",
        ])
        try #require(freeze.exitCode == 0, "\(freeze.stderr)")
        let accept = cli.run(["accept", "--sha", sha, "--verdict", "YES"])
        try #require(accept.exitCode == 0, "\(accept.stderr)")
        return cli
    }

    /// The seeded ledger's file, made once: the corpus copies it for each of its cases rather than
    /// appending the same two events hundreds of times. (Its last writer closed, so the WAL is
    /// checkpointed into the file and the file is the whole ledger.)
    static let seededLedgerBytes: Result<Data, any Error> = Result {
        let cli = try BadInputCorpusTests().seededLedger()
        guard let bytes = FileManager.default.contents(atPath: cli.defaultLedger) else {
            throw CocoaError(.fileReadUnknown)
        }
        return bytes
    }

    func copyOfSeededLedger() throws -> CLIHarness {
        let cli = CLIHarness()
        try FileManager.default.createDirectory(
            atPath: cli.folder + "/.release-ledger", withIntermediateDirectories: true)
        try Self.seededLedgerBytes.get().write(to: URL(fileURLWithPath: cli.defaultLedger))
        return cli
    }

    // MARK: The corpus

    @Test func corpusIsComplete() throws {
        let cases = BadInputCorpus.cases
        #expect(cases.count >= 100, "the corpus holds \(cases.count) cases (cases.tsv at \(BadInputCorpus.folder))")
        #expect(Set(cases.map(\.file)).count == cases.count, "a file is listed twice")
        for item in cases {
            #expect(
                FileManager.default.fileExists(atPath: BadInputCorpus.folder + "/" + item.file),
                "\(item.file) is missing")
            #expect([64, 65, 74].contains(item.exitCode), "\(item.file): exit \(item.exitCode)")
            #expect(!item.expected.isEmpty, "\(item.file): no expected message")
        }
        let listed = Set(cases.map(\.file))
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: BadInputCorpus.folder).filter {
            $0 != "cases.tsv"
        }
        #expect(
            Set(onDisk) == listed,
            "files on disk and rows of cases.tsv differ: \(Set(onDisk).symmetricDifference(listed).sorted())")
    }

    /// The corpus is generated: a checked-in file that the script would no longer write the same
    /// way (edited by hand, or the script changed without rerunning it) fails here.
    @Test func corpusIsWhatTheScriptWrites() throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: fresh) }
        let root = URL(fileURLWithPath: BadInputCorpus.folder).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let script = try CDEventsTests.runPython([root + "/tools/make-bad-input-corpus.py", "--out", fresh])
        #expect(script.exitCode == 0, "\(script.stdout)")
        let written = try FileManager.default.contentsOfDirectory(atPath: fresh).sorted()
        let checkedIn = try FileManager.default.contentsOfDirectory(atPath: BadInputCorpus.folder).sorted()
        #expect(written == checkedIn, "run python3 tools/make-bad-input-corpus.py: the file lists differ")
        for file in written where checkedIn.contains(file) {
            let same = FileManager.default.contentsEqual(
                atPath: fresh + "/" + file, andPath: BadInputCorpus.folder + "/" + file)
            #expect(same, "Tests/Corpus/bad-input/\(file) is stale: run python3 tools/make-bad-input-corpus.py")
        }
    }

    @Test(arguments: BadInputCorpus.cases)
    func malformedInputIsRefusedAndChangesNothing(_ item: BadInputCase) throws {
        let cli = try copyOfSeededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        #expect(before.events == 2)
        let result = cli.run(item.arguments)
        #expect([64, 65, 74].contains(result.exitCode), "\(item.file): exit \(result.exitCode): \(result.stderr)")
        #expect(
            result.exitCode == item.exitCode,
            "\(item.file): exit \(result.exitCode), expected \(item.exitCode): \(result.stderr)")
        expectOneErrorLine(result, containing: item.expected, forbidding: item.forbidden, item.file)
        #expect(result.stdout.isEmpty, "\(item.file): printed \(result.stdout.debugDescription)")
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), item.file)
    }

    // MARK: Strict JSON from every source

    /// Runs a command with raw bytes on standard input (the harness takes a String, which cannot hold invalid UTF-8).
    func run(_ cli: CLIHarness, _ arguments: [String], standardInput: [UInt8]) -> CommandResult {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        let context = CommandContext(
            environment: cli.environment, currentDirectory: cli.folder, clock: cli.clock, ids: Fixtures.CountingIDs(),
            console: console,
            readStandardInput: { standardInput })
        let code = ReleaseLedger.main(arguments: arguments, context: context)
        return CommandResult(exitCode: code, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    static let strictInputs: [(String, [UInt8], String)] = [
        (
            "duplicate key", Array(#"{"verdict":"YES","verdict":"NO"}"#.utf8),
            "data.verdict: has a duplicate key (I-JSON, RFC 7493)"
        ),
        (
            "duplicate nested key",
            Array(#"{"verdict":"YES","evidence":[{"name":"a","name":"b","url":"https://x.example"}]}"#.utf8),
            "data.evidence[0].name: has a duplicate key"
        ),
        (
            "lone high surrogate", Array(#"{"verdict":"NO","reason":"\ud800"}"#.utf8),
            "data.reason: contains a lone surrogate (I-JSON, RFC 7493)"
        ),
        (
            "lone low surrogate", Array(#"{"verdict":"NO","reason":"\udc00"}"#.utf8),
            "data.reason: contains a lone surrogate"
        ),
        (
            "invalid UTF-8", Array(#"{"verdict":"NO","reason":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8),
            "data.reason: is not valid UTF-8"
        ),
        (
            "overlong UTF-8", Array(#"{"verdict":"NO","reason":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),
            "data.reason: is not valid UTF-8"
        ),
        (
            "UTF-8 surrogate", Array(#"{"verdict":"NO","reason":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
            "data.reason: is not valid UTF-8"
        ),
    ]

    @Test func strictJSONOnStandardInput() throws {
        let cli = try seededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        for (name, bytes, expected) in Self.strictInputs {
            let result = run(
                cli, ["append", "--type", "acceptance.recorded", "--sha", sha, "--data", "-"], standardInput: bytes)
            #expect(result.exitCode == 65, "\(name): exit \(result.exitCode): \(result.stderr)")
            expectOneErrorLine(result, containing: expected, "stdin, \(name)")
            #expect(result.stdout.isEmpty)
        }
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), "stdin")
    }

    @Test func strictJSONInline() throws {
        let cli = try seededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        // Only the valid-UTF-8 inputs: a command-line argument is a String.
        for (name, bytes, expected) in Self.strictInputs.prefix(4) {
            let inline = String(decoding: bytes, as: UTF8.self)
            let result = cli.run(["append", "--type", "acceptance.recorded", "--sha", sha, "--data", inline])
            #expect(result.exitCode == 65, "\(name): exit \(result.exitCode): \(result.stderr)")
            expectOneErrorLine(result, containing: expected, "inline, \(name)")
        }
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), "inline")
    }

    @Test func strictJSONInABatchOnStandardInput() throws {
        let cli = try seededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        let good = Array(#"{"type":"x-note","sha":"\#(sha)","data":{"n":1}}"#.utf8) + [0x0A]
        let inputs: [(String, [UInt8], String)] = [
            (
                "invalid UTF-8",
                good + Array(#"{"type":"x-note","sha":"\#(sha)","data":{"t":""#.utf8) + [0xFF] + Array(#""}}"#.utf8),
                "batch line 2.data.t: is not valid UTF-8"
            ),
            (
                "duplicate key", good + Array(#"{"type":"x-note","sha":"\#(sha)","sha":"\#(sha)","data":{}}"#.utf8),
                "batch line 2.sha: has a duplicate key"
            ),
            (
                "lone surrogate", good + Array(#"{"type":"x-note","sha":"\#(sha)","data":{"t":"\udbff"}}"#.utf8),
                "batch line 2.data.t: contains a lone surrogate"
            ),
        ]
        for (name, bytes, expected) in inputs {
            let result = run(cli, ["append", "--batch", "-"], standardInput: bytes)
            #expect(result.exitCode == 65, "\(name): exit \(result.exitCode): \(result.stderr)")
            expectOneErrorLine(result, containing: expected, "batch on stdin, \(name)")
        }
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), "batch on stdin")
    }

    @Test func argumentsWithLineBreaksStillGiveOneLine() throws {
        let cli = try seededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        let expect = cli.run([
            "append", "--type", "x-note", "--sha", sha, "--data", "{}", "--expect", "soon\nrelease-ledger: ok",
        ])
        #expect(expect.exitCode == 64)
        expectOneErrorLine(
            expect, containing: "--expect must be any, none, exists or a version number", "--expect with a newline")
        let missing = cli.run(["append", "--type", "x-note", "--sha", sha, "--data", "@no\nsuch.json"])
        #expect(missing.exitCode == 74)
        expectOneErrorLine(
            missing, containing: "data: cannot read the file no\\nsuch.json", "--data @ a missing file with a newline")
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), "arguments")
    }

    // MARK: Storage

    /// The files of a folder with their bytes: "nothing changed" for things that are not ledgers.
    func contents(of folder: String) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            found[name] = FileManager.default.contents(atPath: folder + "/" + name).map { Array($0) } ?? []
        }
        return found
    }

    /// Append, events and verify against `path`: each refused with exit 74 and one line naming the file.
    func expectStorageRefusal(
        _ cli: CLIHarness, db path: String, rule: String, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let commands: [[String]] = [
            ["append", "--db", path, "--type", "x-note", "--sha", sha, "--data", #"{"text":"hello"}"#],
            ["append", "--db", path, "--type", "acceptance.recorded", "--sha", sha, "--data", #"{"verdict":"YES"}"#],
            [
                "freeze", "--db", path, "--sha", Fixtures.sha(2), "--api-image", Fixtures.digest("api", 2),
                "--web-image", Fixtures.digest("web", 2), "--scope", "runtime",
            ],
            ["events", "--db", path],
            ["verify", "--db", path],
        ]
        for arguments in commands {
            let result = cli.run(arguments)
            #expect(
                result.exitCode == 74, "\(what), \(arguments[0]): exit \(result.exitCode): \(result.stderr)",
                sourceLocation: sourceLocation)
            expectOneErrorLine(
                result, containing: cli.folder + "/" + path, "\(what), \(arguments[0])", sourceLocation: sourceLocation)
            #expect(
                result.stderr.contains(rule), "\(what), \(arguments[0]): \(result.stderr)",
                sourceLocation: sourceLocation)
            #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func dbIsADirectory() throws {
        let cli = try seededLedger()
        let before = try LedgerSnapshot(ledgerAt: cli.defaultLedger)
        try FileManager.default.createDirectory(
            atPath: cli.folder + "/ledger-folder", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: cli.folder + "/ledger-folder/inside.txt"))
        let folderBefore = try contents(of: cli.folder + "/ledger-folder")
        expectStorageRefusal(cli, db: "ledger-folder", rule: "is a directory, not a ledger file", "a directory")
        #expect(try contents(of: cli.folder + "/ledger-folder") == folderBefore)
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: cli.defaultLedger), "the default ledger")
    }

    @Test func dbIsATextFile() throws {
        let cli = try seededLedger()
        try FileManager.default.createDirectory(atPath: cli.folder + "/notes", withIntermediateDirectories: true)
        try Data("release notes for 1.2.3\nnothing to see here, this is not a database\n".utf8)
            .write(to: URL(fileURLWithPath: cli.folder + "/notes/release-notes.txt"))
        let before = try contents(of: cli.folder + "/notes")
        expectStorageRefusal(cli, db: "notes/release-notes.txt", rule: "is not a SQLite database", "a text file")
        #expect(try contents(of: cli.folder + "/notes") == before, "the text file changed, or files appeared beside it")
    }

    @Test func dbOfAnotherProgram() throws {
        let cli = try seededLedger()
        try FileManager.default.createDirectory(atPath: cli.folder + "/other", withIntermediateDirectories: true)
        let other = cli.folder + "/other/app.db"
        try SQLiteShell.run(other, "create table t(x); insert into t values ('theirs');")
        let before = try contents(of: cli.folder + "/other")
        #expect(before.keys.sorted() == ["app.db"])
        expectStorageRefusal(
            cli, db: "other/app.db", rule: "is a SQLite database of another program, not a release ledger",
            "another program's database")
        // Not even the journal mode of their database may change.
        #expect(try contents(of: cli.folder + "/other") == before, "the other program's database changed")
        #expect(try SQLiteShell.run(other, "select x from t; pragma journal_mode;") == "theirs\ndelete\n")
    }

    @Test func readOnlyLedger() throws {
        let cli = try seededLedger()
        let folder = cli.folder + "/read-only"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/ledger.sqlite"
        try FileManager.default.copyItem(atPath: cli.defaultLedger, toPath: path)
        let before = try LedgerSnapshot(ledgerAt: path)
        let filesBefore = try contents(of: folder)
        #expect(chmod(path, 0o444) == 0)
        #expect(chmod(folder, 0o555) == 0)
        defer {
            chmod(folder, 0o755)
            chmod(path, 0o644)
        }
        let arguments = ["append", "--db", path, "--type", "x-note", "--sha", sha, "--data", #"{"text":"hello"}"#]
        let result: CommandResult
        if getuid() != 0 {
            result = cli.run(arguments)
        } else {
            // Root ignores file permissions, so in process the append would simply succeed. Run the
            // built binary as an unprivileged user instead (util-linux's setpriv), where the
            // permissions apply as they would to any CI runner.
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                // No way to drop root here: the read-only assertion cannot be made honestly, so it is skipped.
                return
            }
            let binary = try #require(Self.builtBinary(), "the release-ledger executable is not beside the test bundle")
            result = try Self.runProcess(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments,
                in: cli.folder)
        }
        #expect(result.exitCode == 74, "exit \(result.exitCode): \(result.stderr)")
        expectOneErrorLine(result, containing: path, "a read-only ledger")
        #expect(result.stderr.contains("is read-only"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        chmod(folder, 0o755)
        #expect(try contents(of: folder) == filesBefore, "files changed or appeared beside the read-only ledger")
        before.expectUnchanged(try LedgerSnapshot(ledgerAt: path), "a read-only ledger")
    }

    @Test func truncatedLedger() throws {
        let cli = try seededLedger()
        for n in 1...40 {
            try #require(
                cli.run([
                    "append", "--type", "x-note", "--sha", sha, "--data",
                    #"{"n":\#(n),"text":"padding the ledger over several pages"}"#,
                ]).exitCode == 0)
        }
        let original = try #require(FileManager.default.contents(atPath: cli.defaultLedger))
        #expect(original.count > 16_384, "the ledger is only \(original.count) bytes")
        for cut in [100, 4_096 + 37, original.count / 2 + 123, original.count - 1_000] {
            let name = "cut-\(cut).sqlite"
            let path = cli.folder + "/" + name
            try original.prefix(cut).write(to: URL(fileURLWithPath: path))
            for command in ["events", "verify"] {
                let result = cli.run([command, "--db", name])
                #expect(
                    [74, 4].contains(result.exitCode),
                    "\(command) on \(name): exit \(result.exitCode): \(result.stderr)")
                expectOneErrorLine(result, containing: path, "\(command) on \(name)")
            }
        }
    }

    // MARK: Metacharacters in free text are data, never code

    static let metacharacters =
        "x'; DROP TABLE events; -- $(rm -rf /) `id` | sh && echo pwned\n; \" OR 1=1 \\ %s {{7*7}}"
    /// Envelope fields are one printable line: the same text without the line break.
    static let oneLineMetacharacters = "x'; DROP TABLE events; -- $(rm -rf /) `id` | sh && echo pwned; \" OR 1=1"

    @Test func metacharactersInFreeTextFieldsAreStoredVerbatim() throws {
        let cli = try seededLedger()
        let meta = Self.metacharacters
        let metaString = JSONValue.string(meta)
        func append(_ type: String, _ data: JSONValue, extra: [String] = []) throws {
            let result = cli.run(
                ["append", "--type", type, "--sha", sha, "--data", CanonicalJSON.encode(data)] + extra)
            try #require(result.exitCode == 0, "\(type): \(result.stderr)")
        }
        // Rule 12: the deployment record and smoke tests come after the run's deploys.
        let deploys: [(String, JSONValue)] = [
            (
                "readiness.recorded",
                [
                    "check": "entra-canary", "status": "pass", "lastGreenAt": "2026-01-01T00:00:00Z",
                    "sloHours": 1_000_000,
                ]
            ),
            (
                "readiness.recorded",
                ["check": "delegated-probe", "status": "pass", "targetApiBaseUrl": "https://api.example.com"]
            ),
            (
                "migration.recorded",
                ["step": "image-updated", "image": .string(Fixtures.digest("api", 1)), "outcome": "succeeded"]
            ),
            (
                "migration.recorded",
                ["step": "ran", "image": .string(Fixtures.digest("api", 1)), "outcome": "succeeded"]
            ),
            ("deploy.recorded", ["app": "api", "image": .string(Fixtures.digest("api", 1)), "outcome": "succeeded"]),
            ("deploy.recorded", ["app": "web", "image": .string(Fixtures.digest("web", 1)), "outcome": "succeeded"]),
        ]
        for (type, data) in deploys { try append(type, data) }
        var identity = IdentityPreflight.payload(apiIdentifierURI: "api://compass " + meta, entraAudience: nil)
        identity = .object(
            {
                var o = identity.objectValue!
                o["reason"] = metaString
                return o
            }())
        let fallback = IdentityPreflight.payload(apiIdentifierURI: nil, entraAudience: meta)
        let payloads: [(String, JSONValue)] = [
            ("identity.preflight.recorded", identity),
            ("identity.preflight.recorded", fallback),
            ("approval.recorded", ["gate": "control-plane", "decision": "approved", "approver": metaString]),
            (
                "deployment.recorded",
                ["deploymentId": metaString, "environment": metaString, "environmentUrl": "https://app.example.com"]
            ),
            (
                "smoke.recorded",
                [
                    "suite": "api", "outcome": "failed",
                    "evidence": [["name": metaString, "url": "https://ci.example/1"]],
                ]
            ),
            ("verdict.recorded", ["decision": "NO", "reason": metaString]),
            ("replay.requested", ["mode": "replay", "reason": metaString, "requestedBy": metaString]),
            ("x-note", .object(JSONObject([(meta, metaString)]))),
        ]
        let line = Self.oneLineMetacharacters
        for (type, data) in payloads { try append(type, data) }
        try append(
            "x-note", ["text": metaString],
            extra: [
                "--id", line, "--stream", line, "--actor", line, "--source", line, "--correlation-id", line,
                "--workflow", line,
            ])
        // The acceptance is on a second candidate: candidate 1 already has its verdict.
        let sha2 = Fixtures.sha(2)
        let freeze = cli.run([
            "freeze", "--sha", sha2, "--api-image", Fixtures.digest("api", 2), "--web-image", Fixtures.digest("web", 2),
            "--scope", "runtime",
        ])
        try #require(freeze.exitCode == 0, "\(freeze.stderr)")
        let acceptance: JSONValue = [
            "verdict": "NO", "reason": metaString, "evidence": [["name": metaString, "url": "https://ci.example/2"]],
        ]
        let accepted = cli.run([
            "append", "--type", "acceptance.recorded", "--sha", sha2, "--data", CanonicalJSON.encode(acceptance),
        ])
        try #require(accepted.exitCode == 0, "\(accepted.stderr)")

        // The tables are intact, the chain verifies, and every event is there.
        #expect(
            try SQLiteShell.run(
                cli.defaultLedger, "select name from sqlite_schema where type = 'table' and name = 'events';")
                == "events\n")
        #expect(cli.run("verify").exitCode == 0)
        let events = try cli.store().events(EventQuery())
        #expect(events.count == 2 + deploys.count + payloads.count + 1 + 2)
        #expect(try SQLiteShell.run(cli.defaultLedger, "select count(*) from events;") == "\(events.count)\n")

        // Each text comes back byte for byte.
        func expectVerbatim(
            _ value: JSONValue?, _ expected: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
        ) {
            let bytes = value?.stringValue.map { Array($0.utf8) }
            #expect(
                bytes == Array(expected.utf8), "\(what): \(String(describing: value))", sourceLocation: sourceLocation)
        }
        let stored = try Array(
            events.suffix(events.count - 2 - deploys.count).map { (event) throws(LedgerError) in try event.payload() })
        expectVerbatim(stored[0]["apiIdentifierUri"], "api://compass " + meta, "identity.apiIdentifierUri")
        expectVerbatim(stored[0]["resolved"], "api://compass " + meta, "identity.resolved")
        expectVerbatim(stored[0]["reason"], meta, "identity.reason")
        expectVerbatim(stored[1]["entraAudience"], meta, "identity.entraAudience")
        expectVerbatim(stored[1]["resolved"], meta, "identity.resolved (fallback)")
        expectVerbatim(stored[2]["approver"], meta, "approval.approver")
        expectVerbatim(stored[3]["deploymentId"], meta, "deployment.deploymentId")
        expectVerbatim(stored[3]["environment"], meta, "deployment.environment")
        expectVerbatim(stored[4]["evidence"]?.arrayValue?.first?["name"], meta, "smoke.evidence[0].name")
        expectVerbatim(stored[5]["reason"], meta, "verdict.reason")
        expectVerbatim(stored[6]["reason"], meta, "replay.reason")
        expectVerbatim(stored[6]["requestedBy"], meta, "replay.requestedBy")
        expectVerbatim(stored[7][meta], meta, "x-note key and value")
        expectVerbatim(stored[8]["text"], meta, "x-note text")
        expectVerbatim(stored[10]["reason"], meta, "acceptance.reason")
        expectVerbatim(stored[10]["evidence"]?.arrayValue?.first?["name"], meta, "acceptance.evidence[0].name")
        let note = events[10 + deploys.count]
        #expect(Array(note.id.utf8) == Array(line.utf8))
        #expect(Array(note.stream.utf8) == Array(line.utf8))
        for field in [\EventMetadata.actor, \.source, \.correlationId, \.workflow] {
            #expect((try note.metadataValue())[keyPath: field].map { Array($0.utf8) } == Array(line.utf8))
        }
        // And through the command line's own output.
        let printed = try JSONParser.parse(cli.run(["events", "--type", "verdict.recorded"]).lines[0])
        expectVerbatim(printed["data"]?["reason"], meta, "events output")
    }

    // MARK: Helpers

    /// The `release-ledger` executable beside the test bundle.
    static func builtBinary() -> String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("release-ledger").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    static func runProcess(_ executable: String, _ arguments: [String], in folder: String) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RELEASE_LEDGER_")
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
