import Testing

@testable import ReleaseLedgerCore

/// The artifacts' writer makes the bytes `CanonicalJSON.encodePrettyUTF8` makes of the same
/// value, in the corners an artifact reaches: empty and nested containers, null, escapes.
@Suite struct PrettyJSONWriterTests {
    @Test func writesWhatTheCanonicalEncoderWritesOfTheSameValue() throws {
        var writer = PrettyJSONWriter()
        writer.object {
            $0.array("empty") { _ in }
            $0.object("emptyObject") { _ in }
            $0.array("nested") {
                $0.element()
                $0.array {
                    $0.element()
                    $0.integer(-7)
                }
                $0.element()
                $0.object { $0.field("a", nil as String?) }
            }
            $0.field("quote", "say \"hi\"\\\n\u{1}é")
            $0.key("time")
            $0.string { Timestamp(millisecondsSinceEpoch: 1_764_000_000_123).write(into: &$0) }
            $0.field("yes", true)
        }
        let written = writer.finish()
        let expected: JSONValue = [
            "empty": [], "emptyObject": .object(JSONObject()),
            "nested": [[-7], ["a": .null]],
            "quote": "say \"hi\"\\\n\u{1}é", "time": "2025-11-24T16:00:00.123Z", "yes": true,
        ]
        #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.encodePretty(expected))
    }

    @Test func anEmptyDocumentIsAnEmptyObject() {
        var writer = PrettyJSONWriter()
        writer.object { _ in }
        #expect(writer.finish() == Array("{}\n".utf8))
    }
}
