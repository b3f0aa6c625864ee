import ReleaseLedgerCore

extension SQLiteEventStore {
    /// Appends several independent batches in one write transaction and one commit (one fsync).
    ///
    /// Each batch runs in its own savepoint, in order, through the same engine as `append`: it is
    /// ruled and chained after the batches before it, and a refused batch is rolled back alone
    /// (`SAVEPOINT`, "https://sqlite.org/lang_savepoint.html") while the others stand. Callers
    /// run `engine.validate` on each batch first (the server does it on the request's own task).
    /// Throws only when the transaction itself fails (begin or commit): then nothing was written.
    public func appendValidatedGroup(_ batches: [[ProposedEvent]]) throws(LedgerError) -> [Result<
        [AppendReceipt], LedgerError
    >] {
        guard let engine else { throw .usage("\(path) was opened for reading; nothing was appended") }
        var results: [Result<[AppendReceipt], LedgerError>] = []
        var touched: Set<String> = []
        do {
            try write { () throws(LedgerError) in
                // The newest event of the batches that stood: the chain head's row moves there once.
                var newest: ChainHead?
                for batch in batches {
                    let result = try appendInSavepoint(batch, engine: engine, touched: &touched)
                    if case .success = result, let inserted = lastInserted { newest = inserted }
                    results.append(result)
                }
                lastInserted = newest
                try writeHead()
            }
        } catch {
            // Nothing of the group was committed: states cached from its batches must go.
            for sha in touched { cache.forget(sha) }
            openBlock = nil
            throw error
        }
        return results
    }

    /// One batch of a group; throws only when its savepoint cannot be undone (the group then rolls back whole).
    private func appendInSavepoint(
        _ batch: [ProposedEvent], engine: AppendEngine, touched: inout Set<String>
    ) throws(LedgerError) -> Result<[AppendReceipt], LedgerError> {
        cache.beginTransaction()
        insertedInTransaction.removeAll()
        lastInserted = nil
        try sqlite { () throws(SQLiteError) in try connection.execute("SAVEPOINT group_item") }
        do {
            var transaction = Transaction(store: self)
            let receipts = try engine.append(batch, in: &transaction)
            try sqlite { () throws(SQLiteError) in try connection.execute("RELEASE group_item") }
            // The next batch of the group reads these states: they are what the open transaction holds.
            touched.formUnion(cache.stagedSHAs)
            cache.commit()
            touched.formUnion(insertedInTransaction.keys)
            return .success(receipts)
        } catch {
            cache.rollBack(insertedFor: insertedInTransaction.keys)
            openBlock = nil
            try sqlite { () throws(SQLiteError) in
                try connection.execute("ROLLBACK TO group_item")
                try connection.execute("RELEASE group_item")
            }
            return .failure(error)
        }
    }
}
