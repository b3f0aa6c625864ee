import SecretScanning

/// Builds appends out of a backend's transaction primitives: validation, secrets, idempotency,
/// expected versions, the release rules, the envelope and the hash chain, in that order.
public struct AppendEngine: Sendable {
    public let clock: any LedgerClock
    public let ids: any EventIDGenerator
    public let limits: InputLimits
    /// The chain version new rows are hashed with; only tests of older ledgers write version 1.
    public let chainVersion: Int

    public init(
        clock: any LedgerClock, ids: any EventIDGenerator = RandomUUIDGenerator(), limits: InputLimits = .standard,
        chainVersion: Int = ChainHasher.currentVersion
    ) {
        self.clock = clock
        self.ids = ids
        self.limits = limits
        self.chainVersion = chainVersion
    }

    /// Checks everything that needs no stored state; run it before taking the write lock.
    public func validate(_ batch: [ProposedEvent]) throws(LedgerError) {
        guard !batch.isEmpty else { throw .usage("nothing to append: the batch is empty") }
        guard batch.count <= limits.maxBatchEvents else {
            throw .invalidInput(
                field: "batch", rule: "has \(batch.count) events, over the limit of \(limits.maxBatchEvents)")
        }
        var checkedMetadata: EventMetadata?  // a batch's events usually share theirs: checked once
        for (index, event) in batch.enumerated() {
            do {
                try validate(event, metadataAlreadyChecked: checkedMetadata == event.metadata)
                checkedMetadata = event.metadata
            } catch {
                if case .invalidInput(let field, let rule) = error {
                    throw .invalidInput(field: (batch.count > 1 ? "events[\(index)]." : "") + field, rule: rule)
                }
                throw error
            }
        }
    }

    func validate(_ event: ProposedEvent, metadataAlreadyChecked: Bool = false) throws(LedgerError) {
        if let id = event.id { try Self.checkText(id, field: "id", maxBytes: 200) }
        if let stream = event.stream { try Self.checkText(stream, field: "stream", maxBytes: 200) }
        try Self.checkText(event.type, field: "type", maxBytes: 100)
        // Before the catalog: a payload built from flags gets the parser's rules first.
        try PayloadRules.check(event.data, field: "data", limits: limits)
        try EventCatalog.validate(type: event.type, sha: event.sha, data: event.data)
        let envelope = SecretScanner.firstFinding(id: event.id, stream: event.stream, type: event.type, sha: event.sha)
        if let envelope { throw Self.refuse(envelope) }
        let size = CanonicalJSON.encode(event.data).utf8.count
        if size > limits.maxDocumentBytes {
            throw .invalidInput(field: "data", rule: "is \(size) bytes, over the limit of \(limits.maxDocumentBytes)")
        }
        for (key, value) in event.metadata.fields where !metadataAlreadyChecked {
            guard let value else { continue }
            try Self.checkText(value, field: "metadata.\(key)", maxBytes: 1_000)
            if let finding = SecretScanner.scan(value: value, key: key, field: "metadata.\(key)") {
                throw Self.refuse(finding)
            }
        }
        try Self.checkAccess(of: event, metadataAlreadyChecked: metadataAlreadyChecked)
        if let finding = SecretWalk.firstFinding(in: event.data, path: "data") { throw Self.refuse(finding) }
    }

    static func refuse(_ finding: SecretFinding) -> LedgerError {
        .invalidInput(
            field: finding.field,
            rule: "looks like a secret (\(finding.kind.rawValue)); the ledger never stores credentials")
    }

    /// Identifiers are one printable line: they end up in file names, logs and tables. C1 controls
    /// (U+0085 is a line break) and the Unicode line and paragraph separators count as control characters.
    static func checkText(_ text: String, field: @autoclosure () -> String, maxBytes: Int) throws(LedgerError) {
        if text.isEmpty { throw .invalidInput(field: field(), rule: "must not be empty") }
        if text.utf8.count > maxBytes { throw .invalidInput(field: field(), rule: "is longer than \(maxBytes) bytes") }
        if text.unicodeScalars.contains(where: {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029
        }) {
            throw .invalidInput(field: field(), rule: "must not contain control characters")
        }
    }

