/// How the values a `Ledger` answers travel between `release-ledger serve` and its clients: one
/// JSON form each, encoded by the server and decoded by the client with the same code here.
/// A value that does not decode is a server speaking another version: `.storage` (exit 74).
public enum LedgerWire {
    public static func failure(_ what: String) -> LedgerError {
        .storage("the server's answer has no valid \(what); is it the same release-ledger version?")
    }

    public static func int64(_ value: JSONValue?, _ what: String) throws(LedgerError) -> Int64 {
        guard let number = value?.intValue else { throw failure(what) }
        return number
    }

    public static func string(_ value: JSONValue?, _ what: String) throws(LedgerError) -> String {
        guard let text = value?.stringValue else { throw failure(what) }
        return text
    }

    public static func time(_ value: JSONValue?, _ what: String) throws(LedgerError) -> Timestamp {
        guard let text = value?.stringValue, let time = Timestamp(rfc3339: text) else { throw failure(what) }
        return time
    }

    public static func optional<T>(_ value: JSONValue?, _ decode: (JSONValue) throws(LedgerError) -> T)
        throws(LedgerError) -> T?
    {
        guard let value, value != .null else { return nil }
        return try decode(value)
    }

    // MARK: The chain

    public static func encode(_ head: ChainHead) -> JSONValue {
        ["position": .number(.integer(head.position)), "hash": .string(head.hash)]
    }

    public static func head(_ json: JSONValue) throws(LedgerError) -> ChainHead {
        ChainHead(position: try int64(json["position"], "head"), hash: try string(json["hash"], "head"))
    }

    /// An event as `events` prints it (`RecordedEvent.json`), read back to the stored texts:
    /// canonical JSON encodes one way, so the texts and the hash are the server's.
    public static func event(_ json: JSONValue) throws(LedgerError) -> RecordedEvent {
        guard let data = json["data"], let metadata = json["metadata"] else { throw failure("event") }
        return RecordedEvent(
            position: try int64(json["position"], "event"), id: try string(json["id"], "event"),
            stream: try string(json["stream"], "event"),
            version: try int64(json["version"], "event"), type: try string(json["type"], "event"),
            typeVersion: Int(try int64(json["typeVersion"], "event")), sha: try string(json["sha"], "event"),
            data: CanonicalJSON.encode(data), metadata: CanonicalJSON.encode(metadata),
            recordedAt: try time(json["recordedAt"], "event"),
            previousHash: try string(json["previousHash"], "event"), hash: try string(json["hash"], "event"),
            chainVersion: Int(json["chainVersion"]?.intValue ?? 1))
    }

    /// What `append --json` prints for one event.
    public static func encode(_ receipt: AppendReceipt) -> JSONValue {
        [
            "status": .string(receipt.status.rawValue), "position": .number(.integer(receipt.position)),
            "id": .string(receipt.id),
            "stream": .string(receipt.stream), "version": .number(.integer(receipt.version)),
            "type": .string(receipt.type),
            "sha": .string(receipt.sha), "recordedAt": .string(receipt.recordedAt.description),
            "hash": .string(receipt.hash),
        ]
    }

    /// A receipt read back; its event carries the receipt's fields only (no payload).
    public static func receipt(_ json: JSONValue) throws(LedgerError) -> AppendReceipt {
        guard let status = json["status"]?.stringValue.flatMap(AppendReceipt.Status.init(rawValue:)) else {
            throw failure("receipt")
        }
        let event = RecordedEvent(
            position: try int64(json["position"], "receipt"), id: try string(json["id"], "receipt"),
            stream: try string(json["stream"], "receipt"),
            version: try int64(json["version"], "receipt"), type: try string(json["type"], "receipt"),
            typeVersion: EventType(rawValue: try string(json["type"], "receipt"))?.schemaVersion ?? 1,
            sha: try string(json["sha"], "receipt"),
            data: "{}", metadata: "{}", recordedAt: try time(json["recordedAt"], "receipt"), previousHash: "",
            hash: try string(json["hash"], "receipt"))
        return AppendReceipt(status: status, event: event)
    }

    public static func encode(_ report: VerificationReport) -> JSONValue {
        [
            "eventCount": .number(.integer(report.eventCount)), "head": encode(report.head),
            "firstBadPosition": report.firstBadPosition.map { .number(.integer($0)) } ?? .null,
            "problem": .optionalString(report.problem),
        ]
    }

    public static func report(_ json: JSONValue) throws(LedgerError) -> VerificationReport {
        guard let headJSON = json["head"] else { throw failure("verification report") }
        return VerificationReport(
            eventCount: try int64(json["eventCount"], "verification report"), head: try head(headJSON),
            firstBadPosition: json["firstBadPosition"]?.intValue, problem: json["problem"]?.stringValue)
    }

    // MARK: Runs

