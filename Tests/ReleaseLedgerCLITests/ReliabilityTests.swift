import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// Many OS processes, kills at random moments, edits behind the ledger's back: each promise of
/// the README's "Guarantees" section is asserted here against the built binaries.
@Suite struct ReliabilityTests {
    /// `RELEASE_LEDGER_STRESS_SCALE=10 swift test --filter Reliability` runs ten times the appends
    /// and kill rounds; CI runs scale 1 (a few seconds each).
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["RELEASE_LEDGER_STRESS_SCALE"] ?? "") ?? 1)

    /// Starts `ledger-stress` writers at once and waits for them.
    static func runWriters(_ count: Int, appends: Int, db: String, extra: [String] = []) throws -> [String] {
        let processes = (1...count).map { writer -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltBinary.path(of: "ledger-stress"))
            process.arguments = [db, "w\(writer)", String(appends)] + extra
            let pipe = Pipe()
            process.standardOutput = pipe
            return (process, pipe)
        }
        for (process, _) in processes { try process.run() }
        var outputs: [String] = []
        for (process, pipe) in processes {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            outputs.append(output)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(output.split(separator: "\n").suffix(2))")
        }
        return outputs
    }

    static func openReadOnly(_ path: String) throws -> SQLiteEventStore {
        var options = SQLiteEventStore.Options()
        options.readOnly = true
        return try SQLiteEventStore(path: path, engine: Fixtures.engine(), options: options)
    }

    @Test func sixteenProcessesAppendWithRetriesAndNothingIsLostOrDuplicated() throws {
        let cli = CLIHarness()
        let db = cli.folder + "/contended.sqlite"
        let appends = 200 * Self.scale
        // A short busy timeout makes real "busy" answers happen; the writers retry them, as CI would.
        let outputs = try Self.runWriters(
            16, appends: appends, db: db, extra: ["--retry-half", "--busy-timeout", "2000"])
        var acknowledged: [String: Int64] = [:]
        for output in outputs {
            for line in output.split(separator: "\n") where line.hasPrefix("ack ") || line.hasPrefix("retry ") {
                let parts = line.split(separator: " ")
                let id = String(parts[1])
                let position = Int64(parts[2])!
                if let earlier = acknowledged[id] { #expect(earlier == position, "a retry of \(id) moved it") }
                acknowledged[id] = position
                if line.hasPrefix("retry ") { #expect(parts[3] == "already-recorded") }
            }
        }
        #expect(acknowledged.count == 16 * appends)
        let store = try Self.openReadOnly(db)
        let events = try store.events(EventQuery())
        #expect(events.count == 16 * appends, "every acknowledged event exactly once")
        #expect(events.map(\.position) == Array(1...Int64(16 * appends)), "positions contiguous")
        #expect(Set(events.map(\.id)).count == events.count, "no duplicate ids")
        for event in events { #expect(acknowledged[event.id] == event.position) }
        var versions: [String: Int64] = [:]
        for event in events {
            #expect(event.version == (versions[event.stream] ?? 0) + 1, "stream versions contiguous")
            versions[event.stream] = event.version
        }
        #expect(try store.verify(anchor: nil).isIntact)
    }

    @Test func killedWritersLoseNothingAcknowledgedAndLeaveNothingHalfWritten() throws {
        let cli = CLIHarness()
        let db = cli.folder + "/crash.sqlite"
        var acknowledged: [String: Int64] = [:]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<(12 * Self.scale) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltBinary.path(of: "ledger-stress"))
            process.arguments = [db, "round\(round)", "0", "--forever"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            usleep(UInt32.random(in: 30_000...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in output.split(separator: "\n") where line.hasPrefix("ack ") {
                let parts = line.split(separator: " ")
                acknowledged[String(parts[1])] = Int64(parts[2])!
            }
            // A writer killed before it made the ledger (a slow start on a loaded machine) left nothing to check.
            if acknowledged.isEmpty, (try? Self.openReadOnly(db)) == nil { continue }
            // After each kill: the file opens, SQLite's own check is ok, the chain verifies, and
            // every acknowledged append is there at the position it was given.
            #expect(
                try SQLiteShell.run(db, "PRAGMA integrity_check;").trimmingCharacters(in: .whitespacesAndNewlines)
                    == "ok")
            let store = try Self.openReadOnly(db)
            #expect(try store.verify(anchor: nil).isIntact, "round \(round)")
            let stored = Dictionary(uniqueKeysWithValues: try store.events(EventQuery()).map { ($0.id, $0.position) })
            for (id, position) in acknowledged {
                #expect(stored[id] == position, "acknowledged \(id) is missing after round \(round)")
            }
        }
        #expect(acknowledged.count > 12, "the writers got some appends done before being killed")
        // The next append continues the chain.
        let head = try Self.openReadOnly(db).head()
        let next = try BuiltBinary.run(
            ["append", "--db", db, "--type", "x-note", "--sha", Fixtures.sha(1), "--data", "{}", "--json"],
            in: cli.folder)
        #expect(next.exitCode == 0)
        let after = try Self.openReadOnly(db)
        #expect(try after.head().position == head.position + 1)
        #expect(try after.events(EventQuery(afterPosition: head.position)).first?.previousHash == head.hash)
        #expect(try after.verify(anchor: nil).isIntact)
    }

    @Test(arguments: 0..<3)
    func productionLockRaceHasExactlyOneWinner(round: Int) throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.prepare(2)
        #expect(cli.setupFailures.isEmpty)
        let results = try [1, 2].map { n -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltBinary.path)
            process.arguments = [
                "migrate", "--sha", Fixtures.sha(n), "--step", "image-updated", "--image", Fixtures.digest("api", n),
                "--outcome", "succeeded",
            ]
            process.currentDirectoryURL = URL(fileURLWithPath: cli.folder)
            process.environment = ["PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = Pipe()
            return (process, pipe)
        }
        for (process, _) in results { try process.run() }
        var codes: [Int32] = []
        var errors: [String] = []
        for (process, pipe) in results {
            errors.append(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            process.waitUntilExit()
            codes.append(process.terminationStatus)
        }
        #expect(codes.sorted() == [0, 2], "one winner, one refusal: \(codes) \(errors)")
        #expect(errors.joined().contains("rule 5"))
        let production = try cli.store().production()
        #expect(production.openRun != nil)
    }

    @Test func aWriterHeldPastTheBusyTimeoutGetsExit75AndWritesNothing() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        let before = try cli.store().head()
        // Another process holds the write lock for two seconds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [cli.defaultLedger]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        // Wait until the shell says it holds the write lock: no guessing with sleeps on a busy machine.
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var said = ""
        while !said.contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        #expect(said.contains("locked"))
        let result = try BuiltBinary.run(
            ["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", "{}", "--busy-timeout", "300"],
            in: cli.folder)
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(result.exitCode == 75)
        #expect(result.stderr.contains("busy"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try cli.store().head() == before)
        // Once the lock is gone the same call goes through.
        #expect(
            try BuiltBinary.run(
                ["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", "{}"], in: cli.folder
            ).exitCode == 0)
    }

    @Test func aFullDiskIsAClearErrorAndNothingPartial() throws {
        let ledger = TemporaryFolder()
        var options = SQLiteEventStore.Options()
        options.create = true
        let store = try SQLiteEventStore(
            path: ledger.path + "/full.sqlite", engine: Fixtures.engine(), options: options)
        _ = try store.append([Fixtures.note(1, "before")])
        let before = try store.head()
        // SQLite reports SQLITE_FULL when the file may not grow: the same path a full disk takes.
        try store.limitPageCount(to: store.pageCount())
        do {
            _ = try store.append([Fixtures.note(1, String(repeating: "x", count: 60_000))])
            Issue.record("an append into a full file succeeded")
        } catch let error {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("disk is full"))
        }
        #expect(try store.head() == before)
        #expect(try store.verify(anchor: nil).isIntact)
    }
}

/// A fresh folder for a test.
struct TemporaryFolder {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.path + "/release-ledger-" + RandomUUIDGenerator().next()
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
