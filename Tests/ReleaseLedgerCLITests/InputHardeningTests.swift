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

/// Input that used to slip past the parser's rules or crash the process (issue 12, items 5-10 and
/// the small ones): each is refused with one line and a documented exit code, and writes nothing.
@Suite struct InputHardeningTests {
    let sha = Fixtures.sha(1)

    /// A ledger with candidate 1 frozen, accepted and ready, and candidate 2 frozen; its head, to show nothing was written.
    func seeded() throws -> (CLIHarness, ChainHead) {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.expectSuccess(
            cli.run([
                "freeze", "--sha", Fixtures.sha(2), "--api-image", Fixtures.digest("api", 2), "--web-image",
                Fixtures.digest("web", 2), "--scope", "runtime",
            ]))
        try #require(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        return (cli, try cli.store().head())
    }

    func expectOneLine(
        _ result: CommandResult, exit: Int32, containing expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.exitCode == exit, "exit \(result.exitCode): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.hasPrefix("release-ledger: error: "), "\(result.stderr.debugDescription)",
            sourceLocation: sourceLocation)
        #expect(
            result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr.debugDescription)",
            sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains(expected), "\(result.stderr.debugDescription) lacks \(expected.debugDescription)",
            sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "printed \(result.stdout.debugDescription)", sourceLocation: sourceLocation)
    }

    // MARK: Item 5: standard input is read only up to its limit

    /// Runs `release-ledger ARGS` with `total` bytes of `a` lines piped in and reports how many it read.
    func consumedFromPipe(_ arguments: String, total: Int, in folder: String) throws -> (
        result: CommandResult, consumed: Int
    ) {
        // What the command leaves in the pipe is counted by `wc` after it exits.
        let script =
            "yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 2>/dev/null | head -c \(total) 2>/dev/null"
            + " | { \"$0\" \(arguments); echo \"exit=$?\" >&2; wc -c; }"
        let result = try BadInputCorpusTests.runProcess("/bin/sh", ["-c", script, BuiltBinary.path], in: folder)
        let left = try #require(
            Int(result.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) ?? ""),
            "\(result.stdout)")
        // `yes` and `head` may complain on stderr when this process ignores SIGPIPE (the child
        // inherits that), so they are silenced and the exit line is found by its prefix.
        let lines = result.stderr.split(separator: "\n")
        let code = try #require(
            lines.last { $0.hasPrefix("exit=") }.flatMap { Int32($0.dropFirst("exit=".count)) }, "\(result.stderr)")
        let stderr = lines.filter { !$0.hasPrefix("exit=") }.map { $0 + "\n" }.joined()
        return (CommandResult(exitCode: code, stdout: "", stderr: stderr), total - left)
    }

    @Test func dataOnStandardInputIsReadOnlyUpToTheLimitPlusOneByte() throws {
        let (cli, head) = try seeded()
        let limit = InputLimits.standard.maxDocumentBytes
        let (result, consumed) = try consumedFromPipe(
            "append --type x-note --sha \(sha) --data -", total: 24 << 20, in: cli.folder)
        expectOneLine(result, exit: 65, containing: "data: is over the limit of \(limit) bytes")
        #expect(consumed == limit + 1, "read \(consumed) bytes of standard input")
        #expect(try cli.store().head() == head)
    }

    @Test func aBatchOnStandardInputIsReadOnlyUpToTheLimitPlusOneByte() throws {
        let (cli, head) = try seeded()
        let limit = InputLimits.standard.maxBatchBytes
        let (result, consumed) = try consumedFromPipe("append --batch -", total: 24 << 20, in: cli.folder)
        expectOneLine(result, exit: 65, containing: "batch: is over the limit of \(limit) bytes")
        #expect(consumed == limit + 1, "read \(consumed) bytes of standard input")
        #expect(try cli.store().head() == head)
    }

    @Test func aBatchFileOverTheLimitIsRefused() throws {
        let (cli, head) = try seeded()
        let line =
            #"{"type":"x-note","sha":"\#(sha)","data":{"text":"\#(String(repeating: "x", count: 60_000))"}}"# + "\n"
        try Data(String(repeating: line, count: 300).utf8).write(to: URL(fileURLWithPath: cli.folder + "/big.jsonl"))
        expectOneLine(
            cli.run(["append", "--batch", "big.jsonl"]), exit: 65,
            containing: "batch: is \(300 * line.utf8.count) bytes, over the limit of 16777216")
        #expect(try cli.store().head() == head)
    }

    // MARK: Item 6: numbers out of range are errors, never traps

    static let outOfRange: [(String, [String], [String: String], String)] = [
        (
            "busy timeout past the nanosecond overflow", ["events", "--busy-timeout", "20000000000000"], [:],
            "--busy-timeout must be at most 86400000"
        ),
        ("negative busy timeout", ["events", "--busy-timeout", "-1"], [:], "--busy-timeout must be 0 or more"),
        (
            "busy timeout from the environment", ["events"], ["RELEASE_LEDGER_BUSY_TIMEOUT_MS": "99999999999999999"],
            "RELEASE_LEDGER_BUSY_TIMEOUT_MS must be at most 86400000"
        ),
        (
            "busy timeout from the environment beyond Int", ["events"], ["RELEASE_LEDGER_BUSY_TIMEOUT_MS": "1e400"],
            "RELEASE_LEDGER_BUSY_TIMEOUT_MS must be a whole number"
        ),
        ("slo hours inf", ["--slo-hours", "inf"], [:], "--slo-hours must be a number of hours greater than 0"),
        ("slo hours 1e19", ["--slo-hours", "1e19"], [:], "--slo-hours must be"),
        ("slo hours 1e400", ["--slo-hours", "1e400"], [:], "--slo-hours must be"),
        ("slo hours nan", ["--slo-hours", "nan"], [:], "--slo-hours must be"),
        ("slo hours negative", ["--slo-hours", "-1"], [:], "--slo-hours must be"),
        ("slo hours zero", ["--slo-hours", "0"], [:], "--slo-hours must be"),
        ("events limit negative", ["events", "--limit", "-1"], [:], "--limit must be 0 or more"),
        ("events after negative", ["events", "--after", "-5"], [:], "--after must be 0 or more"),
        ("history limit negative", ["history", "--limit", "-1"], [:], "--limit must be 0 or more"),
        ("at position negative", ["at", "--position", "-1"], [:], "--position must be 0 or more"),
        ("status recent negative", ["status", "--recent", "-3"], [:], "--recent must be 0 or more"),
        (
            "materialize run zero", ["materialize", "--sha", Fixtures.sha(1), "--run", "0"], [:],
            "--run must be 1 or more"
        ),
        (
            "materialize run minimum", ["materialize", "--sha", Fixtures.sha(1), "--run", "-9223372036854775808"], [:],
            "--run must be 1 or more"
        ),
    ]

    @Test(arguments: outOfRange.indices)
    func numericOptionsOutOfRangeAreUsageErrorsNotTraps(_ index: Int) throws {
        let (name, arguments, environment, expected) = Self.outOfRange[index]
        let (cli, head) = try seeded()
        let full =
            arguments.first == "--slo-hours"
            ? [
                "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at",
                Fixtures.start.description,
            ] + arguments
            : arguments
        // The real binary: a trap is a signal there, not a crashed test runner.
        let result = try BuiltBinary.run(full, in: cli.folder, environment: environment)
        #expect(result.exitCode == 64, "\(name): exit \(result.exitCode): \(result.stderr.prefix(300))")
        expectOneLine(result, exit: 64, containing: expected)
        #expect(try cli.store().head() == head, "\(name)")
    }

    @Test func theLargestBusyTimeoutStillWorks() throws {
        let (cli, _) = try seeded()
        let result = try BuiltBinary.run(["events", "--busy-timeout", "86400000", "--limit", "1"], in: cli.folder)
        #expect(result.exitCode == 0, "\(result.stderr)")
    }

    // MARK: Item 7: text from flags gets the rules text from --data gets

    @Test func flagTextIsHeldToThePayloadRulesAndTheErrorNamesTheFlag() throws {
        let (cli, head) = try seeded()
        let long = String(repeating: "r", count: 65_537)
        let cases: [([String], String)] = [
            (
                ["accept", "--sha", Fixtures.sha(2), "--verdict", "NO", "--reason", "bell\u{07}here"],
                "--reason: contains control character U+0007"
            ),
            (
                ["accept", "--sha", Fixtures.sha(2), "--verdict", "NO", "--reason", long],
                "--reason: has a string longer than the limit of 65536 bytes"
            ),
            (
                [
                    "accept", "--sha", Fixtures.sha(2), "--verdict", "NO", "--evidence",
                    "log\u{1B}[2J=https://ci.example/1",
                ],
                "--evidence: contains control character U+001B"
            ),
            (
                ["record-deployment", "--sha", sha, "--deployment-id", "99999999999999999"],
                "--deployment-id: is an integer outside the exact range of I-JSON"
            ),
            (
                ["record-deployment", "--sha", sha, "--deployment-id", "9007199254740993"],
                "--deployment-id: is an integer outside"
            ),
            (
                ["verdict", "--sha", sha, "--decision", "NO", "--reason", "nul\u{01}"],
                "--reason: contains control character U+0001"
            ),
            (
                ["approve", "--sha", sha, "--decision", "approved", "--approver", "eve\u{08}\u{08}\u{08}bob"],
                "--approver: contains control character U+0008"
            ),
            (
                ["replay", "--sha", sha, "--reason", String(repeating: "x", count: 70_000)],
                "--reason: has a string longer than the limit"
            ),
            // The same rule through --data names the payload path, as before.
            (
                ["append", "--type", "x-note", "--sha", sha, "--data", #"{"t":"a\u0007"}"#],
                "data.t: contains control character U+0007"
            ),
        ]
        for (arguments, expected) in cases {
            expectOneLine(cli.run(arguments), exit: 65, containing: expected)
        }
        #expect(try cli.store().head() == head)
    }

    @Test func flagTextWithinTheRulesIsStoredVerbatim() throws {
        let (cli, _) = try seeded()
        let reason = "line one\nline two\twith a tab, and 64 KiB is fine: " + String(repeating: "y", count: 60_000)
        #expect(cli.run(["accept", "--sha", Fixtures.sha(2), "--verdict", "NO", "--reason", reason]).exitCode == 0)
        let stored = try cli.store().events(EventQuery(sha: Fixtures.sha(2))).last
        #expect(try stored?.payload()["reason"]?.stringValue == reason)
        // Rule 12: the deployment record follows the run's deploys.
        cli.deploy(1)
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        #expect(cli.run(["record-deployment", "--sha", sha, "--deployment-id", "9007199254740991"]).exitCode == 0)
        let deployment = try cli.store().events(EventQuery(sha: sha, type: "deployment.recorded")).last
        #expect(try deployment?.payload()["deploymentId"] == .number(.integer(9_007_199_254_740_991)))
    }

    @Test func aReasonStartingWithADashIsAValueNotAMissingOne() throws {
        let (cli, _) = try seeded()
        let result = cli.run(["accept", "--sha", Fixtures.sha(2), "--verdict", "NO", "--reason", "-1 test failed"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            try cli.store().events(EventQuery(sha: Fixtures.sha(2))).last?.payload()["reason"]?.stringValue
                == "-1 test failed")
    }

    // MARK: Item 8: invalid UTF-8 in arguments

    /// Runs one command line of raw bytes in process.
    func run(_ cli: CLIHarness, raw arguments: [[UInt8]]) -> CommandResult {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        let context = CommandContext(
            environment: [:], currentDirectory: cli.folder, clock: cli.clock, ids: cli.ids, console: console)
        let code = ReleaseLedger.main(rawArguments: arguments, context: context)
        return CommandResult(exitCode: code, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    @Test func invalidUTF8InAnArgumentIsRefusedNamingTheOption() throws {
        let (cli, head) = try seeded()
        let bad: [UInt8] = [0x63, 0x61, 0x66, 0xE9]  // "caf\xE9": Latin-1, not UTF-8
        let note = ["append", "--type", "x-note", "--sha", sha].map { Array($0.utf8) }
        let cases: [([[UInt8]], String)] = [
            (
                note + [Array("--data".utf8), Array(#"{"t":""#.utf8) + bad + Array(#""}"#.utf8)],
                "--data: is not valid UTF-8"
            ),
            (note + [Array(#"--data={"t":""#.utf8) + bad + Array(#""}"#.utf8)], "--data: is not valid UTF-8"),
            (
                note + [Array("--data".utf8), Array("{}".utf8), Array("--actor".utf8), bad],
                "--actor: is not valid UTF-8"
            ),
            (
                ["append", "--type"].map { Array($0.utf8) } + [Array("x-".utf8) + bad]
                    + ["--sha", sha, "--data", "{}"].map { Array($0.utf8) },
                "--type: is not valid UTF-8"
            ),
            ([Array("events".utf8), bad], "argument 2: is not valid UTF-8"),
        ]
        for (arguments, expected) in cases {
            let result = run(cli, raw: arguments)
            expectOneLine(result, exit: 65, containing: expected)
            #expect(!result.stderr.contains("caf"), "echoes the value: \(result.stderr)")
        }
        #expect(try cli.store().head() == head)
    }

    @Test func theBinaryRefusesInvalidUTF8ArgumentsFromTheShell() throws {
        let (cli, head) = try seeded()
        // printf's octal escape puts the raw byte 0xFF in the argument, as a Latin-1 terminal would.
        let script = #""$0" append --type x-note --sha "$1" --data "$(printf '{"t":"\377"}')""#
        let result = try BadInputCorpusTests.runProcess(
            "/bin/sh", ["-c", script, BuiltBinary.path, sha], in: cli.folder)
        expectOneLine(result, exit: 65, containing: "--data: is not valid UTF-8")
        #expect(try cli.store().head() == head)
    }

    // MARK: Item 10: the same id with different content is a conflict

    @Test func aNoteRetriedWithoutAKeyItWasGivenIsAConflictAndTheReverseToo() throws {
        let (cli, _) = try seeded()
        func note(_ data: String, id: String) -> CommandResult {
            cli.run(["append", "--type", "x-note", "--sha", sha, "--data", data, "--id", id])
        }
        #expect(note(#"{"text":"a","reason":"r"}"#, id: "n1").exitCode == 0)
        let dropped = note(#"{"text":"a"}"#, id: "n1")
        #expect(dropped.exitCode == 3, "\(dropped.stderr)")
        #expect(dropped.stderr.contains("with different content"))
        #expect(note(#"{"text":"a"}"#, id: "n2").exitCode == 0)
        let added = note(#"{"text":"a","reason":"r"}"#, id: "n2")
        #expect(added.exitCode == 3, "\(added.stderr)")
        for key in ["gates", "replaces"] {
            #expect(note(#"{"text":"b","\#(key)":"x"}"#, id: "k-\(key)").exitCode == 0)
            #expect(note(#"{"text":"b"}"#, id: "k-\(key)").exitCode == 3, "a note's \(key) left out")
        }
        // The exact retry is still a retry.
        #expect(note(#"{"text":"a","reason":"r"}"#, id: "n1").exitCode == 0)
        #expect(try cli.store().events(EventQuery()).filter { $0.id == "n1" }.count == 1)
    }

    /// Candidate 1 taken through a promotion up to, not including, its verdict.
    func readyForVerdict() throws -> CLIHarness {
        let (cli, _) = try seeded()
        let api = Fixtures.digest("api", 1)
        for arguments in [
            ["migrate", "--sha", sha, "--step", "image-updated", "--image", api, "--outcome", "succeeded"],
            ["migrate", "--sha", sha, "--step", "ran", "--image", api, "--outcome", "succeeded"],
            ["deploy", "--sha", sha, "--app", "api", "--image", api, "--outcome", "succeeded"],
        ] {
            let result = cli.run(arguments)
            try #require(result.exitCode == 0, "\(arguments): \(result.stderr)")
        }
        return cli
    }

    @Test func aVerdictRetriedWithoutTheGatesAndReasonTheLedgerWroteIsStillARetry() throws {
        let cli = try readyForVerdict()
        let first = cli.run(["verdict", "--sha", sha, "--decision", "NO", "--id", "v1"])
        try #require(first.exitCode == 0, "\(first.stderr)")
        let stored = try #require(try cli.store().events(EventQuery(type: "verdict.recorded")).last)
        let completed = try stored.payload()
        #expect(completed["gates"] != nil && completed["reason"] != nil, "the ledger completes both")
        let retry = cli.run(["verdict", "--sha", sha, "--decision", "NO", "--id", "v1"])
        #expect(retry.exitCode == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("already recorded"))
        // Naming the reason the ledger wrote is the same content too.
        let reason = try #require((try stored.payload())["reason"]?.stringValue)
        #expect(cli.run(["verdict", "--sha", sha, "--decision", "NO", "--id", "v1", "--reason", reason]).exitCode == 0)
        // Another reason is not.
        #expect(
            cli.run(["verdict", "--sha", sha, "--decision", "NO", "--id", "v1", "--reason", "other"]).exitCode == 3)
    }

    @Test func aVerdictWithItsOwnReasonRetriedWithoutItIsAConflict() throws {
        let cli = try readyForVerdict()
        let first = cli.run(["verdict", "--sha", sha, "--decision", "NO", "--reason", "manual stop", "--id", "v1"])
        try #require(first.exitCode == 0, "\(first.stderr)")
        let head = try cli.store().head()
        let retry = cli.run(["verdict", "--sha", sha, "--decision", "NO", "--id", "v1"])
        #expect(retry.exitCode == 3, "\(retry.stderr)")
        #expect(try cli.store().head() == head)
        #expect(
            cli.run(["verdict", "--sha", sha, "--decision", "NO", "--reason", "manual stop", "--id", "v1"]).exitCode
                == 0)
    }

    @Test func aReplayRetriedWithoutTheReplacesTheLedgerWroteIsStillARetry() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2)
        try #require(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let first = cli.run(["replay", "--sha", Fixtures.sha(1), "--reason", "again", "--id", "r1"])
        try #require(first.exitCode == 0, "\(first.stderr)")
        let stored = try #require(try cli.store().events(EventQuery(type: "replay.requested")).last)
        #expect((try stored.payload())["replaces"]?.stringValue == Fixtures.sha(2))
        let retry = cli.run(["replay", "--sha", Fixtures.sha(1), "--reason", "again", "--id", "r1"])
        #expect(retry.exitCode == 0, "\(retry.stderr)")
        #expect(try cli.store().events(EventQuery(type: "replay.requested")).count == 1)
        #expect(cli.run(["replay", "--sha", Fixtures.sha(1), "--reason", "other", "--id", "r1"]).exitCode == 3)
    }

    // MARK: Small ones

    @Test func anUpperCaseAnchorIsAUsageErrorNotTampering() throws {
        let (cli, _) = try seeded()
        let head = try cli.store().head()
        expectOneLine(
            cli.run(["verify", "--anchor", "\(head.position):\(head.hash.uppercased())"]), exit: 64,
            containing: "64 lowercase hex digits")
        #expect(cli.run(["verify", "--anchor", "\(head.position):\(head.hash)"]).exitCode == 0)
    }

    @Test func aDeviceOrFIFOAsTheLedgerIsRefusedBeforeSQLiteCreatesAJournalBesideIt() throws {
        let (cli, _) = try seeded()
        let fifo = cli.folder + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        let journalBefore = FileManager.default.fileExists(atPath: "/dev/null-journal")
        for path in [fifo, "/dev/null"] {
            for arguments in [["append", "--type", "x-note", "--sha", sha, "--data", "{}"], ["init"], ["events"]] {
                let result = cli.run(arguments + ["--db", path])
                expectOneLine(result, exit: 74, containing: "\(path) is not a regular file")
            }
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: cli.folder).filter { $0.hasPrefix("pipe") } == ["pipe"])
        if !journalBefore { #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal")) }
    }

    @Test func initOnAReadOnlyLedgerExits74() throws {
        let (cli, _) = try seeded()
        let folder = cli.folder + "/read-only"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/ledger.sqlite"
        try FileManager.default.copyItem(atPath: cli.defaultLedger, toPath: path)
        #expect(chmod(path, 0o444) == 0)
        #expect(chmod(folder, 0o555) == 0)
        defer {
            chmod(folder, 0o755)
            chmod(path, 0o644)
        }
        let result: CommandResult
        if getuid() != 0 {
            result = cli.run(["init", "--db", path])
        } else {
            // Root ignores permissions: run the binary as nobody, as `readOnlyLedger` does.
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            result = try BadInputCorpusTests.runProcess(
                "/usr/bin/setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", BuiltBinary.path, "init", "--db", path],
                in: cli.folder)
        }
        expectOneLine(result, exit: 74, containing: "\(path) is read-only")
    }

    @Test func materializeOnAFullDiskSaysDiskFullInOneLine() throws {
        let (cli, _) = try seeded()
        let out = cli.folder + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // A private mount namespace with a 16 KiB tmpfs, filled before materialize runs.
        let script = """
            mount -t tmpfs -o size=16k tmpfs "$1" || exit 99
            dd if=/dev/zero of="$1/fill" bs=1k count=64 2>/dev/null
            exec "$0" materialize --sha "$2" --out out
            """
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return }
        let result = try BadInputCorpusTests.runProcess(
            "/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, BuiltBinary.path, out, sha], in: cli.folder)
        // Without the right to mount (an unprivileged CI runner) the disk cannot be filled honestly.
        if result.exitCode == 99 || result.stderr.contains("unshare failed") { return }
        expectOneLine(result, exit: 74, containing: "disk full")
        #expect(!result.stderr.contains("CocoaError"))
    }
}

/// Refused input leaves the ledger unchanged, and where there was no ledger it leaves none: a
/// first append is tried on an empty ledger in memory before the file is created.
@Suite struct NoLedgerFromRefusedInputTests {
    @Test(arguments: [
        // Invalid input (65), a release rule (2), a secret (65).
        ([String](["deploy", "--app", "api", "--image", "ghcr.io/a/api:latest", "--outcome", "succeeded"]), Int32(65)),
        (
            [String](["deploy", "--app", "api", "--image", Fixtures.digest("api", 1), "--outcome", "succeeded"]),
            Int32(2)
        ),
        ([String](["append", "--type", "x-note", "--data", #"{"password":"hunter2hunter2"}"#]), Int32(65)),
    ])
    func aRefusedFirstAppendCreatesNoLedgerFile(_ arguments: [String], _ exitCode: Int32) {
        let cli = CLIHarness()
        let result = cli.run(arguments + ["--sha", Fixtures.sha(1)])
        #expect(result.exitCode == exitCode, "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: cli.folder + "/.release-ledger"), "a refused append made a ledger")
        #expect(
            cli.run(["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", #"{"text":"ok"}"#]).exitCode == 0
        )
        #expect(FileManager.default.fileExists(atPath: cli.defaultLedger))
    }
}
