extension EventReference {
    // Keys in canonical order here and below: JSONObject then has nothing to sort.
    var json: JSONValue {
        ["at": .string(at.description), "hash": .string(hash), "position": .number(.integer(position))]
    }

    init(_ r: JSONReader) throws(StateDecodingError) {
        self.init(position: try r.int("position"), hash: try r.string("hash"), at: try r.timestamp("at"))
    }
}

extension Images {
    var json: JSONValue { ["api": .string(api), "web": .string(web)] }
    init(_ r: JSONReader) throws(StateDecodingError) { self.init(api: try r.string("api"), web: try r.string("web")) }
}

extension Scopes {
    var json: JSONValue {
        [
            "identity": .bool(identity), "infra": .bool(infra),
            "requiresInfraConvergence": .bool(requiresInfraConvergence), "runtime": .bool(runtime),
        ]
    }

    init(_ r: JSONReader) throws(StateDecodingError) {
        self.init(
            runtime: try r.bool("runtime"), infra: try r.bool("infra"), identity: try r.bool("identity"),
            requiresInfraConvergence: try r.bool("requiresInfraConvergence"))
    }
}

extension GateResult {
    init(_ r: JSONReader) throws(StateDecodingError) {
        guard let status = GateStatus(rawValue: try r.string("status")) else {
            throw StateDecodingError(field: "\(r.path).status")
        }
        self.init(name: try r.string("name"), required: try r.bool("required"), status: status)
    }
}

extension EvidenceLink {
    var json: JSONValue { ["name": .string(name), "url": .string(url)] }

    static func list(_ links: [EvidenceLink]) -> JSONValue { .array(links.map(\.json)) }

    static func list(_ r: JSONReader, _ key: String) throws(StateDecodingError) -> [EvidenceLink] {
        guard r.value[key] != nil else { return [] }
        return try r.array(key).map { e throws(StateDecodingError) in
            EvidenceLink(name: try e.string("name"), url: try e.string("url"))
        }
    }
}

extension CandidateState {
    /// The version of the fold that writes this form. A snapshot of another version is not
    /// trusted: the store folds that candidate from its events instead.
    public static let foldVersion: Int64 = 3

    /// The stored form, canonical JSON.
    public var json: JSONValue {
        [
            "acceptance": .optional(acceptance) { a in
                [
                    "contentHash": .string(a.contentHash), "event": a.event.json,
                    "evidence": EvidenceLink.list(a.evidence),
                    "reason": .optionalString(a.reason), "verdict": .string(a.verdict.rawValue),
                ]
            },
            "canary": .optional(canary, Self.readinessJSON),
            "earlierRuns": .int(earlierRuns),
            "foldVersion": .number(.integer(Self.foldVersion)),
            "frozen": .optional(frozen) { f in
                [
                    "contentHash": .string(f.contentHash), "event": f.event.json, "images": f.images.json,
                    "migrationRequired": .bool(f.migrationRequired), "scopes": f.scopes.json,
                ]
            },
            "lastEvent": .optional(lastEvent, \.json),
            "preflight": .optional(preflight) { p in
                [
                    "event": p.event.json, "reason": .string(p.reason), "resolved": .optionalString(p.resolved),
                    "status": .string(p.status.rawValue),
                ]
            },
            "probe": .optional(probe, Self.readinessJSON),
            "runs": .array(runs.map(\.json)),
            "sha": .string(sha),
        ]
    }

    static func readinessJSON(_ r: ReadinessFact) -> JSONValue {
        [
            "event": r.event.json, "fresh": .optional(r.fresh) { .bool($0) },
            "lastGreenAt": .optional(r.lastGreenAt) { .string($0.description) },
            "sloHours": .optional(r.sloHours) { .number(.double($0)) }, "status": .string(r.status.rawValue),
            "target": .optionalString(r.target),
        ]
    }

