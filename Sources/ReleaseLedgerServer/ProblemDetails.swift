import HTTPTypes
import Hummingbird
import ReleaseLedgerCore
import SecretScanning

/// An RFC 9457 problem (`application/problem+json`) carrying the class of failure the command
/// line reports with an exit code, so a client maps it back to the same exit code.
struct ProblemDetails: Error, Sendable {
    /// One row of the table in the README: a class of failure, its exit code and its HTTP status.
    enum Kind: String, Sendable, CaseIterable {
        case ruleRefusal = "rule-refusal"
        case conflict
        case integrity
        case usage
        case invalidInput = "invalid-input"
        case storage
        case busy
        case unauthenticated
        case forbidden
        case notFound = "not-found"

        var exitCode: Int32 {
            switch self {
            case .ruleRefusal: 2
            case .conflict: 3
            case .integrity: 4
            case .usage: 64
            case .invalidInput, .notFound: 65
            case .storage: 74
            case .busy: 75
            case .unauthenticated, .forbidden: 77
            }
        }

        var status: HTTPResponse.Status {
            switch self {
            case .ruleRefusal: .unprocessableContent
            case .conflict: .conflict
            case .integrity, .storage: .internalServerError
            case .usage, .invalidInput: .badRequest
            case .busy: .serviceUnavailable
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            }
        }

        var title: String {
            switch self {
            case .ruleRefusal: "Refused by a release rule"
            case .conflict: "Conflict with what is recorded"
            case .integrity: "Integrity check failed"
            case .usage: "Wrong use of the API"
            case .invalidInput: "Invalid input"
            case .storage: "Storage error"
            case .busy: "Busy: nothing was written, retry"
            case .unauthenticated: "Missing or invalid credential"
            case .forbidden: "The credential's scopes do not allow this"
            case .notFound: "Not found"
            }
        }

        /// `type` of the problem: a URN, so it never looks like a page to fetch.
        var uri: String { "urn:release-ledger:problem:\(rawValue)" }
    }

    var kind: Kind
    var detail: String
    /// Members beside the standard ones: `rule`, `field`, `firstBadPosition`.
    var extensions: [(String, JSONValue)] = []
    /// Seconds a client waits before retrying (busy only).
    var retryAfterSeconds: Int?

    init(kind: Kind, detail: String, extensions: [(String, JSONValue)] = [], retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.extensions = extensions
        self.retryAfterSeconds = retryAfterSeconds
    }

    init(_ error: LedgerError) {
        switch error {
        case .refused(let rule, _):
            self.init(kind: .ruleRefusal, detail: error.description, extensions: [("rule", .string(rule))])
        case .conflict: self.init(kind: .conflict, detail: error.description)
        case .integrity(_, let position):
            self.init(
                kind: .integrity, detail: error.description,
                extensions: position.map { [("firstBadPosition", .number(.integer($0)))] } ?? [])
        case .usage: self.init(kind: .usage, detail: error.description)
        case .invalidInput(let field, _):
            self.init(kind: .invalidInput, detail: error.description, extensions: [("field", .string(field))])
        case .storage: self.init(kind: .storage, detail: error.description)
        case .busy: self.init(kind: .busy, detail: error.description, retryAfterSeconds: 1)
        case .permission: self.init(kind: .forbidden, detail: error.description)
        }
    }

    var json: JSONValue {
        let members: [(String, JSONValue)] = [
            ("type", .string(kind.uri)), ("title", .string(kind.title)), ("status", .int(Int(kind.status.code))),
            // The detail quotes input back: what the scanner takes for a secret is never echoed.
            ("detail", .string(SecretScanner.redactingSecrets(in: detail))), ("exitCode", .int(Int(kind.exitCode))),
        ]
        return .object(JSONObject(members + extensions))
    }

    func response(requestID: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if kind == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"release-ledger\"" }
        if let requestID { headers[.requestID] = requestID }
        return Response(
            status: kind.status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: CanonicalJSON.encode(json) + "\n")))
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
