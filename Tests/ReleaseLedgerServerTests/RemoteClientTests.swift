import Foundation
import ReleaseLedgerCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `release-ledger` binary as a client of a real server process: same flags, same output,
/// same exit codes as against the local file.
@Suite struct RemoteClientTests {
    struct Run {
        var code: Int32
        var out: String
        var err: String
    }

    /// Runs the built `release-ledger` with a GitHub Actions-like environment (so ids derive from
    /// the step, the same locally and remotely).
    static func cli(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltBinary.path(of: "release-ledger"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RELEASE_LEDGER_")
        }
        env.merge(["GITHUB_RUN_ID": "1001", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_ACTOR": "release-bot"]) { $1 }
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            code: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }

    static let sha = String(ChainHasher.hash("remote-a").prefix(40))
    static func digest(_ app: String) -> String { "ghcr.io/acme/\(app)@sha256:" + ChainHasher.hash("\(app)-remote") }

    /// The canary was green an hour ago (the server records with the real clock).
    static let greenAt = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000)
        .description

    /// A clean promotion with a refused step in the middle, as the demo runs it.
    static let pipeline: [(job: String, arguments: [String], code: Int32)] = [
        (
            "freeze",
            [
                "freeze", "--sha", sha, "--api-image", digest("api"), "--web-image", digest("web"), "--scope",
                "runtime", "--migration-required",
            ], 0
        ),
        (
            "freeze",
            [
                "freeze", "--sha", sha, "--api-image", digest("api"), "--web-image", digest("web"), "--scope",
                "runtime", "--migration-required",
            ], 0
        ),
        ("acceptance", ["accept", "--sha", sha, "--verdict", "YES"], 0),
        (
            "readiness",
            [
                "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at", greenAt,
                "--slo-hours", "24",
            ], 0
        ),
        (
            "readiness",
            [
                "readiness", "--sha", sha, "--check", "delegated-probe", "--status", "pass", "--target-api-base-url",
                "https://api.example.com",
            ], 0
        ),
        (
            "deploy", ["deploy", "--sha", sha, "--app", "api", "--image", digest("rebuilt"), "--outcome", "succeeded"],
            2
        ),
        (
            "deploy",
            ["migrate", "--sha", sha, "--step", "image-updated", "--image", digest("api"), "--outcome", "succeeded"], 0
        ),
        ("deploy", ["migrate", "--sha", sha, "--step", "ran", "--image", digest("api"), "--outcome", "succeeded"], 0),
        ("deploy", ["deploy", "--sha", sha, "--app", "api", "--image", digest("api"), "--outcome", "succeeded"], 0),
        ("deploy", ["deploy", "--sha", sha, "--app", "web", "--image", digest("web"), "--outcome", "succeeded"], 0),
        ("verify", ["smoke", "--sha", sha, "--suite", "api", "--outcome", "passed"], 0),
        ("verify", ["smoke", "--sha", sha, "--suite", "browser", "--outcome", "passed"], 0),
        (
            "verify",
            [
                "record-deployment", "--sha", sha, "--deployment-id", "7001", "--environment-url",
                "https://shop.example.com",
            ], 0
        ),
        ("release-decision", ["verdict", "--sha", sha], 0),
        ("audit", ["status"], 0),
        ("audit", ["history"], 0),
        ("audit", ["show", sha], 0),
        ("audit", ["verify"], 0),
        ("audit", ["append", "--type", "x-note", "--sha", "nothex", "--data", "{}"], 65),
    ]

    /// Times differ between two runs; everything else must not.
    static func masked(_ text: String) -> String {
        text.replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/, with: "TIME").replacing(/[0-9a-f]{64}/, with: "HASH")
    }

    @Test func theDemoPipelineThroughTheServerGivesTheSameOutputAndArtifacts() throws {
        let server = ServerProcess()
        let url = try server.start()
        let local = ServerProcess.temporaryFolder()
        let remote = ServerProcess.temporaryFolder()
        for step in Self.pipeline {
            let here = try Self.cli(
                step.arguments + ["--db", local + "/ledger.sqlite"], in: local, environment: ["GITHUB_JOB": step.job])
            let there = try Self.cli(
                step.arguments, in: remote, environment: ["GITHUB_JOB": step.job, "RELEASE_LEDGER_URL": url])
            #expect(here.code == step.code, "local \(step.arguments.first!): \(here.err)")
            #expect(there.code == here.code, "remote \(step.arguments.first!): \(there.err)")
            #expect(
                Self.masked(there.out) == Self.masked(here.out),
                "\(step.arguments.first!) printed something else remotely")
            #expect(Self.masked(there.err) == Self.masked(here.err))
        }
        let files = ["materialize", "--sha", Self.sha, "--out", "artifacts"]
        #expect(try Self.cli(files + ["--db", local + "/ledger.sqlite"], in: local).code == 0)
        #expect(try Self.cli(files, in: remote, environment: ["RELEASE_LEDGER_URL": url]).code == 0)
        let names = try FileManager.default.subpathsOfDirectory(atPath: local + "/artifacts").sorted()
        #expect(names == (try FileManager.default.subpathsOfDirectory(atPath: remote + "/artifacts").sorted()))
        #expect(names.contains { $0.hasSuffix("manifest.json") })
        for name in names where name.hasSuffix(".json") {
            let a = try String(contentsOfFile: local + "/artifacts/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: remote + "/artifacts/" + name, encoding: .utf8)
            #expect(Self.masked(a) == Self.masked(b), "\(name) differs")
        }
    }

    @Test func anAppendRetriedUntilTheServerIsBackIsRecordedOnce() throws {
        let server = ServerProcess()
        let url = try server.start()
        server.stop()
        // The client starts while nothing listens, and keeps trying within its busy timeout.
        let folder = ServerProcess.temporaryFolder()
        let restarted = ServerProcess(folder: server.folder, listen: String(url.split(separator: "/").last!))
        let starter = Thread {
            Thread.sleep(forTimeInterval: 1.0)
            _ = try? restarted.start()
        }
        starter.start()
        let note = [
            "append", "--type", "x-note", "--sha", Self.sha, "--data", #"{"text":"retried"}"#, "--id", "retry-1",
            "--busy-timeout", "20000",
        ]
        let first = try Self.cli(note, in: folder, environment: ["RELEASE_LEDGER_URL": url])
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out.hasPrefix("recorded"))
        let again = try Self.cli(note, in: folder, environment: ["RELEASE_LEDGER_URL": url])
        #expect(again.out.hasPrefix("already recorded"))
        restarted.stop()
    }

    @Test func withoutAServerTheClientSaysSoAndExits75() throws {
        let folder = ServerProcess.temporaryFolder()
        let run = try Self.cli(
            ["status", "--busy-timeout", "300"], in: folder, environment: ["RELEASE_LEDGER_URL": "http://127.0.0.1:9"])
        #expect(run.code == 75, "\(run.err)")
        #expect(run.err.hasPrefix("release-ledger: error: busy:"))
    }
}
