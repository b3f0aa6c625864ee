import ReleaseLedgerCore

extension SQLiteEventStore: RecordedEventImporting {
    /// Appends events recorded elsewhere as they are (`copy`), in one write transaction.
    public func importRecorded(_ events: [RecordedEvent]) throws(LedgerError) {
        forgetCachedStates()
        insertedInTransaction.removeAll()
        do {
            try connection.writeTransaction { () throws(LedgerError) in
                var head = try head()
                let transaction = Transaction(store: self)
                for event in events {
                    try RecordedEventCheck.extends(head, with: event)
                    try transaction.insert(event)
                    head = ChainHead(position: event.position, hash: event.hash)
                }
            }
        } catch {
            switch error {
            case .sqlite(let e): throw Self.ledgerError(e, path: path)
            case .body(let e): throw e
            }
        }
        insertedInTransaction.removeAll()
    }
}
