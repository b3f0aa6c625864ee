import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// `events --format cdevents` and `--sink`: what a CDEvents consumer receives from a whole pipeline.
@Suite struct CDEventsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let spec =
        ProcessInfo.processInfo.environment["CDEVENTS_SPEC_DIR"] ?? root + "/../shared/cdevents-spec-v0.5.1"

    /// Two promotions (the second an upgrade), a rollback to the first, a refused candidate and a note.
    static func pipeline() -> CLIHarness {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2)
        cli.expectSuccess(
            cli.run(["rollback", "--to", Fixtures.sha(1), "--reason", "errors after 2", "--actor", "erin"]))
        cli.promote(1)
        let sha3 = Fixtures.sha(3)
        cli.expectSuccess(
            cli.run([
                "freeze", "--sha", sha3, "--api-image", Fixtures.digest("api", 3), "--web-image",
                Fixtures.digest("web", 3), "--scope", "runtime",
            ]))
        cli.expectSuccess(cli.run(["accept", "--sha", sha3, "--verdict", "NO", "--reason", "acceptance suite red"]))
        cli.expectSuccess(cli.run(["append", "--type", "x-note", "--sha", sha3, "--data", #"{"text":"hello"}"#]))
        return cli
    }

    static func runPython(_ arguments: [String]) throws -> CommandResult {
        try ExternalProgram.run("/usr/bin/env", ["python3"] + arguments, standardError: .merged)
    }

    @Test func everyEmittedEventValidatesAgainstTheOfficialSchemas() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let result = cli.run(["events", "--format", "cdevents"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let file = cli.folder + "/cdevents.jsonl"
        try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(
            FileManager.default.fileExists(atPath: Self.spec + "/schemas/links/embeddedlinksarray.json"),
            "CDEvents spec missing at \(Self.spec)")
        let validation = try Self.runPython([Self.root + "/tools/cdevents/validate.py", Self.spec, file])
        #expect(validation.exitCode == 0, "\(validation.stdout)")
        #expect(validation.stdout.contains("\(result.lines.count) events checked"))
        let types = Set(try result.lines.map { try JSONParser.parse($0)["context"]?["type"]?.stringValue ?? "" })
        for expected in [
            "dev.cdevents.artifact.packaged.0.3.0", "dev.cdevents.testsuiterun.finished.0.3.0",
            "dev.cdevents.testcaserun.finished.0.3.0",
            "dev.cdevents.service.deployed.0.3.0", "dev.cdevents.service.upgraded.0.3.0",
            "dev.cdevents.service.rolledback.0.3.0",
            "dev.cdeventsx.releaseledger-verdict.recorded.0.1.0", "dev.cdeventsx.releaseledger-note.recorded.0.1.0",
        ] {
            #expect(types.contains(expected), "\(expected) not emitted")
        }
    }

    @Test func idsAndTimesComeFromTheLedgerSoTheOutputIsReproducible() throws {
        let cli = Self.pipeline()
        let first = cli.run(["events", "--format", "cdevents"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout == cli.run(["events", "--format", "cdevents"]).stdout)
        let envelopes = cli.run(["events"]).lines
        #expect(first.lines.count == envelopes.count)
        for (line, envelope) in zip(first.lines, envelopes) {
            let cdevent = try JSONParser.parse(line)
            let event = try JSONParser.parse(envelope)
            #expect(cdevent["context"]?["id"] == event["id"])
            #expect(cdevent["context"]?["timestamp"] == event["recordedAt"])
            #expect(cdevent["customData"]?["ledger"]?["hash"] == event["hash"])
        }
    }

    @Test func deploysAreDeployedThenUpgradedThenRolledBackEvenWhenFiltered() throws {
        let cli = Self.pipeline()
        let deploys = cli.run(["events", "--format", "cdevents", "--type", "deploy.recorded"])
        #expect(deploys.exitCode == 0, "\(deploys.stderr)")
        let types = try deploys.lines.map { try JSONParser.parse($0)["context"]?["type"]?.stringValue ?? "" }
        #expect(
            types
                == ["deployed", "deployed", "upgraded", "upgraded", "rolledback", "rolledback"].map {
                    "dev.cdevents.service.\($0).0.3.0"
                })
        let last = try JSONParser.parse(deploys.lines[5])
        #expect(
            last["subject"]?["content"]?["artifactId"]
                == .string(CDEventsMapper.packageURL(image: Fixtures.digest("web", 1))))
        // The filters still choose: one SHA, after a position, at most N.
        let limited = cli.run([
            "events", "--format", "cdevents", "--type", "deploy.recorded", "--sha", Fixtures.sha(2), "--limit", "1",
        ])
        #expect(limited.lines.count == 1)
        #expect(try JSONParser.parse(limited.lines[0])["context"]?["type"] == "dev.cdevents.service.upgraded.0.3.0")
    }

    /// A Python receiver on 127.0.0.1, port 0, that records each request as a JSON line.
    static let receiver = #"""
        import http.server, json, os, sys
        out, port_file = sys.argv[1], sys.argv[2]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with open(out, "a") as f:
                    f.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body.decode()}) + "\n")
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#

    @Test func sinkPostsBinaryModeCloudEventsToALocalReceiver() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty)
        let script = cli.folder + "/receiver.py"
        try Self.receiver.write(toFile: script, atomically: true, encoding: .utf8)
        let requests = cli.folder + "/requests.jsonl"
        let portFile = cli.folder + "/port"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", script, requests, portFile]
        try server.run()
        // SIGKILL: the child inherits the test runner's blocked signals, SIGTERM would wait forever.
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        var port: String?
        for _ in 0..<200 where port == nil {
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
            if port == nil { usleep(50_000) }
        }
        let bound = try #require(port, "the receiver did not start")
        let result = cli.run(["events", "--sink", "http://127.0.0.1:\(bound)/events"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let printed = cli.run(["events", "--format", "cdevents"]).lines
        #expect(result.stdout == "posted \(printed.count) CDEvents to 127.0.0.1:\(bound)/events\n")
        let received = try String(contentsOfFile: requests, encoding: .utf8).split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
        #expect(received.count == printed.count)
        for (request, line) in zip(received, printed) {
            let cdevent = try JSONParser.parse(line)
            let headers = request["headers"]
            #expect(request["path"] == "/events")
            #expect(headers?["content-type"] == "application/json")
            #expect(headers?["ce-specversion"] == "1.0")
            #expect(headers?["ce-id"] == cdevent["context"]?["id"])
            #expect(headers?["ce-source"] == cdevent["context"]?["source"])
            #expect(headers?["ce-type"] == cdevent["context"]?["type"])
            #expect(headers?["ce-time"] == cdevent["context"]?["timestamp"])
            #expect(request["body"] == .string(line))
        }
    }

    @Test func sinkRefusesHttpsAndReportsAnUnreachableReceiver() throws {
        let cli = CLIHarness()
        cli.prepare(1)
        let https = cli.run(["events", "--sink", "https://cdevents.example/events"])
        #expect(https.exitCode == 64)
        #expect(https.stderr.contains("https is not supported"))
        #expect(https.stderr.split(separator: "\n").count == 1)
        #expect(cli.run(["events", "--sink", "ftp://x/"]).exitCode == 64)
        // A port nothing listens on: bind one, read its number back, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)
        let unreachable = cli.run(["events", "--sink", "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/"])
        #expect(unreachable.exitCode == 74)
        #expect(unreachable.stderr.contains("cannot connect"))
    }
}
