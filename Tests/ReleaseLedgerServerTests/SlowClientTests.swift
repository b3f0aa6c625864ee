import Foundation
import Testing

/// A client that sends its request a byte at a time (slowloris) is cut off by `--request-timeout`,
/// though every byte restarts the idle timeout; a prompt client on the same server is served.
@Suite struct SlowClientTests {
    /// Sends `request` one byte every `interval` seconds for at most `seconds`; prints how long the
    /// server kept the connection open and what it answered.
    static let dripper = """
        import socket, sys, time
        port, interval, seconds = int(sys.argv[1]), float(sys.argv[3]), float(sys.argv[4])
        request = sys.argv[2].encode().decode('unicode_escape').encode()
        s = socket.create_connection(("127.0.0.1", port))
        start = time.monotonic()
        closed = False
        for byte in request:
            if time.monotonic() - start > seconds: break
            try:
                s.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            s.settimeout(interval)
            try:
                if s.recv(4096) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except OSError:
                closed = True
                break
        print("closed" if closed else "open", round(time.monotonic() - start, 1))
        """

    static func drip(port: Int, _ request: String, interval: Double, seconds: Double) throws -> (
        closed: Bool, after: Double
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", dripper, String(port), request, String(interval), String(seconds)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(separator: " ")
        return (
            fields.first == "closed", Double(fields.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        )
    }

    @Test func aRequestDrippedByteByByteIsCutOffAtTheRequestTimeout() throws {
        let server = ServerProcess(arguments: ["--allow-anonymous", "--request-timeout", "2", "--idle-timeout", "30"])
        let url = try server.start()
        defer { server.stop() }
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        // Slow headers: 0.3 s a byte would take about 12 s for this head; the server cuts it at 2 s.
        let head = try Self.drip(
            port: port, "GET /healthz HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nX-Slow: yes\\r\\n\\r\\n", interval: 0.3,
            seconds: 10)
        #expect(head.closed && head.after >= 1.5 && head.after < 6, "\(head)")
        // A slow body after a prompt head: cut off too.
        let body = try Self.drip(
            port: port,
            "POST /v1/events HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json\\r\\n"
                + "Content-Length: 64\\r\\n\\r\\n"
                + "{\\\"type\\\":\\\"x-note\\\",\\\"sha\\\":\\\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            interval: 0.3, seconds: 10)
        #expect(body.closed && body.after < 8, "\(body)")
        // Nothing half-sent was recorded, and a prompt client is served.
        let events = try HTTPExchange.curl("GET", url + "/v1/events")
        #expect(events.status == 200 && events.json?["events"]?.arrayValue?.isEmpty == true, "\(events.body)")
    }
}
