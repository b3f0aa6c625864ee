import Foundation
import ReleaseLedgerCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `release-ledger-server` process on a loopback port it picks itself (`--listen 127.0.0.1:0`),
/// over a ledger file in a fresh folder.
final class ServerProcess: @unchecked Sendable {
    let folder: String
    var database: String { folder + "/ledger.sqlite" }
    let extraArguments: [String]
    /// HOST:PORT; port 0 lets the server pick (a restart on the same port names it).
    let listen: String
    private(set) var process: Process?
    private(set) var url = ""
    /// The server's log (stderr) goes to a file: a pipe nobody reads would fill and stall it.
    var logFile: String { folder + "/server.log" }

    /// `--db FILE` in `folder` unless given (`--postgres URL`).
    let ledgerArguments: [String]?

    init(
        folder: String? = nil, listen: String = "127.0.0.1:0", arguments: [String] = ["--allow-anonymous"],
        ledger: [String]? = nil
    ) {
        self.folder = folder ?? Self.temporaryFolder()
        self.listen = listen
        extraArguments = arguments
        ledgerArguments = ledger
    }

    static func temporaryFolder() -> String {
        let folder =
            FileManager.default.temporaryDirectory.path + "/release-ledger-server-test-" + RandomUUIDGenerator().next()
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Starts the server and waits for its "listening on URL" line.
    @discardableResult
    func start() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltBinary.path(of: "release-ledger-server"))
        process.arguments = ["serve", "--listen", listen] + (ledgerArguments ?? ["--db", database]) + extraArguments
        let output = Pipe()
        FileManager.default.createFile(atPath: logFile, contents: nil)
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logFile)
        try process.run()
        self.process = process
        // The first line names the port; read it byte by byte so nothing after it is consumed.
        var line = [UInt8]()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "listening on ") else {
            throw ServerTestError("the server did not start: \(text) \(errors())")
        }
        url = String(text[range.upperBound...])
        return url
    }

    /// The log's lines that are not routine request lines.
    func errors() -> String {
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { !$0.contains(#""level":"info""#) }.joined(separator: "\n")
    }

    /// Sends a signal and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct ServerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP exchange made with the `curl` command.
struct HTTPExchange {
    var status: Int
    var body: String
    var headers: [String: String]

    var json: JSONValue? { try? JSONParser.parse(body, limits: .internal) }

    /// `curl -sS` with the status and headers captured; `extra` adds options (--cacert, -H ...).
    static func curl(_ method: String, _ url: String, body: String? = nil, headers: [String] = [], extra: [String] = [])
        throws -> HTTPExchange
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let headerFile = ServerProcess.temporaryFolder() + "/headers"
        var arguments = ["-sS", "-X", method, "-D", headerFile, "-o", "-", "-w", "\n%{http_code}", url] + extra
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["--data-binary", "@-", "-H", "Content-Type: application/json"] }
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        if let body { input.fileHandleForWriting.write(Data(body.utf8)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: split)...]) else {
            throw ServerTestError("curl failed: \(text)")
        }
        var parsed: [String: String] = [:]
        for line in (try? String(contentsOfFile: headerFile, encoding: .utf8))?.split(separator: "\r\n") ?? [] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPExchange(status: status, body: String(text[..<split]), headers: parsed)
    }
}

/// The built products, beside the test bundle.
enum BuiltBinary {
    static func path(of product: String) -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(product).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/\(product)").path
    }
}

extension JSONValue {
    /// An element of an array, for reading answers in tests.
    subscript(_ index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
