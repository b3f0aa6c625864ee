import ReleaseLedgerCore
import Testing

@Suite struct CanonicalJSONTests {
    @Test func keysSortByUTF16CodeUnitsAndWhiteSpaceIsDropped() throws {
        let value = try JSONParser.parse(
            #"{ "b" : 1, "a" : [true, null], "\u00e9": "x", "\uE000": 1, "😀": 2, "A": {} }"#)
        // RFC 8785: UTF-16 order puts U+1F600 (surrogates D83D...) before U+E000.
        #expect(CanonicalJSON.encode(value) == #"{"A":{},"a":[true,null],"b":1,"é":"x","😀":2,"\#u{E000}":1}"#)
    }

    @Test func equalDocumentsGiveEqualBytes() throws {
        let a = try JSONParser.parse(#"{"x":1.0,"y":"a\/b","z":[1e2]}"#)
        let b = try JSONParser.parse(#"{"z":[100],"y":"a/b","x":1}"#)
        #expect(CanonicalJSON.encode(a) == CanonicalJSON.encode(b))
    }

    @Test(arguments: [
        (JSONNumber.integer(0), "0"), (.integer(-42), "-42"), (.double(1.5), "1.5"), (.double(1e-7), "1e-7"),
        (.double(2.5e300), "2.5e+300"), (.double(100.0), "100"), (.double(-0.0), "0"),
    ])
    func numbersHaveOneForm(_ number: JSONNumber, _ text: String) {
        #expect(CanonicalJSON.format(number) == text)
    }

    @Test func stringsEscapeOnlyWhatTheyMust() throws {
        let value: JSONValue = .string("quote \" backslash \\ tab \t newline \n é ☃ 😀")
        #expect(CanonicalJSON.encode(value) == #""quote \" backslash \\ tab \t newline \n é ☃ 😀""#)
        #expect(try JSONParser.parse(CanonicalJSON.encode(value)) == value)
    }

    @Test func prettyFormIsIndentedAndEndsWithANewline() {
        let value: JSONValue = ["b": [1, 2], "a": "x"]
        #expect(CanonicalJSON.encodePretty(value) == "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    2\n  ]\n}\n")
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate key"), (#"["\ud800"]"#, "lone surrogate"), (#"["\udc00x"]"#, "lone surrogate"),
        ("[01]", "leading zero"), ("[1,]", "unexpected character"), (#"{"a":1}x"#, "unexpected text"),
        ("[9007199254740993]", "I-JSON"),
        (#"["a\u0000b"]"#, "control character"), ("[\"a\u{01}b\"]", "raw control"), ("", "unexpected end"),
    ])
    func strictParserRefuses(_ text: String, _ rule: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.rule.contains(rule), "\(text): \(error.rule)")
        }
    }

    @Test func invalidUTF8AndDepthAreRefused() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes: [0x22, 0xC3, 0x28, 0x22]) }
        // overlong
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes: [0x22, 0xE0, 0x80, 0x80, 0x22]) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test func timestampsRoundTripInRFC3339() {
        let time = Timestamp(rfc3339: "2026-11-29T19:08:57.123Z")!
        #expect(time.description == "2026-11-29T19:08:57.123Z")
        #expect(Timestamp(rfc3339: "2026-11-29T21:08:57.123+02:00") == time)
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-29 19:08:57Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-29", allowDateOnly: true)?.description == "2026-11-29T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999Z")
    }

    @Test func generatedIDsAreVersion4UUIDs() {
        let generator = RandomUUIDGenerator()
        let ids = (0..<200).map { _ in generator.next() }
        #expect(Set(ids).count == 200)
        for id in ids {
            let parts = id.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12], "\(id)")
            #expect(Array(id)[14] == "4")
            #expect("89ab".contains(Array(id)[19]))
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        }
    }

    /// The eight-bytes-at-a-time scan that lets a string be copied whole must agree with the
    /// byte-by-byte rule (control characters, quote, backslash) wherever the special byte sits.
    @Test func theFastEscapeScanAgreesWithTheByteRule() {
        var generator = SystemRandomNumberGenerator()
        let special: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x1F, 0x22, 0x5C]
        let plain: [UInt8] = [0x20, 0x21, 0x23, 0x41, 0x5B, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        for length in 0..<40 {
            for _ in 0..<60 {
                var bytes = (0..<length).map { _ in plain.randomElement(using: &generator)! }
                if length > 0, Bool.random(using: &generator) {
                    bytes[Int.random(in: 0..<length, using: &generator)] = special.randomElement(using: &generator)!
                }
                let text = String(decoding: bytes, as: UTF8.self)
                var fast = JSONBytes()
                fast.string(text)
                // The reference: escape one scalar at a time.
                var expected = "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": expected += "\\\""
                    case "\\": expected += "\\\\"
                    case "\u{08}": expected += "\\b"
                    case "\u{0C}": expected += "\\f"
                    case "\n": expected += "\\n"
                    case "\r": expected += "\\r"
                    case "\t": expected += "\\t"
                    case _ where scalar.value < 0x20:
                        let hex = String(scalar.value, radix: 16)
                        expected += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    default: expected.unicodeScalars.append(scalar)
                    }
                }
                expected += "\""
                #expect(fast.string == expected, "\(bytes)")
            }
        }
    }

    /// Metadata keeps its values by the index of their key: each property must read its own key.
    @Test func everyMetadataPropertyReadsItsOwnKey() {
        let metadata = EventMetadata(
            actor: "actor", source: "source", runId: "runId", runAttempt: "runAttempt", workflow: "workflow",
            job: "job",
            repository: "repository", correlationId: "correlationId", causationId: "causationId",
            toolVersion: "toolVersion")
        var withWallClock = metadata
        withWallClock.wallClock = "wallClock"
        #expect(withWallClock.wallClock == "wallClock")
        for (key, value) in withWallClock.fields { #expect(value == key) }
        #expect(Array(withWallClock.fields.map(\.0)) == EventMetadata.keys)
        for key in EventMetadata.keys {
            var single = EventMetadata()
            single[key] = "x"
            #expect(single.fields.filter { $0.1 != nil }.map(\.0) == [key])
        }
        #expect(
            metadata.actor == "actor" && metadata.source == "source" && metadata.runId == "runId"
                && metadata.runAttempt == "runAttempt")
        #expect(metadata.workflow == "workflow" && metadata.job == "job" && metadata.repository == "repository")
        #expect(
            metadata.correlationId == "correlationId" && metadata.causationId == "causationId"
                && metadata.toolVersion == "toolVersion")
    }
}
