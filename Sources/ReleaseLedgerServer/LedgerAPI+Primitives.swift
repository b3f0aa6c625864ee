import Hummingbird
import NIOCore
import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// `/v1/ledger/...`: the `Ledger` protocol's primitives, one route each, in `LedgerWire`'s JSON.
/// The command line's `RemoteLedger` speaks to these; every command's question is built from them.
extension LedgerAPI {
    func registerPrimitives(on router: Router<LedgerRequestContext>) {
        let group = router.group("/v1/ledger")
        group.get("/verify") { request, context in
            let anchor = try request.uri.queryParameters["anchor"].map { text throws(ProblemDetails) in
                try Self.anchor(String(text))
            }
            return try await answer(context) { store throws(LedgerError) in
                LedgerWire.encode(try store.verify(anchor: anchor))
            }
        }
        group.get("/read-model-problem") { _, context in
            try await answer(context) { store throws(LedgerError) in
                ["problem": .optionalString(try store.readModelProblem())]
            }
        }
        group.get("/candidates") { _, context in
            try await answer(context) { store throws(LedgerError) in
                ["shas": .array(try store.candidateSHAs().map { .string($0) })]
            }
        }
        group.get("/candidates/{sha}") { request, context in
            let sha = try context.parameters.require("sha")
            let history = request.uri.queryParameters["view"] == "history"
            return try await answer(context) { store throws(LedgerError) in
                let state = history ? try store.candidateHistory(sha) : try store.candidate(sha)
                return ["candidate": state.map(\.json) ?? .null]
            }
        }
        group.get("/production") { _, context in
            try await answer(context) { store throws(LedgerError) in try store.production().json }
        }
        group.get("/runs") { request, context in
            let filter = try LedgerWire.runFilter { request.uri.queryParameters[Substring($0)].map(String.init) }
            return try await answer(context) { store throws(LedgerError) in
                ["runs": .array(try store.runs(filter).map(LedgerWire.encode))]
            }
        }
        group.get("/latest-decisions") { request, context in
            let limit = try Self.integer(request, "limit") ?? 5
            return try await answer(context) { store throws(LedgerError) in
                ["runs": .array(try store.latestDecisions(limit: Int(limit)).map(LedgerWire.encode))]
            }
        }
        group.get("/live-run") { request, context in
            let asked = try Self.integer(request, "position")
            return try await answer(context) { store throws(LedgerError) in
                let position = try Self.clamped(asked, store)
                return ["run": try store.liveRun(atOrBeforePosition: position).map(LedgerWire.encode) ?? .null]
            }
        }
        group.get("/open-run") { request, context in
            let asked = try Self.integer(request, "position")
            return try await answer(context) { store throws(LedgerError) in
                let position = try Self.clamped(asked, store)
                return ["run": try store.openRun(atPosition: position).map(LedgerWire.encode) ?? .null]
            }
        }
        group.get("/last-position") { request, context in
            guard let text = request.uri.queryParameters["time"], let time = Timestamp(rfc3339: String(text)) else {
                throw ProblemDetails(kind: .usage, detail: "time must be an RFC 3339 time")
            }
            return try await answer(context) { store throws(LedgerError) in
                ["position": .number(.integer(try store.lastPosition(atOrBefore: time)))]
            }
        }
        group.get("/serving") { request, context in
            let asked = try Self.integer(request, "position")
            return try await answer(context) { store throws(LedgerError) in
                let position = try Self.clamped(asked, store)
                return ["serving": .array(try store.serving(atOrBeforePosition: position).map(LedgerWire.encode))]
            }
        }
        group.post("/rebuild") { _, context in
            let identity = try Access.identity(context)
            guard identity.mayAdminister else {
                throw AccessFailure.forbidden("\(identity.subject) may not rebuild (needs the admin scope)")
            }
            let count = try await writer.rebuildReadModel()
            let body = CanonicalJSON.encode(["candidates": .int(count)])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// Runs a read on a read-only connection and answers its JSON.
    func answer(
        _ context: LedgerRequestContext, _ body: @escaping @Sendable (any Ledger) throws(LedgerError) -> JSONValue
    )
        async throws -> Response
    {
        try Access.requireRead(context)
        let json = try await stores.read(body)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: CanonicalJSON.encode(json))))
    }

    static func integer(_ request: Request, _ name: String) throws(ProblemDetails) -> Int64? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw ProblemDetails(kind: .usage, detail: "\(name) must be a whole number, 0 or more")
        }
        return value
    }

    /// A position past the head (or none) means the head: the answer is the same, and no store
    /// query is asked about a position it cannot count past (Int64.max + 1).
    static func clamped(_ position: Int64?, _ store: any Ledger) throws(LedgerError) -> Int64 {
        let head = try store.head().position
        return min(position ?? head, head)
    }

    static func anchor(_ text: String) throws(ProblemDetails) -> ChainHead {
        guard let colon = text.firstIndex(of: ":"), let position = Int64(text[..<colon]), position >= 0 else {
            throw ProblemDetails(kind: .usage, detail: "anchor must be POSITION:HASH")
        }
        return ChainHead(position: position, hash: String(text[text.index(after: colon)...]))
    }
}
