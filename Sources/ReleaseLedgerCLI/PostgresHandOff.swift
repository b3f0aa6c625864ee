#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `release-ledger` never links the PostgreSQL driver (the CI step's start-up). A command line that
/// names a PostgreSQL ledger (`--postgres`, a postgres:// URL, or RELEASE_LEDGER_POSTGRES without
/// `--db`) replaces this process with `release-ledger-postgres`, found beside the running binary,
/// with the same arguments, before anything is parsed or read: the same command, another executable.
public enum PostgresHandOff {
    public static func wanted(arguments: [String], environment: [String: String]) -> Bool {
        let names = arguments.dropFirst().contains { argument in
            argument == "--postgres" || argument.hasPrefix("--postgres=") || argument.hasPrefix("postgres://")
                || argument.hasPrefix("postgresql://") || argument.hasPrefix("--from=postgres")
                || argument.hasPrefix("--to=postgres")
        }
        if names { return true }
        let fromEnvironment = !(environment["RELEASE_LEDGER_POSTGRES"] ?? "").isEmpty
        return fromEnvironment && !arguments.contains { $0 == "--db" || $0.hasPrefix("--db=") }
    }

    /// Execs `release-ledger-postgres` when the command line wants it and it is there; returns
    /// otherwise (the command then says PostgreSQL needs that executable).
    public static func execIfWanted(arguments: [String]) {
        let environment =
            getenv("RELEASE_LEDGER_POSTGRES").map {
                [
                    "RELEASE_LEDGER_POSTGRES": String(
                        decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self)
                ]
            } ?? [:]
        guard wanted(arguments: arguments, environment: environment) else { return }
        let target = siblingPath("release-ledger-postgres")
        guard access(target, X_OK) == 0 else { return }
        var cArguments: [UnsafeMutablePointer<CChar>?] = ([target] + arguments.dropFirst()).map { strdup($0) }
        cArguments.append(nil)
        execv(target, cArguments)
    }

    /// A file in the folder of the running executable (`/proc/self/exe`, so a symlink such as
    /// /usr/local/bin/release-ledger finds the folder it points into).
    static func siblingPath(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        let executable =
            count > 0
            ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return folder + "/" + name
    }
}
