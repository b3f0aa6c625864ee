import ReleaseLedgerCLI

#if canImport(Glibc)
import Glibc
#endif

// A command line naming a PostgreSQL ledger runs in release-ledger-postgres (this process is replaced).
PostgresHandOff.execIfWanted(arguments: CommandLine.arguments)
// The whole executable: hand the process's arguments (as raw bytes, so invalid UTF-8 is seen),
// environment and streams to the command line.
exit(ReleaseLedger.main(rawArguments: ReleaseLedger.processArguments(), context: .process()))
