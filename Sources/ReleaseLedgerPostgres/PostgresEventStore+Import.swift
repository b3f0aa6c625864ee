import ReleaseLedgerCore

extension PostgresEventStore: RecordedEventImporting {
    /// Appends events recorded elsewhere as they are (`copy`), under the head lock like an append.
    public func importRecorded(_ events: [RecordedEvent]) throws(LedgerError) {
        forgetCachedStates()
        productionCache = nil
        try session.transaction { () throws(LedgerError) in
            let rows = try session.rows("SELECT position, hash FROM chain_head WHERE id = 1 FOR UPDATE")
            guard let row = rows.first else { throw LedgerError.storage("\(target): the chain head row is missing") }
            var head = ChainHead(position: try PostgresSession.integer(row[0]), hash: try PostgresSession.text(row[1]))
            for event in events {
                try RecordedEventCheck.extends(head, with: event)
                head = ChainHead(position: event.position, hash: event.hash)
            }
            // Many rows a statement (the table's trigger still checks each link): a million-event
            // copy is thousands of round trips, not a million.
            var start = events.startIndex
            while start < events.endIndex {
                let end = min(start + Self.rowsPerInsert, events.endIndex)
                try insertRows(events[start..<end])
                start = end
            }
        }
    }

    /// 13 parameters a row, under PostgreSQL's 65,535 per statement.
    static let rowsPerInsert = 1_000

    func insertRows(_ events: ArraySlice<RecordedEvent>) throws(LedgerError) {
        var values: [SQLValue] = []
        var tuples: [String] = []
        for event in events {
            let first = values.count
            values += [
                .integer(event.position), .text(event.id), .text(event.stream), .integer(event.version),
                .text(event.type),
                .integer(Int64(event.typeVersion)), .text(event.sha), .text(event.data), .text(event.metadata),
                .text(event.recordedAt.description), .text(event.previousHash), .text(event.hash),
                .integer(Int64(event.chainVersion)),
            ]
            tuples.append("(" + (1...13).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
        }
        try session.execute(
            "INSERT INTO events (\(Self.eventColumns)) VALUES " + tuples.joined(separator: ", "), values)
    }
}
