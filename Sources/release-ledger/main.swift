import ReleaseLedgerCLI

#if canImport(Glibc)
import Glibc
#endif

// The whole executable: hand the process's arguments, environment and streams to the command line.
exit(ReleaseLedger.main(arguments: Array(CommandLine.arguments.dropFirst()), context: .process()))
