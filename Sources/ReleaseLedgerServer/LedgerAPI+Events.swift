import Hummingbird
import NIOCore
import ReleaseLedgerCore

extension LedgerAPI {
    /// A page of events beyond `after` (the cursor), or with `Accept: application/x-ndjson` every
    /// matching event as JSON Lines, streamed a page at a time (what `release-ledger events` prints).
    func events(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try Access.requireRead(context)
        let parameters = request.uri.queryParameters
        func number(_ name: String, minimum: Int64) throws(ProblemDetails) -> Int64? {
            guard let text = parameters[Substring(name)] else { return nil }
            guard let value = Int64(text), value >= minimum else {
                throw ProblemDetails(kind: .usage, detail: "\(name) must be a whole number, \(minimum) or more")
            }
            return value
        }
        let after = try number("after", minimum: 0) ?? 0
        let limit = try number("limit", minimum: 1)
        var query = EventQuery(afterPosition: after, upToPosition: try number("upTo", minimum: 0))
        query.sha = parameters["sha"].map(String.init)
        query.type = parameters["type"].map(String.init)
        query.stream = parameters["stream"].map(String.init)
        let accept = request.headers[.accept] ?? ""
        if accept.contains("application/x-ndjson") || accept.contains("application/jsonl") {
            return streamEvents(query, limit: limit)
        }
        guard (limit ?? 0) <= Self.maxPage else {
            throw ProblemDetails(kind: .usage, detail: "limit must be at most \(Self.maxPage)")
        }
        query.limit = Int(limit ?? Int64(Self.defaultPage))
        let pageQuery = query
        let page = try await stores.read { store throws(LedgerError) in try store.events(pageQuery) }
        let next: JSONValue = page.count == query.limit ? .number(.integer(page.last!.position)) : .null
        var events: [JSONValue] = []
        for event in page { events.append(try event.json) }
        let body = CanonicalJSON.encode(["events": .array(events), "next": next])
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let defaultPage = 1_000
    static let maxPage = 10_000

    private func streamEvents(_ query: EventQuery, limit: Int64?) -> Response {
        let stores = stores
        let body = ResponseBody { writer in
            var cursor = query.afterPosition
            var left = limit ?? Int64.max
            while left > 0 {
                var pageQuery = query
                pageQuery.afterPosition = cursor
                pageQuery.limit = Int(min(Int64(Self.defaultPage), left))
                let thisPage = pageQuery
                let page = try await stores.read { store throws(LedgerError) in try store.events(thisPage) }
                var buffer = ByteBuffer()
                for event in page { buffer.writeString(CanonicalJSON.encode(try event.json) + "\n") }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                guard let last = page.last, page.count == pageQuery.limit else { break }
                cursor = last.position
                left -= Int64(page.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }
}