    /// Appends inside an open write transaction. Throws without side effects the caller keeps:
    /// the backend rolls the transaction back on any throw.
    public func append<T: AppendTransaction>(_ batch: [ProposedEvent], in txn: inout T) throws(LedgerError)
        -> [AppendReceipt]
    {
        var head = try txn.head()
        var floor = try txn.timeFloor()
        var receipts: [AppendReceipt] = []
        var candidates: [String: CandidateState?] = [:]
        var changed: [String] = []
        var production: ProductionState?
        var loadedProduction: ProductionState?
        var batchIDs: [String: Int] = [:]
        var encodedMetadata: (metadata: EventMetadata, text: String)?  // a batch's events usually share theirs
        for event in batch {
            let stream = event.resolvedStream
            let data = event.data
            var eventID = event.id
            if eventID == nil, let key = event.retryKey {
                // A step retried with nothing recorded on its stream since is the same step: its
                // event stands. Anything else (a new run, a newer outcome) records anew.
                if let last = try txn.lastEvent(inStream: stream), RetryKey.matches(last.id, key: key) {
                    receipts.append(AppendReceipt(status: .alreadyRecorded, event: last))
                    continue
                }
                if EventType(rawValue: event.type) != nil, candidates[event.sha] == nil {
                    candidates[event.sha] = .some(try txn.candidate(event.sha))
                }
                let run = RetryKey.ledgerRun(type: event.type, candidate: candidates[event.sha] ?? nil)
                eventID = try RetryKey.unusedID(key: key, run: run) { (id) throws(LedgerError) in
                    try txn.event(withID: id) != nil || batchIDs[id] != nil
                }
            }
            if let id = eventID {
                if let existing = try txn.event(withID: id) {
                    receipts.append(try Self.idempotentRepeat(of: existing, proposed: event))
                    continue
                }
                if let earlier = batchIDs[id] {
                    throw .conflict(
                        "event id '\(id)' appears twice in one batch (items \(earlier) and \(receipts.count))")
                }
                batchIDs[id] = receipts.count
            }
            let current = try txn.streamVersion(stream)
            guard event.expectedVersion.admits(currentVersion: current) else {
                throw .conflict("stream \(stream) is at version \(current), expected \(event.expectedVersion)")
            }
            // A clock that stepped back must not make `at TIME` contradict the order of events:
            // record the previous event's time and keep the clock's own in the metadata.
            let wall = clock.now()
            let time = floor.map { max($0, wall) } ?? wall
            var metadata = event.metadata
            metadata.wallClock = time == wall ? nil : wall.description
            let releaseType = EventType(rawValue: event.type)
            var admission = Admission.append(data: data)
            // x- notes take no rule, so they need no state: two reads fewer on that path.
            if releaseType != nil {
                if candidates[event.sha] == nil { candidates[event.sha] = .some(try txn.candidate(event.sha)) }
                if production == nil {
                    production = try txn.production()
                    loadedProduction = production
                }
                admission = try ReleaseRules.check(
                    type: event.type, sha: event.sha, data: data, metadata: metadata, at: time,
                    candidate: candidates[event.sha]!, production: production!)
            }
            let recordedData: JSONValue
            switch admission {
            case .alreadyRecorded(let position):
                guard let original = try txn.event(at: position) else {
                    throw .storage("event at position \(position) vanished")
                }
                receipts.append(AppendReceipt(status: .alreadyRecorded, event: original))
                continue
            case .append(let completed):
                recordedData = completed
            }
            let position = head.position + 1
            let id = eventID ?? ids.next()
            let dataText = CanonicalJSON.encode(recordedData)
            if encodedMetadata?.metadata != metadata {
                encodedMetadata = (metadata, CanonicalJSON.encode(metadata.json))
            }
            let metadataText = encodedMetadata!.text
            let typeVersion = EventType(rawValue: event.type)?.schemaVersion ?? 1
            let envelope = ChainHasher.envelopeBytes(
                chainVersion: chainVersion, position: position, id: id, stream: stream, version: current + 1,
                type: event.type, typeVersion: typeVersion,
                sha: event.sha, data: dataText, metadata: metadataText, recordedAt: time, previousHash: head.hash)
            let recorded = RecordedEvent(
                position: position, id: id, stream: stream, version: current + 1, type: event.type,
                typeVersion: typeVersion,
                sha: event.sha, data: dataText, metadata: metadataText, recordedAt: time, previousHash: head.hash,
                hash: ChainHasher.hash(bytes: envelope.bytes), chainVersion: chainVersion)
            try txn.insert(recorded, envelope: envelope.bytes)
            if let releaseType {
                // What is recorded (a verdict as the ledger completed it) is what is folded.
                let decoded: ReleaseEvent
                do { decoded = try ReleaseEvent(type: releaseType, decoding: recordedData) } catch {
                    throw .invalidInput(field: error.field, rule: error.rule)
                }
                var state = candidates.removeValue(forKey: event.sha) ?? nil  // out of the dictionary: no copy on write
                ReleaseFold.apply(
                    decoded, sha: event.sha,
                    reference: EventReference(position: position, hash: recorded.hash, at: time),
                    contentHash: recordedData.contentHash, metadata: metadata, candidate: &state,
                    production: &production!)
                candidates[event.sha] = .some(state)
                if !changed.contains(event.sha) { changed.append(event.sha) }
            }
            head = ChainHead(position: position, hash: recorded.hash)
            floor = time
            receipts.append(AppendReceipt(status: .recorded, event: recorded))
        }
        if !changed.isEmpty {
            // Most events leave production as it was: its row is then not rewritten.
            try txn.save(
                candidates: changed.compactMap { candidates[$0] ?? nil },
                production: production == loadedProduction ? nil : production)
        }
        return receipts
    }

    /// A retried append: the same id with the same content is the original event; anything else is a conflict.
    static func idempotentRepeat(of existing: RecordedEvent, proposed: ProposedEvent) throws(LedgerError)
        -> AppendReceipt
    {
        let sameEnvelope =
            existing.type == proposed.type && existing.sha == proposed.sha && existing.stream == proposed.resolvedStream
        let sameContent = sameEnvelope ? try sameData(stored: existing, proposed: proposed.data) : false
        guard sameContent else {
            throw .conflict(
                "event id '\(existing.id)' is already recorded at position \(existing.position) with different content")
        }
        return AppendReceipt(status: .alreadyRecorded, event: existing)
    }

    /// The ledger completes some payloads (a verdict's gate table and reason, a replay's `replaces`);
    /// a retry that leaves those out is still the same event. Nothing else may differ: a key the
    /// caller supplied the first time and leaves out now (a note's `reason`) is other content.
    static func sameData(stored: RecordedEvent, proposed: JSONValue) throws(LedgerError) -> Bool {
        let proposedText = CanonicalJSON.encode(proposed)
        if proposedText == stored.data { return true }
        guard case .object(var storedObject) = try stored.payload(), case .object(let given) = proposed else {
            return false
        }
        for key in ["gates", "reason", "replaces"] where given[key] == nil && storedObject[key] != nil {
            guard ReleaseRules.isLedgerCompletion(key, type: stored.type, stored: storedObject) else { return false }
        }
        for key in ["gates", "reason", "replaces"] where given[key] == nil { storedObject[key] = nil }
        return storedObject == given
    }
}