    public static func encode(_ run: RunSummary) -> JSONValue {
        [
            "sha": .string(run.sha), "run": .int(run.run), "kind": .string(run.kind.rawValue),
            "replaces": .optionalString(run.replaces),
            "openedAt": .string(run.openedAt.description), "openedPosition": .number(.integer(run.openedPosition)),
            "decision": .optionalString(run.decision?.rawValue),
            "decidedAt": .optionalString(run.decidedAt?.description),
            "decidedPosition": run.decidedPosition.map { .number(.integer($0)) } ?? .null,
            "actor": .optionalString(run.actor),
        ]
    }

    public static func run(_ json: JSONValue) throws(LedgerError) -> RunSummary {
        guard let kind = json["kind"]?.stringValue.flatMap(RunKind.init(rawValue:)) else { throw failure("run") }
        return RunSummary(
            sha: try string(json["sha"], "run"), run: Int(try int64(json["run"], "run")), kind: kind,
            replaces: json["replaces"]?.stringValue,
            openedAt: try time(json["openedAt"], "run"), openedPosition: try int64(json["openedPosition"], "run"),
            decision: try optional(json["decision"]) { (v) throws(LedgerError) in
                guard let decision = v.stringValue.flatMap(Decision.init(rawValue:)) else { throw failure("run") }
                return decision
            },
            decidedAt: try optional(json["decidedAt"]) { (v) throws(LedgerError) in try time(v, "run") },
            decidedPosition: json["decidedPosition"]?.intValue, actor: json["actor"]?.stringValue)
    }

    public static func encode(_ app: ServingApp) -> JSONValue {
        [
            "app": .string(app.app), "image": .string(app.image), "sha": .string(app.sha),
            "run": app.run.map { .int($0) } ?? .null,
            "at": .string(app.at.description), "position": .number(.integer(app.position)),
        ]
    }

    public static func servingApp(_ json: JSONValue) throws(LedgerError) -> ServingApp {
        ServingApp(
            app: try string(json["app"], "serving app"), image: try string(json["image"], "serving app"),
            sha: try string(json["sha"], "serving app"),
            run: json["run"]?.intValue.map(Int.init), at: try time(json["at"], "serving app"),
            position: try int64(json["position"], "serving app"))
    }

    // MARK: State

    public static func candidate(_ json: JSONValue) throws(LedgerError) -> CandidateState {
        do { return try CandidateState(json: json) } catch { throw failure("candidate state") }
    }

    public static func production(_ json: JSONValue) throws(LedgerError) -> ProductionState {
        do { return try ProductionState(json: json) } catch { throw failure("production state") }
    }

    public static func encode(_ file: Artifacts.File) throws(LedgerError) -> JSONValue {
        ["path": .string(file.path), "content": try file.content()]
    }

    public static func artifact(_ json: JSONValue) throws(LedgerError) -> Artifacts.File {
        guard let content = json["content"] else { throw failure("artifact") }
        return Artifacts.File(path: try string(json["path"], "artifact"), content: content)
    }

    public static func encode(_ filter: RunFilter) -> [(String, String)] {
        var query: [(String, String)] = []
        if let sha = filter.sha { query.append(("sha", sha)) }
        if let since = filter.since { query.append(("since", since.description)) }
        if let until = filter.until { query.append(("until", until.description)) }
        if let decision = filter.decision { query.append(("decision", decision)) }
        if let kind = filter.kind { query.append(("kind", kind.rawValue)) }
        if let limit = filter.limit { query.append(("limit", String(limit))) }
        if filter.includeAcceptanceRefusals { query.append(("includeAcceptanceRefusals", "true")) }
        return query
    }

    public static func runFilter(_ query: (String) -> String?) throws(LedgerError) -> RunFilter {
        func time(_ name: String) throws(LedgerError) -> Timestamp? {
            guard let text = query(name) else { return nil }
            guard let time = Timestamp(rfc3339: text, allowDateOnly: true) else {
                throw .usage("\(name) must be an RFC 3339 time")
            }
            return time
        }
        var kind: RunKind?
        if let text = query("kind") {
            guard let parsed = RunKind(rawValue: text) else {
                throw .usage("kind must be promotion, replay, rollback or acceptance")
            }
            kind = parsed
        }
        var limit: Int?
        if let text = query("limit") {
            guard let parsed = Int(text), parsed >= 0 else { throw .usage("limit must be 0 or more") }
            limit = parsed
        }
        if let decision = query("decision"), !["YES", "NO", "PENDING"].contains(decision) {
            throw .usage("decision must be YES, NO or PENDING")
        }
        return RunFilter(
            sha: query("sha"), since: try time("since"), until: try time("until"), decision: query("decision"),
            kind: kind, limit: limit,
            includeAcceptanceRefusals: query("includeAcceptanceRefusals") == "true")
    }
}
