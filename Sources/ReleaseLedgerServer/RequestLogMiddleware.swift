import HTTPTypes
import Hummingbird
import Logging
import ReleaseLedgerCore

/// Gives each request an id, logs one structured line per request (never a header value or a
/// body: tokens and payloads stay out of logs), records its latency, and turns every error into
/// a problem details response.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let given = request.headers[.requestID].flatMap { id in
            id.utf8.count <= 64 && id.utf8.allSatisfy { (0x21...0x7E).contains($0) } ? id : nil
        }
        context.requestID = given ?? RandomUUIDGenerator().next()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as ProblemDetails {
            response = problem.response(requestID: nil)
        } catch let failure as AccessFailure {
            response = failure.problem.response(requestID: nil)
        } catch let error as LedgerError {
            response = ProblemDetails(error).response(requestID: nil)
        } catch let error as HTTPResponseError {
            response = Self.problem(for: error.status).response(requestID: nil)
        } catch {
            context.logger.error("request failed", metadata: ["error": .string(String(describing: type(of: error)))])
            response = ProblemDetails(kind: .storage, detail: "the server failed to answer").response(requestID: nil)
        }
        response.headers[.requestID] = context.requestID
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.request(
            route: route, method: request.method.rawValue, status: Int(response.status.code), duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(Double(duration.components.attoseconds / 1_000_000_000_000) / 1000),
            ])
        return response
    }

    /// Hummingbird's own errors (no route, wrong method, body too large) as problems.
    static func problem(for status: HTTPResponse.Status) -> ProblemDetails {
        switch status.code {
        case 404: ProblemDetails(kind: .notFound, detail: "no such resource; the API is described at /v1/openapi.json")
        case 405: ProblemDetails(kind: .usage, detail: "this method is not allowed here; see /v1/openapi.json")
        case 413:
            ProblemDetails(
                kind: .invalidInput, detail: "body: is larger than the limit", extensions: [("field", "body")])
        case 400..<500: ProblemDetails(kind: .invalidInput, detail: "the request is malformed (\(status.code))")
        default: ProblemDetails(kind: .storage, detail: "the server failed to answer (\(status.code))")
        }
    }
}
