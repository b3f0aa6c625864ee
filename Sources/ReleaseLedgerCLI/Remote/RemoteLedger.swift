import ReleaseLedgerCore

/// A ledger kept by `release-ledger serve`, reached over HTTP(S): what every command speaks to
/// when `RELEASE_LEDGER_URL` or `--server` is set. Each primitive is one request to
/// `/v1/ledger/...` (or `/v1/events`); the questions commands ask are built from them, as for
/// any `Ledger`, so the output and the exit codes are those of the local file.
final class RemoteLedger: Ledger {
    let client: ServerClient
    var location: String { client.baseURL }
    /// Tiles fetched by this command (`RemoteLedger+Transparency`): a proof reads some twice.
    var tiles: [String: [UInt8]] = [:]

    init(client: ServerClient) {
        self.client = client
    }

    // MARK: Writing

    func append(_ batch: [ProposedEvent]) throws(LedgerError) -> [AppendReceipt] {
        // The id is chosen here, before the first try: a retry after a dropped connection or a
        // timeout sends the same id, and the server answers "already recorded" if the first try
        // was in fact committed. A step inside GitHub Actions sends its retry key instead.
        let events: [JSONValue] = batch.map { event in
            var object = JSONObject([
                ("type", .string(event.type)), ("sha", .string(event.sha)), ("data", event.data),
                ("metadata", event.metadata.json),
                ("expect", .string(event.expectedVersion.description)),
            ])
            if let stream = event.stream { object["stream"] = .string(stream) }
            if let key = event.retryKey, event.id == nil {
                object["retryKey"] = .string(key)
            } else {
                object["id"] = .string(event.id ?? RandomUUIDGenerator().next())
            }
            return .object(object)
        }
        let answer = try client.json("POST", "/v1/events", body: ["events": .array(events)])
        guard case .array(let receipts)? = answer["receipts"], receipts.count == batch.count else {
            throw LedgerWire.failure("receipts")
        }
        return try receipts.map { (json) throws(LedgerError) in try LedgerWire.receipt(json) }
    }

    func rebuildReadModel() throws(LedgerError) -> Int {
        Int(try LedgerWire.int64(try client.json("POST", "/v1/ledger/rebuild")["candidates"], "rebuild answer"))
    }

    // MARK: Events and the chain

    func head() throws(LedgerError) -> ChainHead {
        try LedgerWire.head(try client.json("GET", "/v1/head"))
    }

    /// Pages through `/v1/events` with its cursor.
    func forEachEvent(_ query: EventQuery, _ body: (RecordedEvent) -> Bool) throws(LedgerError) {
        var after = query.afterPosition
        var left = query.limit.map(Int64.init)
        while left.map({ $0 > 0 }) ?? true {
            let page = min(Int64(1_000), left ?? 1_000)
            var parameters = [("after", String(after)), ("limit", String(page))]
            if let sha = query.sha { parameters.append(("sha", sha)) }
            if let type = query.type { parameters.append(("type", type)) }
            if let stream = query.stream { parameters.append(("stream", stream)) }
            if let upTo = query.upToPosition { parameters.append(("upTo", String(upTo))) }
            let answer = try client.json("GET", "/v1/events", query: parameters)
            guard case .array(let events)? = answer["events"] else { throw LedgerWire.failure("events") }
            for json in events {
                let event = try LedgerWire.event(json)
                if !body(event) { return }
                after = event.position
            }
            guard answer["next"]?.intValue != nil, Int64(events.count) == page else { return }
            left = left.map { $0 - Int64(events.count) }
        }
    }

    func verify(anchor: ChainHead?) throws(LedgerError) -> VerificationReport {
        let query = anchor.map { [("anchor", "\($0.position):\($0.hash)")] } ?? []
        return try LedgerWire.report(try client.json("GET", "/v1/ledger/verify", query: query))
    }

    func readModelProblem() throws(LedgerError) -> String? {
        try client.json("GET", "/v1/ledger/read-model-problem")["problem"]?.stringValue
    }

    func foldAll() throws(LedgerError) -> LedgerFold {
        var fold = LedgerFold()
        var unreadable: LedgerError?
        try forEachEvent(EventQuery()) { event in
            do throws(LedgerError) { try fold.apply(event) } catch {
                unreadable = error
                return false
            }
            return true
        }
        if let unreadable { throw unreadable }
        return fold
    }

