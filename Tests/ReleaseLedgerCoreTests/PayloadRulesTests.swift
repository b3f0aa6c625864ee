import EventStoreConformance
import ReleaseLedgerCore
import Testing

/// The append engine holds every payload to the strict parser's rules, however it was built.
@Suite struct PayloadRulesTests {
    static let refused: [(String, JSONValue, String)] = [
        ("a control character", ["text": "bell\u{07}"], "data.text: contains control character U+0007"),
        ("NUL in a key", .object(JSONObject([("k\u{0}", "v")])), "a key of data: contains control character U+0000"),
        (
            "a string over 64 KiB", ["text": .string(String(repeating: "x", count: 65_537))],
            "data.text: has a string longer than the limit of 65536 bytes"
        ),
        (
            "an integer beyond 2^53", ["n": .number(.integer(9_007_199_254_740_992))],
            "data.n: is an integer outside the exact range of I-JSON"
        ),
        ("an infinite double", ["n": .number(.double(.infinity))], "data.n: is a number out of range"),
        ("NaN", ["list": [.number(.double(.nan))]], "data.list[0]: is a number out of range"),
        (
            "nesting past 64", (0..<64).reduce(JSONValue.object(JSONObject())) { inner, _ in ["a": inner] },
            "nests deeper than the limit of 64"
        ),
    ]

    func note(_ data: JSONValue) -> ProposedEvent {
        ProposedEvent(
            id: nil, type: "x-note", sha: Fixtures.sha(1), data: data, metadata: EventMetadata(actor: "ci-bot"),
            expectedVersion: .any)
    }

    @Test(arguments: refused.indices)
    func theEngineRefusesABuiltPayloadTheParserWouldRefuse(_ index: Int) {
        let (name, data, expected) = Self.refused[index]
        do {
            try Fixtures.engine().validate([note(data)])
            Issue.record("\(name): accepted")
        } catch {
            guard case .invalidInput(let field, let rule) = error else {
                Issue.record("\(name): \(error)")
                return
            }
            #expect("\(field): \(rule)".contains(expected), "\(name): \(error)")
        }
    }

    @Test func tabsNewlinesAndTheLimitsThemselvesAreAccepted() throws {
        // With the payload object around it, 64 levels: the limit itself.
        let deep = (0..<62).reduce(JSONValue.object(JSONObject())) { inner, _ in ["a": inner] }
        let data: JSONValue = [
            "text": "line\none\ttab\r", "max": .string(String(repeating: "x", count: 65_536)),
            "n": .number(.integer(9_007_199_254_740_991)), "deep": deep,
        ]
        try Fixtures.engine().validate([note(data)])
    }

    @Test func aNonzeroLiteralThatUnderflowsToZeroIsRefused() {
        for text in [#"{"n":1e-400}"#, #"{"n":-2.5e-330}"#, #"{"n":0.0001e-320}"#] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONParser.parse(text, field: "data") }
        }
        for text in [#"{"n":0e-400}"#, #"{"n":-0.0}"#, #"{"n":0.000e5}"#, #"{"n":5e-324}"#] {
            #expect(throws: Never.self, "\(text)") { try JSONParser.parse(text, field: "data") }
        }
    }
}
