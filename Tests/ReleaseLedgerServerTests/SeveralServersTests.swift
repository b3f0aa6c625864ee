import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15: three `serve --postgres` processes on one PostgreSQL database, 16 clients spread over
/// them; one server SIGKILLed and PostgreSQL restarted (`pg_ctl restart -m fast`) mid-run. Clients
/// retry what failed with the same event id, on the next server. Every acknowledged event is there
/// exactly once, positions are gapless and the chain verifies.
///
/// The test runs its own throwaway cluster (`tools/postgres/cluster.sh`), so restarting it
/// disturbs no other test. It runs where the PostgreSQL tests run (RELEASE_LEDGER_TEST_POSTGRES).
@Suite(
    .enabled(if: getenv("RELEASE_LEDGER_TEST_POSTGRES") != nil, "skipped: no PostgreSQL (RELEASE_LEDGER_TEST_POSTGRES)")
)
struct SeveralServersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A private cluster: its URL and data folder, from `cluster.sh start`'s export lines.
    final class Cluster {
        let url: String
        let data: String

        init() throws {
            let out = try Self.script(["start"], environment: [:])
            func value(_ name: String) -> String? {
                out.split(separator: "\n").first { $0.hasPrefix("export \(name)=") }
                    .map {
                        String($0.dropFirst("export \(name)=".count)).trimmingCharacters(
                            in: CharacterSet(charactersIn: "'"))
                    }
            }
            guard let url = value("RELEASE_LEDGER_TEST_POSTGRES"), let data = value("RELEASE_LEDGER_TEST_PGDATA") else {
                throw ServerTestError("cluster.sh start printed: \(out)")
            }
            self.url = url
            self.data = data
        }

        func restart() throws { _ = try Self.script(["restart"], environment: ["RELEASE_LEDGER_TEST_PGDATA": data]) }
        func stop() { _ = try? Self.script(["stop"], environment: ["RELEASE_LEDGER_TEST_PGDATA": data]) }

        /// Through `system` (the shell, then waitpid), its output in a file, and every descriptor
        /// above 2 closed before the script runs: the PostgreSQL server it starts outlives it and
        /// would otherwise hold this process's pipes open (Foundation's `Process` then never saw
        /// the script end).
        static func script(_ arguments: [String], environment: [String: String]) throws -> String {
            let output = ServerProcess.temporaryFolder() + "/cluster.out"
            let assignments = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            let command = """
                for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null; \
                \(assignments) exec bash '\(SeveralServersTests.root)/tools/postgres/cluster.sh' \
                \(arguments.joined(separator: " ")) > '\(output)' 2>&1
                """
            // bash, not sh: dash cannot close a descriptor above 9.
            let wrapper = ServerProcess.temporaryFolder() + "/cluster-wrapper.sh"
            try command.write(toFile: wrapper, atomically: true, encoding: .utf8)
            let status = system("bash '\(wrapper)'")
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            guard status == 0 else {
                throw ServerTestError("cluster.sh \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
            }
            return text
        }
    }

    static func note(client: Int, index: Int) -> String {
        #"{"type":"x-note","sha":"\#(String(repeating: "b", count: 40))","id":"c\#(client)-\#(index)","#
            + #""data":{"client":\#(client),"index":\#(index)}}"#
    }

    @Test func threeServersSixteenClientsAKilledServerAndARestartedDatabaseLoseAndDuplicateNothing() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        var options = PostgresEventStore.Options()
        options.migrate = true
        try PostgresEventStore(
            target: try PostgresTarget(url: cluster.url), engine: AppendEngine(clock: FixedClock(Fixtures.start)),
            options: options
        )
        .close()
        let servers = (0..<3).map { _ in ServerProcess(ledger: ["--postgres", cluster.url]) }
        let urls = try servers.map { try $0.start() }
        defer { for server in servers { server.stop(signal: SIGKILL) } }

        let clients = 16
        let perClient = 15
        let acknowledged = Mutex<[String]>([])
        let done = Mutex(0)
        let retried = Mutex(0)
        for client in 0..<clients {
            let thread = Thread {
                defer { done.withLock { $0 += 1 } }
                var server = client % urls.count
                for index in 0..<perClient {
                    let deadline = Date().addingTimeInterval(90)
                    while Date() < deadline {
                        let answer = try? HTTPExchange.curl(
                            "POST", urls[server] + "/v1/events", body: Self.note(client: client, index: index),
                            extra: ["--max-time", "20"])
                        if let status = answer?.status, status == 200 || status == 201 {
                            acknowledged.withLock { $0.append("c\(client)-\(index)") }
                            break
                        }
                        // Down, busy (503) or cut off: the same event, with the same id, on the next server.
                        retried.withLock { $0 += 1 }
                        server = (server + 1) % urls.count
                        usleep(100_000)
                    }
                }
            }
            thread.start()
        }
        func waitFor(_ condition: () -> Bool) {
            let deadline = Date().addingTimeInterval(120)
            while !condition() && Date() < deadline { usleep(20_000) }
        }
        let total = clients * perClient
        waitFor { acknowledged.withLock { $0.count } >= total / 4 }
        servers[1].stop(signal: SIGKILL)
        waitFor { acknowledged.withLock { $0.count } >= total / 2 }
        try cluster.restart()
        waitFor { done.withLock { $0 } == clients }

        let acked = acknowledged.withLock { $0 }
        #expect(acked.count == total, "every client's events were acknowledged in the end")
        #expect(retried.withLock { $0 } > 0, "the faults reached the clients, which retried")
        #expect(
            servers[0].process?.isRunning == true && servers[2].process?.isRunning == true,
            "\(servers[0].errors())\(servers[2].errors())")
        // A read on a connection the restart broke answers 503 once (retry): ask again, like a client.
        func get(_ url: String) throws -> HTTPExchange {
            var answer = try HTTPExchange.curl("GET", url)
            for _ in 0..<20 where answer.status != 200 {
                usleep(200_000)
                answer = try HTTPExchange.curl("GET", url)
            }
            return answer
        }
        // Read back through a surviving server: every acknowledged id once, positions 1...n.
        var ids: [String] = []
        var positions: [Int64] = []
        while true {
            let page = try get(urls[0] + "/v1/events?after=\(positions.last ?? 0)&limit=1000")
            guard let events = page.json?["events"]?.arrayValue, !events.isEmpty else { break }
            for event in events {
                ids.append(event["id"]?.stringValue ?? "")
                positions.append(event["position"]?.intValue ?? -1)
            }
        }
        #expect(positions == (0..<positions.count).map { Int64($0) + 1 }, "positions are gapless")
        #expect(Set(ids).count == ids.count, "no event is there twice")
        #expect(Set(acked).isSubset(of: Set(ids)), "no acknowledged event is lost")
        #expect(ids.count == total, "nothing but the clients' events")
        let verify = try get(urls[2] + "/v1/verify")
        #expect(verify.status == 200 && verify.json?["ok"] == .bool(true), "\(verify.body)")
    }
}
