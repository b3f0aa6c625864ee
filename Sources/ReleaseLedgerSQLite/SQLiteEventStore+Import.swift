import ReleaseLedgerCore

extension SQLiteEventStore: RecordedEventImporting {
    /// Appends events recorded elsewhere as they are (`copy`), in one write transaction.
    public func importRecorded(_ events: [RecordedEvent]) throws(LedgerError) {
        forgetCachedStates()
        insertedInTransaction.removeAll()
        lastInserted = nil
        defer { insertedInTransaction.removeAll() }
        do {
            try write { () throws(LedgerError) in
                var head = try head()
                let transaction = Transaction(store: self)
                for event in events {
                    try RecordedEventCheck.extends(head, with: event)
                    try transaction.insert(event)
                    head = ChainHead(position: event.position, hash: event.hash)
                }
                try writeHead()
            }
        } catch {
            openBlock = nil
            throw error
        }
    }
}
