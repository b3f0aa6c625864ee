import CLibcurl
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// Speaks HTTP(S) to a `release-ledger serve`, through libcurl loaded at run time (only when a
/// server URL is set, so a local CI step never pays for it). Transient failures (no connection,
/// a dropped one, a timeout, 503 busy) are retried with backoff until the busy timeout; appends
/// carry their event id from the first try, so a retry of something already recorded comes back
/// "already recorded".
final class ServerClient {
    struct Response {
        var status: Int
        var body: [UInt8]
        var contentType: String
        var retryAfterSeconds: Int?

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The server's URL without a trailing slash, e.g. https://ledger.example.com.
    let baseURL: String
    let credential: ServerCredential
    /// A CA bundle for a server certificate the system does not trust (a test's, a private CA).
    let caFile: String?
    /// How long transient failures are retried in all (`--busy-timeout`).
    let retryBudgetMilliseconds: Int
    /// One try's limit: a server that stops answering is given up on and tried again.
    let requestTimeoutMilliseconds: Int

    init(
        baseURL: String, credential: ServerCredential, caFile: String?, retryBudgetMilliseconds: Int,
        requestTimeoutMilliseconds: Int = 30_000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credential = credential
        self.caFile = caFile
        self.retryBudgetMilliseconds = retryBudgetMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
    }

    /// Sends a request, retrying transient failures; a 2xx answer is returned, anything else is
    /// thrown as the `LedgerError` (and so the exit code) the server's problem names.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String = "application/json"
    )
        throws(LedgerError) -> Response
    {
        let url = baseURL + path + Self.queryString(query)
        var headers = ["Accept: application/json", "User-Agent: release-ledger/\(ReleaseLedger.version)"]
        if body != nil { headers.append("Content-Type: \(contentType)") }
        if let bearer = try credential.bearer(client: self) { headers.append("Authorization: Bearer \(bearer)") }
        let deadline = Self.nowMilliseconds() + Int64(retryBudgetMilliseconds)
        var wait: Int64 = 50
        while true {
            let outcome = Self.perform(
                method, url, headers: headers, body: body, timeoutMilliseconds: requestTimeoutMilliseconds,
                caFile: caFile)
            let left = deadline - Self.nowMilliseconds()
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response) where response.status == 503 && left > 0:
                wait = min(max(wait, Int64(response.retryAfterSeconds ?? 0) * 1000), left)
            case .success(let response):
                throw Self.error(from: response)
            case .failure(let failure):
                if failure.loadFailed { throw .storage(failure.message) }
                guard left > 0 else { throw .busy("\(baseURL) did not answer within the busy timeout: \(failure)") }
            }
            // Backoff with jitter, so many clients retrying after one hiccup do not arrive together.
            let jitter = Int64.random(in: 0...(wait / 2))
            usleep(UInt32(min(wait + jitter, max(1, deadline - Self.nowMilliseconds())) * 1000))
            wait = min(wait * 2, 1_000)
        }
    }

    /// A 2xx JSON answer, parsed.
    func json(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil)
        throws(LedgerError) -> JSONValue
    {
        let response = try send(method, path, query: query, body: body.map { Array(CanonicalJSON.encode($0).utf8) })
        do { return try JSONParser.parse(bytes: response.body, field: "response", limits: .internal) } catch {
            throw .storage("\(baseURL)\(path) answered with JSON that does not parse (\(error.rule))")
        }
    }

    // MARK: One try

    static func perform(
        _ method: String, _ url: String, headers: [String], body: [UInt8]?, timeoutMilliseconds: Int, caFile: String?
    ) -> Result<Response, TransportFailure> {
        var raw = rl_http_response()
        let code: Int32 = withCStrings(headers) { headerPointers in
            let bytes = body ?? []
            return bytes.withUnsafeBufferPointer { buffer in
                rl_http_perform(
                    method, url, headerPointers.baseAddress, Int32(headers.count), buffer.baseAddress, buffer.count,
                    timeoutMilliseconds, caFile, &raw)
            }
        }
        defer { rl_http_response_free(&raw) }
        guard code == 0 else {
            let message = withUnsafeBytes(of: raw.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .failure(TransportFailure(message: message, loadFailed: raw.transport_error == -1))
        }
        let body = raw.body.map { Array(UnsafeBufferPointer(start: $0, count: raw.body_length)) } ?? []
        let contentType = withUnsafeBytes(of: raw.content_type) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        let retryAfter = withUnsafeBytes(of: raw.retry_after) {
            Int(String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self))
        }
        return .success(
            Response(status: raw.status, body: body, contentType: contentType, retryAfterSeconds: retryAfter))
    }

    struct TransportFailure: Error, CustomStringConvertible {
        var message: String
        /// libcurl itself could not be loaded: retrying will not help.
        var loadFailed: Bool
        var description: String { message }
    }

    static func withCStrings<T>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer(body)
    }

    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

extension ServerClient {
    /// The server's problem details as the error the command line would have thrown locally, so
    /// the message and the exit code are the same.
    static func error(from response: Response) -> LedgerError {
        let problem = try? JSONParser.parse(bytes: response.body, field: "problem", limits: .internal)
        let detail = problem?["detail"]?.stringValue ?? "the server answered \(response.status)"
        func without(_ prefix: String) -> String {
            detail.hasPrefix(prefix) ? String(detail.dropFirst(prefix.count)) : detail
        }
        let exitCode = problem?["exitCode"]?.intValue ?? (response.status == 401 || response.status == 403 ? 77 : 74)
        switch exitCode {
        case 2:
            let rule = problem?["rule"]?.stringValue ?? "a release rule"
            return .refused(rule: rule, reason: without("refused by \(rule): "))
        case 3: return .conflict(without("conflict: "))
        case 4:
            return .integrity(
                without("integrity check failed: "), firstBadPosition: problem?["firstBadPosition"]?.intValue)
        case 64: return .usage(detail)
        case 65:
            let field = problem?["field"]?.stringValue ?? "input"
            return .invalidInput(field: field, rule: without("\(field): "))
        case 75: return .busy(without("busy: "))
        case 77: return .permission(without("permission denied: "))
        default: return .storage(without("storage error: "))
        }
    }
}