    // MARK: State

    func candidate(_ sha: String) throws(LedgerError) -> CandidateState? {
        try candidateState(sha, view: "rules")
    }

    func candidateHistory(_ sha: String) throws(LedgerError) -> CandidateState? {
        try candidateState(sha, view: "history")
    }

    private func candidateState(_ sha: String, view: String) throws(LedgerError) -> CandidateState? {
        let answer = try client.json(
            "GET", "/v1/ledger/candidates/" + ServerClient.percentEncoded(sha), query: [("view", view)])
        return try LedgerWire.optional(answer["candidate"]) { (json) throws(LedgerError) in
            try LedgerWire.candidate(json)
        }
    }

    func production() throws(LedgerError) -> ProductionState {
        try LedgerWire.production(try client.json("GET", "/v1/ledger/production"))
    }

    func candidateSHAs() throws(LedgerError) -> [String] {
        guard case .array(let shas)? = try client.json("GET", "/v1/ledger/candidates")["shas"] else {
            throw LedgerWire.failure("SHA list")
        }
        return shas.compactMap(\.stringValue)
    }

    // MARK: Runs

    func runs(_ filter: RunFilter) throws(LedgerError) -> [RunSummary] {
        try runList(try client.json("GET", "/v1/ledger/runs", query: LedgerWire.encode(filter)))
    }

    func latestDecisions(limit: Int) throws(LedgerError) -> [RunSummary] {
        try runList(try client.json("GET", "/v1/ledger/latest-decisions", query: [("limit", String(limit))]))
    }

    func liveRun(atOrBeforePosition position: Int64) throws(LedgerError) -> RunSummary? {
        let answer = try client.json("GET", "/v1/ledger/live-run", query: [("position", String(max(0, position)))])
        return try LedgerWire.optional(answer["run"]) { (json) throws(LedgerError) in try LedgerWire.run(json) }
    }

    func openRun(atPosition position: Int64) throws(LedgerError) -> RunSummary? {
        let answer = try client.json("GET", "/v1/ledger/open-run", query: [("position", String(max(0, position)))])
        return try LedgerWire.optional(answer["run"]) { (json) throws(LedgerError) in try LedgerWire.run(json) }
    }

    func lastPosition(atOrBefore time: Timestamp) throws(LedgerError) -> Int64 {
        try LedgerWire.int64(
            try client.json("GET", "/v1/ledger/last-position", query: [("time", time.description)])["position"],
            "position")
    }

    func serving(atOrBeforePosition position: Int64) throws(LedgerError) -> [ServingApp] {
        let answer = try client.json("GET", "/v1/ledger/serving", query: [("position", String(max(0, position)))])
        guard case .array(let apps)? = answer["serving"] else { throw LedgerWire.failure("serving list") }
        return try apps.map { (json) throws(LedgerError) in try LedgerWire.servingApp(json) }
    }

    func runNumber(of sha: String, at position: Int64) throws(LedgerError) -> Int? {
        try candidateHistory(sha)?.runs.last { $0.opened.position <= position }?.number
    }

    func artifacts(of sha: String, run: Int?, checkingReadModel: Bool) throws(LedgerError) -> [Artifacts.File] {
        if checkingReadModel, let problem = try readModelProblem() {
            throw .integrity(
                "\(location): the read model differs from the events: \(problem); run `release-ledger rebuild`",
                firstBadPosition: nil)
        }
        let answer = try client.json(
            "GET", "/v1/candidates/" + ServerClient.percentEncoded(sha) + "/artifacts",
            query: run.map { [("run", String($0))] } ?? [])
        guard case .array(let files)? = answer["files"] else { throw LedgerWire.failure("artifact list") }
        return try files.map { (json) throws(LedgerError) in try LedgerWire.artifact(json) }
    }

    private func runList(_ answer: JSONValue) throws(LedgerError) -> [RunSummary] {
        guard case .array(let runs)? = answer["runs"] else { throw LedgerWire.failure("run list") }
        return try runs.map { (json) throws(LedgerError) in try LedgerWire.run(json) }
    }
}
