import EventStoreConformance
import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The command line with `--postgres` (in process, as `release-ledger-postgres` runs it) and `copy`.
@Suite(.enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresCommandLineTests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: String) -> Run {
        let out = Mutex("")
        let err = Mutex("")
        var context = CommandContext(
            environment: environment, currentDirectory: folder, clock: FixedClock(Fixtures.start),
            console: Console(out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        )
        context.postgres = PostgresLedgerOpening()
        let status = ReleaseLedger.main(arguments: arguments, context: context)
        return Run(status: status, out: out.withLock { $0 }, err: err.withLock { $0 })
    }

    static func folder() -> String {
        let folder =
            FileManager.default.temporaryDirectory.path + "/release-ledger-pgcli-" + RandomUUIDGenerator().next()
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func initAppendVerifyAndCopyBothWays() async throws {
        try await TestPostgres.onThread {
            let server = try TestPostgres.server()
            let name = "rl_cli_" + String(RandomUUIDGenerator().next().prefix(8)).replacingDashes()
            try PostgresDatabases.create(name, on: server)
            // The test cluster trusts loopback: the URL without a password is the whole URL.
            let url = server.database(name).description
            let folder = Self.folder()
            #expect(Self.run(["init", "--postgres", url], in: folder).status == 0)
            let sha = Fixtures.sha(1)
            for text in ["one", "two", "three"] {
                let appended = Self.run(
                    [
                        "append", "--postgres", url, "--type", "x-note", "--sha", sha, "--data",
                        "{\"text\":\"\(text)\"}",
                    ], in: folder)
                #expect(appended.status == 0, "\(appended.err)")
            }
            // RELEASE_LEDGER_POSTGRES names the ledger when no --db is given.
            let verified = Self.run(["verify"], environment: ["RELEASE_LEDGER_POSTGRES": url], in: folder)
            #expect(verified.status == 0)
            #expect(verified.out.contains("3 events"))
            #expect(!verified.out.contains(server.password ?? "no password in this URL"))
            let copied = Self.run(["copy", "--from", url, "--to", "copy.sqlite", "--json"], in: folder)
            #expect(copied.status == 0, "\(copied.err)")
            #expect(copied.out.contains("\"copied\":3"))
            #expect(Self.run(["verify", "--db", "copy.sqlite"], in: folder).status == 0)
            // And back into another database: the same head.
            let back = "rl_cli_back_" + String(RandomUUIDGenerator().next().prefix(8)).replacingDashes()
            try PostgresDatabases.create(back, on: server)
            let backURL = server.database(back).description
            let returned = Self.run(["copy", "--from", "copy.sqlite", "--to", backURL], in: folder)
            #expect(returned.status == 0, "\(returned.err)")
            let heads = try [url, backURL].map { try PostgresEventStore(readingAt: PostgresTarget(url: $0)).head() }
            #expect(heads[0] == heads[1])
            #expect(heads[0].position == 3)
            // A second copy into a ledger that holds the same events changes nothing; into another ledger it is refused.
            #expect(Self.run(["copy", "--from", "copy.sqlite", "--to", backURL], in: folder).status == 0)
            let other = Self.run(["copy", "--from", url, "--to", "other.sqlite"], in: folder)
            #expect(other.status == 0)
            _ = Self.run(
                ["append", "--db", "other.sqlite", "--type", "x-note", "--sha", sha, "--data", "{\"text\":\"four\"}"],
                in: folder)
            let refused = Self.run(["copy", "--from", "other.sqlite", "--to", backURL], in: folder)
            #expect(refused.status == 0, "a longer copy of the same ledger resumes: \(refused.err)")
            let diverged = Self.run(["copy", "--from", url, "--to", "other.sqlite"], in: folder)
            #expect(diverged.status == 3, "a destination ahead of the source is another ledger: \(diverged.out)")
        }
    }

    @Test func dbAndPostgresTogetherIsAUsageError() {
        let run = Self.run(["status", "--db", "x.sqlite", "--postgres", "postgres://u@127.0.0.1/d"], in: Self.folder())
        #expect(run.status == 64)
        #expect(run.err.contains("--db and --postgres"))
    }

    @Test func aBrokenURLNamesTheRule() {
        let run = Self.run(["status", "--postgres", "postgres://u@127.0.0.1:99999/d"], in: Self.folder())
        #expect(run.status == 65)
        #expect(run.err.contains("--postgres"))
    }
}

/// Which command lines `release-ledger` hands over to `release-ledger-postgres`: no database needed.
@Suite struct PostgresHandOffTests {
    @Test func handsOverWhatNamesPostgres() {
        #expect(
            PostgresHandOff.wanted(
                arguments: ["release-ledger", "status", "--postgres", "postgres://u@h/d"], environment: [:]))
        #expect(
            PostgresHandOff.wanted(
                arguments: ["release-ledger", "copy", "--from", "a.sqlite", "--to", "postgresql://u@h/d"],
                environment: [:]))
        #expect(
            PostgresHandOff.wanted(
                arguments: ["release-ledger", "status"], environment: ["RELEASE_LEDGER_POSTGRES": "postgres://u@h/d"]))
        #expect(
            !PostgresHandOff.wanted(
                arguments: ["release-ledger", "status", "--db", "x"],
                environment: ["RELEASE_LEDGER_POSTGRES": "postgres://u@h/d"]))
        #expect(!PostgresHandOff.wanted(arguments: ["release-ledger", "append", "--type", "x-note"], environment: [:]))
        #expect(
            !PostgresHandOff.wanted(
                arguments: ["release-ledger", "status"], environment: ["RELEASE_LEDGER_POSTGRES": ""]))
    }
}
