import HTTPTypes
import Hummingbird
import NIOCore
import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// The `/v1/` routes. Appends go through the one `GroupCommitWriter`; reads open their own
/// read-only connection (WAL lets them run beside the writer) or run the read command in process.
struct LedgerAPI: Sendable {
    let stores: LedgerStores
    let writer: GroupCommitWriter
    let commands: CommandRunner
    let metrics: ServerMetrics
    let limits: ServerLimits

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/healthz") { _, _ in try await health() }
        router.get("/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        router.get("/metrics") { _, context in
            try Access.requireRead(context)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        registerPrimitives(on: router)
        registerTiles(on: router)
        router.post("/v1/events") { request, context in try await append(request, context: context, type: nil) }
        router.get("/v1/events") { request, context in try await events(request, context: context) }
        router.get("/v1/head") { _, context in try await head(context) }
        router.get("/v1/verify") { request, context in
            var arguments = ["verify", "--json"]
            if let anchor = request.uri.queryParameters["anchor"] { arguments.append("--anchor=\(anchor)") }
            if request.uri.queryParameters["chainOnly"] == "true" { arguments.append("--chain-only") }
            return try await command(arguments, request: request, context: context, formats: false)
        }
        router.get("/v1/status") { request, context in
            try await command(["status"] + options(request, ["recent"]), request: request, context: context)
        }
        router.get("/v1/history") { request, context in
            try await command(
                ["history"] + options(request, ["sha", "since", "until", "decision", "kind", "limit"]),
                request: request, context: context)
        }
        router.get("/v1/at") { request, context in
            var arguments = ["at"] + options(request, ["position"])
            if let time = request.uri.queryParameters["time"] { arguments += ["--", String(time)] }
            return try await command(arguments, request: request, context: context)
        }
        router.get("/v1/diff/{first}/{second}") { request, context in
            let first = try context.parameters.require("first")
            let second = try context.parameters.require("second")
            return try await command(["diff", "--", first, second], request: request, context: context)
        }
        router.get("/v1/dora") { request, context in
            try await command(["metrics"] + options(request, ["since", "until"]), request: request, context: context)
        }
        router.get("/v1/candidates/{sha}") { request, context in
            try await command(
                ["show", "--", try context.parameters.require("sha")], request: request, context: context)
        }
        router.get("/v1/candidates/{sha}/artifacts") { request, context in
            try await artifacts(request, context: context, name: nil)
        }
        router.get("/v1/candidates/{sha}/artifacts/{name}") { request, context in
            try await artifacts(request, context: context, name: try context.parameters.require("name"))
        }
        router.post("/v1/candidates/{sha}/{verb}") { request, context in
            let verb = try context.parameters.require("verb")
            guard let type = Self.verbs[verb] else {
                throw ProblemDetails(
                    kind: .notFound,
                    detail: "no pipeline verb \(verb); one of: \(Self.verbs.keys.sorted().joined(separator: ", "))")
            }
            return try await append(request, context: context, type: (type, try context.parameters.require("sha")))
        }
    }

    /// The typed pipeline verbs of the command line and the event each records.
    static let verbs: [String: String] = [
        "freeze": "candidate.frozen", "accept": "acceptance.recorded", "readiness": "readiness.recorded",
        "preflight": "identity.preflight.recorded", "approve": "approval.recorded", "apply": "apply.recorded",
        "migrate": "migration.recorded", "deploy": "deploy.recorded", "smoke": "smoke.recorded",
        "record-deployment": "deployment.recorded", "verdict": "verdict.recorded", "replay": "replay.requested",
        "rollback": "replay.requested",
    ]

    // MARK: Appends

