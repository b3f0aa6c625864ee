import ReleaseLedgerCLI
import ReleaseLedgerPostgres

#if canImport(Glibc)
import Glibc
#endif

// `release-ledger` with the PostgreSQL engine: the same command line, run here when it names a
// PostgreSQL ledger (`release-ledger` hands such command lines over; see PostgresHandOff). Kept
// apart so the CI step's executable never loads postgres-nio.
var context = CommandContext.process()
context.postgres = PostgresLedgerOpening()
exit(ReleaseLedger.main(rawArguments: ReleaseLedger.processArguments(), context: context))