    static func readiness(_ r: JSONReader) throws(StateDecodingError) -> ReadinessFact {
        ReadinessFact(
            status: try r.domainValue("status"), fresh: r.value["fresh"]?.boolValue,
            lastGreenAt: try r.optionalTimestamp("lastGreenAt"),
            sloHours: r.value["sloHours"]?.doubleValue,
            target: try r.optionalString("target"), event: try EventReference(try r.child("event")))
    }

    public init(json: JSONValue) throws(StateDecodingError) {
        let r = JSONReader(json, "candidate")
        self.init(sha: try r.string("sha"))
        if let f = r.optionalChild("frozen") {
            frozen = FrozenCandidate(
                images: try Images(try f.child("images")), scopes: try Scopes(try f.child("scopes")),
                migrationRequired: try f.bool("migrationRequired"), event: try EventReference(try f.child("event")),
                contentHash: try f.string("contentHash"))
        }
        if let a = r.optionalChild("acceptance") {
            acceptance = AcceptanceFact(
                verdict: try a.domainValue("verdict"), reason: try a.optionalString("reason"),
                evidence: try EvidenceLink.list(a, "evidence"),
                event: try EventReference(try a.child("event")), contentHash: try a.string("contentHash"))
        }
        if let c = r.optionalChild("canary") { canary = try Self.readiness(c) }
        if let p = r.optionalChild("probe") { probe = try Self.readiness(p) }
        if let p = r.optionalChild("preflight") {
            preflight = PreflightFact(
                status: try p.domainValue("status"), resolved: try p.optionalString("resolved"),
                reason: try p.string("reason"),
                event: try EventReference(try p.child("event")))
        }
        for run in try r.array("runs") { runs.append(try RunState(run)) }
        earlierRuns = Int(r.value["earlierRuns"]?.intValue ?? 0)
        if let e = r.optionalChild("lastEvent") { lastEvent = try EventReference(e) }
    }
}

extension RunState {
    // The optional fields are listed here and in `init(_:)` by hand: tables of key paths shared
    // the keys, but every CI step that loads a candidate paid about 0.7 M instructions to create
    // the key paths at run time (callgrind, `approve`). `StrictStateReadingTests` round-trip them.
    var json: JSONValue {
        .object(
            JSONObject(
                [
                    ("replaces", .optionalString(replaces)), ("reason", .optionalString(reason)),
                    ("requestedBy", .optionalString(requestedBy)), ("approver", .optionalString(approver)),
                    ("deploymentId", .optionalString(deploymentId)),
                    ("environmentUrl", .optionalString(environmentUrl)),
                    ("environment", .optionalString(environment)),
                    ("identityApply", .optionalString(identityApply?.rawValue)),
                    ("infraApply", .optionalString(infraApply?.rawValue)),
                    ("migrationImageUpdated", .optionalString(migrationImageUpdated?.rawValue)),
                    ("migrationRan", .optionalString(migrationRan?.rawValue)),
                    ("deployedAPI", .optionalString(deployedAPI?.rawValue)),
                    ("deployedWeb", .optionalString(deployedWeb?.rawValue)),
                    ("apiSmoke", .optionalString(apiSmoke?.rawValue)),
                    ("browserSmoke", .optionalString(browserSmoke?.rawValue)),
                ] + fixedFieldsJSON))
    }

    private var fixedFieldsJSON: [(String, JSONValue)] {
        [
            ("number", .int(number)), ("kind", .string(kind.rawValue)), ("opened", opened.json),
            ("approval", .optionalString(approval?.rawValue)),
            ("approvalRejected", .bool(approvalRejected)),
            ("deploymentRecorded", .bool(deploymentRecorded)), ("forced", .bool(forced)),
            (
                "steps",
                .array(
                    steps.map { s in
                        [
                            "actor": .optionalString(s.actor), "ciRunId": .optionalString(s.ciRunId),
                            "event": s.event.json,
                            "evidence": EvidenceLink.list(s.evidence), "image": .optionalString(s.image),
                            "outcome": .string(s.outcome), "subject": .optionalString(s.subject),
                            "type": .string(s.type),
                        ]
                    })
            ),
            (
                "decision",
                .optional(decision) { d in
                    [
                        "actor": .optionalString(d.actor), "decision": .string(d.decision.rawValue),
                        "event": d.event.json,
                        "gates": .array(d.gates.map(\.json)), "reason": .string(d.reason),
                    ]
                }
            ),
            ("lastEvent", lastEvent.json),
        ]
    }

