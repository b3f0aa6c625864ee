import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Many clients at once, a server killed mid-stream or stopped with SIGTERM: what was
/// acknowledged is there exactly once, the positions have no gap, and the chain verifies.
@Suite struct ServerDurabilityTests {
    /// `clients` workers, each appending notes with ids of its own one after another, `appends`
    /// of them or until one fails (the server is gone). Returns the ids the server acknowledged.
    static func appendConcurrently(
        url: String, clients: Int, appends: Int,
        append: @escaping @Sendable (String, String) -> Bool = Self.clientAppend
    ) -> [String] {
        let acknowledged = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: clients) { client in
            for n in 0..<appends {
                let id = "client\(client)-\(n)"
                guard append(url, id) else { break }
                acknowledged.withLock { $0.append(id) }
            }
        }
        return acknowledged.withLock { $0 }
    }

    /// One `release-ledger append` process against the server (its retries bounded to half a second).
    @Sendable static func clientAppend(url: String, id: String) -> Bool {
        let arguments = [
            "append", "--type", "x-note", "--sha", String(repeating: "c", count: 40), "--data", #"{"text":"\#(id)"}"#,
            "--id", id,
            "--busy-timeout", "500",
        ]
        guard let run = try? RemoteClientTests.cli(arguments, in: "/tmp", environment: ["RELEASE_LEDGER_URL": url])
        else { return false }
        return run.code == 0
    }

    @Sendable static func curlAppend(url: String, id: String) -> Bool {
        let body =
            #"{"type":"x-note","sha":"\#(String(repeating: "c", count: 40))","id":"\#(id)","data":{"text":"\#(id)"}}"#
        guard
            let exchange = try? HTTPExchange.curl("POST", url + "/v1/events", body: body, extra: ["--max-time", "20"])
        else { return false }
        return exchange.status == 201 || exchange.status == 200
    }

    static func recordedIDs(_ path: String) throws -> [String] {
        var options = SQLiteEventStore.Options()
        options.readOnly = true
        let store = try SQLiteEventStore(path: path, engine: Fixtures.engine(), options: options)
        let events = try store.events(EventQuery())
        #expect(events.map(\.position) == (0..<events.count).map { Int64($0 + 1) }, "positions have a gap")
        #expect(try store.verify(anchor: nil).isIntact)
        return events.map(\.id)
    }

    @Test func sixteenClientsThenAKillLoseNothingAcknowledged() throws {
        let server = ServerProcess()
        let url = try server.start()
        let killer = Thread {
            Thread.sleep(forTimeInterval: 1.5)
            server.stop(signal: SIGKILL)
        }
        killer.start()
        let acknowledged = Self.appendConcurrently(url: url, clients: 16, appends: 60)
        while server.process != nil { Thread.sleep(forTimeInterval: 0.05) }
        // Restarted on the same file: everything acknowledged before the kill is there once.
        let restarted = ServerProcess(folder: server.folder)
        let again = try restarted.start()
        let more = Self.appendConcurrently(url: again, clients: 4, appends: 5, append: Self.curlAppend)
        #expect(more.count == 20)
        restarted.stop()
        let recorded = try Self.recordedIDs(server.database)
        #expect(Set(recorded).count == recorded.count, "an event was recorded twice")
        let missing = Set(acknowledged + more).subtracting(recorded)
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.sorted().prefix(5))")
        #expect(!acknowledged.isEmpty)
    }

    @Test func sigtermLetsAppendsInFlightFinish() throws {
        let server = ServerProcess()
        let url = try server.start()
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 1.0)
            if let process = server.process { kill(process.processIdentifier, SIGTERM) }
        }
        stopper.start()
        let acknowledged = Self.appendConcurrently(url: url, clients: 8, appends: 40, append: Self.curlAppend)
        #expect(!acknowledged.isEmpty)
        let status = server.stop(signal: SIGTERM)
        #expect(status == 0, "the server did not stop cleanly: \(server.errors())")
        let recorded = try Self.recordedIDs(server.database)
        #expect(Set(acknowledged).isSubset(of: Set(recorded)))
        #expect(Set(recorded).count == recorded.count)
    }

    @Test func tlsWithACertificateMadeHere() throws {
        let folder = ServerProcess.temporaryFolder()
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
        ]
        openssl.standardError = Pipe()
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let server = ServerProcess(
            folder: folder,
            arguments: ["--allow-anonymous", "--tls-cert", folder + "/cert.pem", "--tls-key", folder + "/key.pem"])
        let url = try server.start()
        #expect(url.hasPrefix("https://"))
        let health = try HTTPExchange.curl("GET", url + "/healthz", extra: ["--cacert", folder + "/cert.pem"])
        #expect(health.status == 200)
        // Without the certificate's authority, curl refuses the connection: no HTTP status at all.
        let untrusted = try HTTPExchange.curl("GET", url + "/healthz")
        #expect(untrusted.status == 0)
    }
}
