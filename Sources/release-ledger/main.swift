import ReleaseLedgerCLI

#if canImport(Glibc)
import Glibc
#endif

// The whole executable: hand the process's arguments (as raw bytes, so invalid UTF-8 is seen),
// environment and streams to the command line.
exit(ReleaseLedger.main(rawArguments: ReleaseLedger.processArguments(), context: .process()))