    func append(_ request: Request, context: LedgerRequestContext, type fixed: (type: String, sha: String)?)
        async throws -> Response
    {
        let identity = try Access.identity(context)
        let bytes = try await body(request, limit: limits.input.maxBatchBytes)
        var batch: [ProposedEvent]
        let contentType = request.headers[.contentType] ?? "application/json"
        if fixed == nil, contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/jsonl") {
            batch = try EventRequest.events(fromJSONLines: bytes, limits: limits.input)
        } else {
            var bodyLimits = limits.input
            bodyLimits.maxDocumentBytes = limits.input.maxBatchBytes
            if let fixed {
                batch = [
                    try EventRequest.verbEvent(fromJSON: bytes, type: fixed.type, sha: fixed.sha, limits: bodyLimits)
                ]
            } else {
                batch = try EventRequest.events(fromJSON: bytes, limits: bodyLimits)
            }
        }
        guard !batch.isEmpty else {
            throw ProblemDetails(kind: .invalidInput, detail: "body: has no events", extensions: [("field", "body")])
        }
        // Refused before anything is written: one type the credential may not append refuses the batch.
        for event in batch where !identity.mayAppend(event.type) {
            throw AccessFailure.forbidden("\(identity.subject) may not append \(event.type)")
        }
        batch = batch.map(identity.recording)
        try stores.engine.validate(batch)
        switch await writer.append(batch) {
        case .success(let receipts):
            let recorded = receipts.filter { $0.status == .recorded }.count
            metrics.appended(recorded: recorded, alreadyRecorded: receipts.count - recorded)
            let body = CanonicalJSON.encode(["receipts": .array(receipts.map(LedgerWire.encode))]) + "\n"
            return Response(
                status: recorded > 0 ? .created : .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        case .failure(let error):
            if case .refused(let rule, _) = error { metrics.refused(rule: rule) }
            throw error
        }
    }

    func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ProblemDetails(
                kind: .invalidInput, detail: "body: is over the limit of \(limit) bytes",
                extensions: [("field", "body")])
        }
    }

    // MARK: Reads

    func health() async throws -> Response {
        let head = try await stores.read { store throws(LedgerError) in try store.head() }
        let body: JSONValue = [
            "status": "ok", "head": ["position": .number(.integer(head.position)), "hash": .string(head.hash)],
        ]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: CanonicalJSON.encode(body))))
    }

    func head(_ context: LedgerRequestContext) async throws -> Response {
        try Access.requireRead(context)
        let head = try await stores.read { store throws(LedgerError) in try store.head() }
        let body: JSONValue = ["position": .number(.integer(head.position)), "hash": .string(head.hash)]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: CanonicalJSON.encode(body))))
    }

    /// `?option=value` pairs passed on as `--option=value`, so a value can never be read as another option.
    func options(_ request: Request, _ names: [String]) -> [String] {
        names.compactMap { name in request.uri.queryParameters[Substring(name)].map { "--\(name)=\($0)" } }
    }

    /// Runs a read command; `format` (json, table, markdown) chooses what it prints.
    func command(_ arguments: [String], request: Request, context: LedgerRequestContext, formats: Bool = true)
        async throws -> Response
    {
        try Access.requireRead(context)
        var arguments = arguments
        var contentType = "application/json"
        if formats {
            let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
            guard ["json", "table", "markdown"].contains(format) else {
                throw ProblemDetails(kind: .usage, detail: "format must be json, table or markdown")
            }
            if format != "json" {
                contentType = format == "markdown" ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8"
            }
            // After the subcommand, before any `--`: an option of the command.
            arguments.insert("--format=\(format)", at: 1)
        }
        let output = try await commands.run(arguments)
        guard
            output.exitCode == 0
                || (output.exitCode == 4 && arguments.first == "verify" && !output.standardOutput.isEmpty)
        else {
            throw output.problem
        }
        if output.exitCode == 4 {
            // A ledger that fails verification: the report, with the status of an integrity problem.
            return Response(
                status: .internalServerError, headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(string: output.standardOutput)))
        }
        return Response(
            status: .ok, headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: output.standardOutput)))
    }

    func artifacts(_ request: Request, context: LedgerRequestContext, name: String?) async throws -> Response {
        try Access.requireRead(context)
        let sha = try context.parameters.require("sha")
        let run = try request.uri.queryParameters["run"].map { text throws(ProblemDetails) in
            guard let run = Int(text), run > 0 else {
                throw ProblemDetails(kind: .usage, detail: "run must be a run number (1 or more)")
            }
            return run
        }
        let files = try await stores.read { store throws(LedgerError) -> [Artifacts.File]? in
            guard let candidate = try store.candidateHistory(sha) else { return nil }
            return try Artifacts.files(for: candidate, run: run)
        }
        guard let files else { throw ProblemDetails(kind: .notFound, detail: "no candidate \(sha) in the ledger") }
        if let name {
            guard let file = files.first(where: { $0.path.split(separator: "/").last.map(String.init) == name }) else {
                throw ProblemDetails(kind: .notFound, detail: "no artifact \(name) for \(sha)")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.utf8)))
        }
        var listed: [JSONValue] = []
        for file in files { listed.append(try LedgerWire.encode(file)) }
        let list: JSONValue = ["files": .array(listed)]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: CanonicalJSON.encode(list))))
    }
}
