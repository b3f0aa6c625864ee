import EventStoreConformance
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import ReleaseLedgerSQLite
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite(.enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresStoreTests {
    /// Given the same input, both engines write the same bytes: the same chain, the same state.
    @Test func bothEnginesWriteTheSameChain() async throws {
        try await TestPostgres.onThread {
            let sqlite = try TemporarySQLite().open()
            let postgres = try TestPostgres.open(TestPostgres.freshDatabase())
            for store in [sqlite, postgres] as [any ReleaseHistory] {
                _ = try store.append(Fixtures.cleanPromotion(1))
                _ = try store.append([Fixtures.note(2, "ü ☃ \"quoted\" \\ tab\t")])
                _ = try store.append(Fixtures.promotionFailingBrowserSmoke(3))
            }
            #expect(try sqlite.events(EventQuery()) == postgres.events(EventQuery()))
            #expect(try sqlite.head() == postgres.head())
            #expect(try sqlite.candidate(Fixtures.sha(1)) == postgres.candidate(Fixtures.sha(1)))
            #expect(try sqlite.production() == postgres.production())
            #expect(try sqlite.runs(RunFilter()) == postgres.runs(RunFilter()))
            #expect(try sqlite.readModelSnapshot() == postgres.readModelSnapshot())
        }
    }

    /// SQLite to PostgreSQL and back: every event, position and hash kept; verify passes on each.
    @Test func copyRoundTripKeepsEveryEvent() async throws {
        try await TestPostgres.onThread {
            let source = try TemporarySQLite().open()
            _ = try source.append(Fixtures.cleanPromotion(1))
            for n in 0..<40 { _ = try source.append([Fixtures.note(n % 3, "note \(n)")]) }
            _ = try source.append(Fixtures.promotionFailingBrowserSmoke(2))
            // Random ids: the copy holds the source's generated ones, which a fresh counter would repeat.
            let postgres = try TestPostgres.open(TestPostgres.freshDatabase(), engine: TestPostgres.sharedEngine())
            let there = try LedgerCopy.copy(from: source, to: postgres, pageSize: 7)
            #expect(there.copied == 64)
            #expect(there.head == (try source.head()))
            let back = try TemporarySQLite().open()
            let returned = try LedgerCopy.copy(from: postgres, to: back)
            #expect(returned.head == there.head)
            #expect(try postgres.events(EventQuery()) == source.events(EventQuery()))
            #expect(try back.events(EventQuery()) == source.events(EventQuery()))
            #expect(try postgres.verify(anchor: nil).isIntact)
            #expect(try back.verify(anchor: nil).isIntact)
            #expect(try postgres.readModelProblem() == nil)
            #expect(try back.readModelProblem() == nil)
            #expect(try postgres.readModelSnapshot() == source.readModelSnapshot())
            // The copy goes on being a ledger: the rules see the state the events give.
            #expect(try postgres.production().live?.sha == Fixtures.sha(1))
            _ = try postgres.append([Fixtures.note(9, "after the copy")])
            #expect(try postgres.verify(anchor: nil).isIntact)
        }
    }

    /// A copy into a ledger that holds other events is refused and changes nothing; a copy that
    /// stopped part way resumes.
    @Test func copyRefusesAnotherLedgerAndResumes() async throws {
        try await TestPostgres.onThread {
            let source = try TemporarySQLite().open()
            _ = try source.append(Fixtures.cleanPromotion(1))
            let other = try TestPostgres.open(TestPostgres.freshDatabase())
            _ = try other.append([Fixtures.note(5, "another ledger")])
            #expect(throws: LedgerError.self) { try LedgerCopy.copy(from: source, to: other) }
            #expect(try other.head().position == 1)
            let partial = try TestPostgres.open(TestPostgres.freshDatabase())
            try partial.importRecorded(Array(try source.events(EventQuery()).prefix(5)))
            let report = try LedgerCopy.copy(from: source, to: partial)
            #expect(report.resumedFrom == 5)
            #expect(report.copied == 7)
            #expect(try partial.events(EventQuery()) == source.events(EventQuery()))
        }
    }

    /// An event that does not extend the chain is refused on import, in Swift and by the table's trigger.
    @Test func importRefusesABrokenLink() async throws {
        try await TestPostgres.onThread {
            let source = try TemporarySQLite().open()
            _ = try source.append(Fixtures.cleanPromotion(1))
            let events = try source.events(EventQuery())
            let postgres = try TestPostgres.open(TestPostgres.freshDatabase())
            #expect(throws: LedgerError.self) { try postgres.importRecorded([events[1]]) }
            #expect(try postgres.head() == .genesis)
        }
    }

    /// The server role may read and insert events, never change or delete them; the owner is
    /// refused by the triggers too.
    @Test func theWriterRoleCannotRewriteHistory() async throws {
        try await TestPostgres.onThread {
            let server = try TestPostgres.server()
            let owner = try TestPostgres.freshDatabase()
            let login = "rl_writer_" + String(RandomUUIDGenerator().next().prefix(8)).replacingDashes()
            // Roles are the cluster's: create the group role once (parallel tests may race to).
            try? PostgresDatabases.execute(
                "DO $$ BEGIN CREATE ROLE release_ledger_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                on: server)
            try PostgresDatabases.execute("CREATE ROLE \(login) LOGIN IN ROLE release_ledger_writer", on: server)
            var migrate = PostgresEventStore.Options()
            migrate.migrate = true
            // init applies the grants to the roles that exist
            _ = try PostgresEventStore(target: owner, engine: Fixtures.engine(), options: migrate)
            var asWriter = owner
            asWriter.user = login
            let writer = try TestPostgres.open(asWriter)
            _ = try writer.append(Fixtures.cleanPromotion(1))
            #expect(try writer.rebuildReadModel() == 1)
            #expect(try writer.verify(anchor: nil).isIntact)
            for statement in [
                "UPDATE events SET data = '{}' WHERE position = 1", "DELETE FROM events WHERE position = 12",
                "TRUNCATE events",
            ] {
                #expect(throws: LedgerError.self, "\(statement) as the writer") {
                    try PostgresDatabases.execute(statement, on: asWriter)
                }
                #expect(throws: LedgerError.self, "\(statement) as the owner") {
                    try PostgresDatabases.execute(statement, on: owner)
                }
            }
            #expect(throws: LedgerError.self) { try PostgresDatabases.execute("DROP TABLE candidates", on: asWriter) }
            #expect(throws: LedgerError.self) {
                try PostgresDatabases.execute("UPDATE chain_head SET position = 3", on: asWriter)
            }
            #expect(try writer.verify(anchor: nil).isIntact)
            #expect(try writer.head().position == 12)
        }
    }

    /// Rows changed behind the ledger's back (triggers disabled by the owner) are found by verify
    /// and by the read-model check; rebuild brings the read model back.
    @Test func verifyFindsEditsBehindTheLedgersBack() async throws {
        try await TestPostgres.onThread {
            let target = try TestPostgres.freshDatabase()
            let store = try TestPostgres.open(target)
            _ = try store.append(Fixtures.cleanPromotion(1))
            try PostgresDatabases.execute("UPDATE runs SET decision = 'NO'", on: target)
            #expect(try store.readModelProblem()?.contains("runs row") == true)
            try store.rebuildReadModel()
            #expect(try store.readModelProblem() == nil)
            try PostgresDatabases.execute("ALTER TABLE events DISABLE TRIGGER events_are_immutable", on: target)
            try PostgresDatabases.execute(
                "UPDATE events SET data = replace(data, 'succeeded', 'failed') WHERE position = 7", on: target)
            let report = try store.verify(anchor: nil)
            #expect(report.firstBadPosition == 7)
            try PostgresDatabases.execute(
                "UPDATE production SET state = replace(state, 'ci-bot', 'mallory')", on: target)
            #expect(throws: LedgerError.self) { try TestPostgres.open(target).production() }
        }
    }

    /// init twice changes nothing; a database without a ledger is refused by everything but init.
    @Test func initIsIdempotentAndReadersNeedALedger() async throws {
        try await TestPostgres.onThread {
            let target = try TestPostgres.freshDatabase()
            let store = try TestPostgres.open(target)
            _ = try store.append(Fixtures.cleanPromotion(1))
            var migrate = PostgresEventStore.Options()
            migrate.migrate = true
            _ = try PostgresEventStore(target: target, engine: Fixtures.engine(), options: migrate)
            #expect(try store.verify(anchor: nil).isIntact)
            #expect(try store.production().live?.sha == Fixtures.sha(1))
            let server = try TestPostgres.server()
            let empty = "rl_empty_" + String(RandomUUIDGenerator().next().prefix(8)).replacingDashes()
            try PostgresDatabases.create(empty, on: server)
            do {
                _ = try TestPostgres.open(server.database(empty))
                Issue.record("an empty database was opened as a ledger")
            } catch {
                #expect("\(error)".contains("init"))
            }
            #expect(
                try PostgresDatabases.texts(
                    "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'", on: server.database(empty)) == [
                        "0"
                    ])
        }
    }

    /// A group of batches shares one transaction; a refused batch is rolled back alone and the
    /// batches after it are ruled and chained after the ones before it.
    @Test func groupCommitRollsBackARefusedBatchAlone() async throws {
        try await TestPostgres.onThread {
            let store = try TestPostgres.open(TestPostgres.freshDatabase())
            let deployWithoutAcceptance = Fixtures.event(
                .deployRecorded, 2, ["app": "api", "image": .string(Fixtures.digest("api", 2)), "outcome": "succeeded"])
            let results = try store.appendValidatedGroup([
                Array(Fixtures.cleanPromotion(1).prefix(2)),
                [Fixtures.event(.candidateFrozen, 2, Fixtures.frozenData(2)), deployWithoutAcceptance],
                [Fixtures.note(3, "after the refusal")],
            ])
            #expect(try results[0].get().map(\.position) == [1, 2])
            #expect(throws: LedgerError.self) { try results[1].get() }
            #expect(try results[2].get().map(\.position) == [3])
            #expect(try store.events(EventQuery()).map(\.sha) == [Fixtures.sha(1), Fixtures.sha(1), Fixtures.sha(3)])
            #expect(try store.candidate(Fixtures.sha(2)) == nil)
            #expect(try store.verify(anchor: nil).isIntact)
            #expect(try store.readModelProblem() == nil)
        }
    }

    /// History queries, `at` and rebuild give what SQLite gives on a long mixed history.
    @Test func historyMatchesSQLite() async throws {
        try await TestPostgres.onThread {
            let sqlite = try TemporarySQLite().open()
            let postgres = try TestPostgres.open(TestPostgres.freshDatabase())
            for store in [sqlite, postgres] as [any ReleaseHistory] {
                for n in 1...6 {
                    _ = try store.append(
                        n % 3 == 0 ? Fixtures.promotionFailingBrowserSmoke(n) : Fixtures.cleanPromotion(n))
                }
                _ = try store.append([
                    Fixtures.event(.candidateFrozen, 9, Fixtures.frozenData(9)),
                    Fixtures.event(.acceptanceRecorded, 9, ["verdict": "NO"]),
                ])
            }
            for filter in [
                RunFilter(), RunFilter(decision: "NO"), RunFilter(limit: 2), RunFilter(includeAcceptanceRefusals: true),
            ] {
                #expect(try sqlite.runs(filter) == postgres.runs(filter))
            }
            #expect(try sqlite.latestDecisions(limit: 3) == postgres.latestDecisions(limit: 3))
            for position: Int64 in [1, 12, 30, 60, 74] {
                #expect(
                    try sqlite.liveRun(atOrBeforePosition: position) == postgres.liveRun(atOrBeforePosition: position))
                #expect(try sqlite.openRun(atPosition: position) == postgres.openRun(atPosition: position))
                #expect(
                    try sqlite.serving(atOrBeforePosition: position) == postgres.serving(atOrBeforePosition: position))
            }
            #expect(try sqlite.lastYes(excluding: Fixtures.sha(5)) == postgres.lastYes(excluding: Fixtures.sha(5)))
            #expect(try postgres.rebuildReadModel() == sqlite.rebuildReadModel())
            #expect(try sqlite.readModelSnapshot() == postgres.readModelSnapshot())
        }
    }
}

/// A SQLite ledger in a fresh folder.
struct TemporarySQLite {
    let path =
        FileManager.default.temporaryDirectory.path + "/release-ledger-pgtest-" + RandomUUIDGenerator().next()
        + ".sqlite"

    func open() throws -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.create = true
        options.synchronous = "NORMAL"
        return try SQLiteEventStore(path: path, engine: Fixtures.engine(), options: options)
    }
}
