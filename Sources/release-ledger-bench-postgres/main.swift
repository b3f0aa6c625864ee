// The PostgreSQL workloads of tools/bench.sh, in their own executable so the main benchmark (and
// CI's `bench.sh --tiny`) never builds postgres-nio. Run only when bench.sh is given a URL:
//   release-ledger-bench-postgres w12 --postgres URL --small LEDGER.sqlite --big LEDGER.sqlite
// prints markdown rows in the table's format on standard output, progress on standard error.
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import ReleaseLedgerSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Progress and failures go to standard error: standard output is the table's rows.
func printError(_ line: String) {
    let text = line.hasSuffix("\n") ? line : line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

func fail(_ message: String) -> Never {
    printError("release-ledger-bench-postgres: \(message)\n")
    exit(1)
}

func required(_ name: String) -> String {
    guard let value = option(name) else { fail("\(name) is required") }
    return value
}

switch arguments.first {
case "w12":
    let server: PostgresTarget
    do { server = try PostgresTarget(url: required("--postgres")) } catch { fail("\(error)") }
    for line in AuditQueriesOnPostgres(server: server, small: required("--small"), big: required("--big")).run() {
        print(line)
    }
default:
    fail("usage: release-ledger-bench-postgres w12 --postgres URL --small LEDGER.sqlite --big LEDGER.sqlite")
}
