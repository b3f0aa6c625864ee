import ReleaseLedgerCore

/// What `release-ledger-postgres` gives the command line: `--postgres URL` opens this store.
public struct PostgresLedgerOpening: LedgerOpening {
    public init() {}

    public func open(url: String, engine: AppendEngine?, migrate: Bool, busyTimeoutMilliseconds: Int)
        throws(LedgerError) -> any Ledger
    {
        let target = try PostgresTarget(url: url)
        var options = PostgresEventStore.Options()
        options.busyTimeoutMilliseconds = max(1, busyTimeoutMilliseconds)
        options.migrate = migrate
        guard let engine else { return try PostgresEventStore(readingAt: target, options: options) }
        return try PostgresEventStore(target: target, engine: engine, options: options)
    }
}
