import Foundation
import Testing

/// The real sqlite3 shell, as someone editing a ledger behind its back would use it: one helper
/// for every test target that opens a ledger file with it.
public enum SQLiteShell {
    /// Runs `sql` on the file; its exit status and what it printed (standard output and error).
    @discardableResult
    public static func execute(_ path: String, _ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// What the shell printed for `sql`, whatever its exit status.
    @discardableResult
    public static func run(_ path: String, _ sql: String) throws -> String { try execute(path, sql).output }

    /// The rows `sql` selects, one line each; the shell must succeed.
    public static func rows(_ path: String, _ sql: String) throws -> [String] {
        let result = try execute(path, sql)
        #expect(result.status == 0, "sqlite3 failed on \(sql): \(result.output)")
        return result.output.split(separator: "\n").map(String.init)
    }
}
