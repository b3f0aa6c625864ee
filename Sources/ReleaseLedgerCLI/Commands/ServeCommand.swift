import ArgumentParser
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// `release-ledger serve ...` replaces this process with `release-ledger-server serve ...`, found
/// beside the running binary: the server's dependencies (NIO, Hummingbird) never load into the
/// command line that a CI step starts.
struct ServeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the ledger over HTTP to many runners (runs release-ledger-server; `serve --help` lists its options).",
        discussion: """
            Example:
              release-ledger serve --listen 127.0.0.1:8080 \\
                  --db /var/lib/release-ledger/ledger.sqlite
            """)

    @Argument(parsing: .captureForPassthrough, help: "The server's options (--listen HOST:PORT --db PATH ...).")
    var arguments: [String] = []

    func execute(in context: CommandContext) throws(LedgerError) {
        let server = Self.serverPath()
        guard access(server, X_OK) == 0 else {
            throw .storage(
                "serve needs the server executable \(server) beside release-ledger; it is missing or not executable")
        }
        let argv = [server, "serve"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(server, cArguments)
        // Only reached when execv failed.
        let reason = String(cString: strerror(errno))
        throw .storage("cannot run \(server): \(reason)")
    }

    /// `release-ledger-server` in the folder of the running executable (`/proc/self/exe`, so a
    /// symlink such as /usr/local/bin/release-ledger finds the folder it points into).
    static func serverPath() -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        let executable =
            count > 0
            ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return folder + "/release-ledger-server"
    }
}
