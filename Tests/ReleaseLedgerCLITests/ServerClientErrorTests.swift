import ReleaseLedgerCore
import Testing

@testable import ReleaseLedgerCLI

/// A server's problem details become the error, and so the message and exit code, the command
/// line gives the same failure locally.
@Suite struct ServerClientErrorTests {
    static func response(_ status: Int, _ problem: String) -> ServerClient.Response {
        ServerClient.Response(
            status: status, body: Array(problem.utf8), contentType: "application/problem+json", retryAfterSeconds: nil)
    }

    @Test(arguments: [
        (
            422, #"{"detail":"refused by rule 4 (x): no","exitCode":2,"rule":"rule 4 (x)"}"#,
            LedgerError.refused(rule: "rule 4 (x)", reason: "no")
        ),
        (
            409, #"{"detail":"conflict: stream s is at version 1","exitCode":3}"#,
            LedgerError.conflict("stream s is at version 1")
        ),
        (
            400, #"{"detail":"sha: must be 40 hex","exitCode":65,"field":"sha"}"#,
            LedgerError.invalidInput(field: "sha", rule: "must be 40 hex")
        ),
        (503, #"{"detail":"busy: retry","exitCode":75}"#, LedgerError.busy("retry")),
        (
            401, #"{"detail":"the request carries no verified credential","exitCode":77}"#,
            LedgerError.permission("the request carries no verified credential")
        ),
    ])
    func aProblemIsTheLocalError(status: Int, problem: String, expected: LedgerError) {
        #expect(ServerClient.error(from: Self.response(status, problem)) == expected)
    }

    @Test func aRefusedCredentialWithoutAProblemBodyStillExits77() {
        #expect(ServerClient.error(from: Self.response(403, "Forbidden")).exitCode == 77)
        #expect(ServerClient.error(from: Self.response(401, "")).exitCode == 77)
    }

    @Test func queryValuesArePercentEncoded() {
        #expect(
            ServerClient.queryString([("time", "2026-12-02T10:00:00Z"), ("sha", "a b&c")])
                == "?time=2026-12-02T10%3A00%3A00Z&sha=a%20b%26c")
    }
}
