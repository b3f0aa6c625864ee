/// Opens ledgers of an engine that the `release-ledger` executable does not link: PostgreSQL,
/// whose driver (postgres-nio, NIO) must stay out of the CI step's process. The
/// `release-ledger-postgres` executable passes one to the command line; `release-ledger` hands a
/// command line that names a PostgreSQL ledger over to that executable.
public protocol LedgerOpening: Sendable {
    /// Opens the ledger at `url`. `engine` is nil for reading (nothing is appended or migrated);
    /// `migrate` creates or upgrades the schema and applies the grants (`init`, `copy`'s destination).
    func open(url: String, engine: AppendEngine?, migrate: Bool, busyTimeoutMilliseconds: Int) throws(LedgerError)
        -> any Ledger
}
