import ReleaseLedgerCore

extension PostgresEventStore {
    /// Appends several independent batches in one transaction and one commit, as the SQLite
    /// store's group commit does for `serve`: the head lock is taken once, each batch runs in its
    /// own savepoint, in order, through the same engine (ruled and chained after the batches
    /// before it), and a refused batch is rolled back alone while the others stand. Callers run
    /// `engine.validate` on each batch first. Throws only when the transaction itself fails
    /// (begin, the lock or commit): then nothing of the group was written.
    public func appendValidatedGroup(_ batches: [[ProposedEvent]]) throws(LedgerError) -> [Result<
        [AppendReceipt], LedgerError
    >] {
        guard let engine else { throw .usage("\(location) was opened for reading; nothing was appended") }
        var results: [Result<[AppendReceipt], LedgerError>] = []
        var touched: Set<String> = []
        do throws(LedgerError) {
            try session.transaction { () throws(LedgerError) in
                let rows = try session.rows("SELECT position, hash FROM chain_head WHERE id = 1 FOR UPDATE")
                guard let row = rows.first else {
                    throw LedgerError.storage("\(target): the chain head row is missing")
                }
                var head = ChainHead(
                    position: try PostgresSession.integer(row[0]), hash: try PostgresSession.text(row[1]))
                for batch in batches {
                    pendingStates.removeAll()
                    insertedInTransaction.removeAll()
                    lastInserted = nil
                    try session.execute("SAVEPOINT group_item")
                    do throws(LedgerError) {
                        var transaction = Transaction(store: self, head: head)
                        let receipts = try engine.append(batch, in: &transaction)
                        try session.execute("RELEASE SAVEPOINT group_item")
                        head = transaction.lockedHead
                        touched.formUnion(insertedInTransaction.keys)
                        // Later batches of the group read these states: they are the transaction's now.
                        for loaded in pendingStates { stateCache[loaded.state.sha] = loaded }
                        results.append(.success(receipts))
                    } catch {
                        try session.execute("ROLLBACK TO SAVEPOINT group_item")
                        for sha in insertedInTransaction.keys { stateCache[sha] = nil }
                        productionCache = nil
                        results.append(.failure(error))
                    }
                }
            }
        } catch {
            // Nothing of the group was committed: states cached from its batches must go.
            for sha in touched { stateCache[sha] = nil }
            productionCache = nil
            throw error
        }
        pendingStates.removeAll()
        return results
    }
}
