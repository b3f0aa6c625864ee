import EventStoreConformance
import Foundation
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Synchronization

/// What one command printed and returned.
struct CommandResult {
    let exitCode: Int32
    let stdout: String
    let stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs release-ledger commands in process, in a folder of its own, with a fixed clock.
final class CLIHarness: Sendable {
    let folder: String
    let clock: FixedClock
    let ids = Fixtures.CountingIDs()
    let environment: [String: String]

    init(environment: [String: String] = [:], start: Timestamp = Fixtures.start) {
        folder = FileManager.default.temporaryDirectory.path + "/release-ledger-cli-" + RandomUUIDGenerator().next()
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        clock = FixedClock(start)
        self.environment = environment
    }

    var defaultLedger: String { folder + "/.release-ledger/ledger.sqlite" }

    @discardableResult
    func run(_ arguments: [String], stdin: String = "", environment extra: [String: String] = [:]) -> CommandResult {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        let input = Array(stdin.utf8)
        let context = CommandContext(
            environment: environment.merging(extra) { $1 }, currentDirectory: folder, clock: clock, ids: ids,
            console: console, readStandardInput: { input })
        let code = ReleaseLedger.main(arguments: arguments, context: context)
        return CommandResult(exitCode: code, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    func run(_ line: String, stdin: String = "", environment extra: [String: String] = [:]) -> CommandResult {
        run(line.split(separator: " ").map(String.init), stdin: stdin, environment: extra)
    }

    func store() throws -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.readOnly = true
        return try SQLiteEventStore(path: defaultLedger, engine: Fixtures.engine(), options: options)
    }

    /// Freeze, accept and make ready candidate `n` (runtime scope, migration required).
    func prepare(_ n: Int, scopes: [String] = ["runtime"], migration: Bool = true) {
        let sha = Fixtures.sha(n)
        var freeze = [
            "freeze", "--sha", sha, "--api-image", Fixtures.digest("api", n), "--web-image", Fixtures.digest("web", n),
        ]
        for scope in scopes { freeze += ["--scope", scope] }
        if migration { freeze.append("--migration-required") }
        expectSuccess(run(freeze))
        expectSuccess(run(["accept", "--sha", sha, "--verdict", "YES"]))
        expectSuccess(
            run([
                "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at",
                Fixtures.start.description, "--slo-hours", "24",
            ]))
        expectSuccess(
            run([
                "readiness", "--sha", sha, "--check", "delegated-probe", "--status", "pass", "--target-api-base-url",
                "https://api.example.com",
            ]))
    }

    /// The mutations of a runtime run of candidate `n`: the migration, then both deploys.
    func deploy(_ n: Int, migration: Bool = true) {
        let sha = Fixtures.sha(n)
        let api = Fixtures.digest("api", n)
        expectSuccess(
            run(["migrate", "--sha", sha, "--step", "image-updated", "--image", api, "--outcome", "succeeded"]))
        if migration {
            expectSuccess(run(["migrate", "--sha", sha, "--step", "ran", "--image", api, "--outcome", "succeeded"]))
        }
        expectSuccess(run(["deploy", "--sha", sha, "--app", "api", "--image", api, "--outcome", "succeeded"]))
        expectSuccess(
            run([
                "deploy", "--sha", sha, "--app", "web", "--image", Fixtures.digest("web", n), "--outcome", "succeeded",
            ]))
    }

    /// The production steps of a runtime promotion of candidate `n`, then the computed verdict.
    func promote(_ n: Int, migration: Bool = true, browser: String = "passed") {
        let sha = Fixtures.sha(n)
        deploy(n, migration: migration)
        expectSuccess(run(["smoke", "--sha", sha, "--suite", "api", "--outcome", "passed"]))
        expectSuccess(run(["smoke", "--sha", sha, "--suite", "browser", "--outcome", browser]))
        expectSuccess(run(["record-deployment", "--sha", sha, "--deployment-id", "\(9000 + n)"]))
        expectSuccess(run(["verdict", "--sha", sha]))
    }

    func expectSuccess(_ result: CommandResult) {
        if result.exitCode != 0 { failures.withLock { $0.append("exit \(result.exitCode): \(result.stderr)") } }
    }

    let failures = Mutex<[String]>([])
    var setupFailures: [String] { failures.withLock { $0 } }
}

/// The built executable, for end-to-end tests that run it as a CI step would.
enum BuiltBinary {
    static var path: String { path(of: "release-ledger") }

    static func path(of product: String) -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // The test bundle may sit inside a .xctest folder; the product sits beside it.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(product).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/\(product)").path
    }

    /// Runs the binary and waits for it.
    static func run(
        _ arguments: [String], in folder: String, environment: [String: String] = [:], stdin: String? = nil,
        product: String = "release-ledger"
    ) throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("GITHUB_") && $0.key != "RELEASE_LEDGER_DB"
        }
        env.merge(environment) { $1 }
        return try ExternalProgram.run(path(of: product), arguments, in: folder, environment: env, stdin: stdin)
    }
}

/// Any other program a test runs (python3, chromium, the built binaries) and waits for.
enum ExternalProgram {
    /// Where the program's standard error goes.
    enum StandardError {
        /// Into `CommandResult.stderr`.
        case separate
        /// Into `CommandResult.stdout`, interleaved as printed.
        case merged
        case discarded
    }

    /// Runs `executable` with `arguments` (in `folder`, with `environment`, when given); its
    /// standard input is `stdin`, or empty.
    static func run(
        _ executable: String, _ arguments: [String], in folder: String? = nil, environment: [String: String]? = nil,
        stdin: String? = nil, standardError: StandardError = .separate
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        switch standardError {
        case .separate: process.standardError = err
        case .merged: process.standardError = out
        case .discarded: process.standardError = FileHandle.nullDevice
        }
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = standardError == .separate ? err.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return CommandResult(
            exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