    init(_ r: JSONReader) throws(StateDecodingError) {
        guard let kind = RunKind(rawValue: try r.string("kind")) else {
            throw StateDecodingError(field: "\(r.path).kind")
        }
        self.init(
            number: Int(try r.int("number")), kind: kind, opened: try EventReference(try r.child("opened")),
            lastEvent: try EventReference(try r.child("lastEvent")))
        replaces = try r.optionalString("replaces")
        reason = try r.optionalString("reason")
        requestedBy = try r.optionalString("requestedBy")
        approver = try r.optionalString("approver")
        deploymentId = try r.optionalString("deploymentId")
        environmentUrl = try r.optionalString("environmentUrl")
        environment = try r.optionalString("environment")
        identityApply = try r.optionalDomainValue("identityApply")
        infraApply = try r.optionalDomainValue("infraApply")
        migrationImageUpdated = try r.optionalDomainValue("migrationImageUpdated")
        migrationRan = try r.optionalDomainValue("migrationRan")
        deployedAPI = try r.optionalDomainValue("deployedAPI")
        deployedWeb = try r.optionalDomainValue("deployedWeb")
        apiSmoke = try r.optionalDomainValue("apiSmoke")
        browserSmoke = try r.optionalDomainValue("browserSmoke")
        approval = try r.optionalDomainValue("approval")
        approvalRejected = try r.bool("approvalRejected")
        deploymentRecorded = try r.bool("deploymentRecorded")
        forced = r.value["forced"]?.boolValue ?? false
        for s in try r.array("steps") {
            steps.append(
                StepRecord(
                    type: try s.string("type"), subject: try s.optionalString("subject"),
                    outcome: try s.string("outcome"),
                    image: try s.optionalString("image"),
                    actor: try s.optionalString("actor"), ciRunId: try s.optionalString("ciRunId"),
                    evidence: try EvidenceLink.list(s, "evidence"),
                    event: try EventReference(try s.child("event"))))
        }
        if let d = r.optionalChild("decision") {
            decision = DecisionFact(
                decision: try d.domainValue("decision"), reason: try d.string("reason"),
                gates: try d.array("gates").map { g throws(StateDecodingError) in try GateResult(g) },
                actor: try d.optionalString("actor"), event: try EventReference(try d.child("event")))
        }
    }
}

extension ProductionState {
    public var json: JSONValue {
        [
            "live": .optional(live) { l in
                [
                    "actor": .optionalString(l.actor), "images": l.images.json,
                    "position": .number(.integer(l.position)),
                    "run": .int(l.run), "sha": .string(l.sha), "since": .string(l.since.description),
                ]
            },
            "openRun": .optional(openRun) { ["run": .int($0.run), "sha": .string($0.sha)] },
        ]
    }

    public init(json: JSONValue) throws(StateDecodingError) {
        let r = JSONReader(json, "production")
        self.init()
        if let o = r.optionalChild("openRun") {
            openRun = RunPointer(sha: try o.string("sha"), run: Int(try o.int("run")))
        }
        if let l = r.optionalChild("live") {
            live = Live(
                sha: try l.string("sha"), run: Int(try l.int("run")), images: try Images(try l.child("images")),
                since: try l.timestamp("since"),
                actor: try l.optionalString("actor"), position: try l.int("position"))
        }
    }
}
