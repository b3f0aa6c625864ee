import ReleaseLedgerCore
import Testing

/// `StoredJSON` reads fields out of stored text in place; every answer must be the parser's.
@Suite struct StoredJSONTests {
    static func read<T>(_ text: String, _ body: (StoredJSON) -> T) -> T {
        var text = text
        return text.withUTF8 { body(StoredJSON($0)) }
    }

    static let documents = [
        #"{"a":"x","b":true,"c":false,"d":null,"e":12,"f":-1.5e3,"g":[1,"two",{"h":"i"}],"#
            + #""k":{"l":{"m":"deep"}},"n":"quote \" and \\ and \u00e9"}"#,
        #"{ "spaced" : [ 1 , 2 ] , "s" : "v" , "o" : { "p" : "q" } }"#,
        #"{"esc\"aped":"key","":"empty key","unicode":"😀","nested":[[],[{}],{"x":[]}]}"#,
        #"{"gates":[{"name":"acceptance","required":true,"status":"pass"},"#
            + #"{"name":"smoke","required":false,"status":"missing"}]}"#,
        // Long strings and arrays, read eight bytes at a time: escapes and brackets inside
        // strings, at every offset in a word.
        #"{"long":"0123456789\"abc{[}]\\","x":[{"y":"]}\"{["},"zzzzzzzzzzzzzzzz",[[[]]]],"z\\\"":"q","after":1}"#,
        #"{"a":"\\","b":"x\\\\","c":"\"\"\"\"\"\"\"\"\"","d":[{"e":["]]]]]]]]]]"]}],"f":{}}"#,
    ]

    @Test(arguments: documents)
    func everyMemberReadsAsTheParserReadsIt(_ text: String) throws {
        let parsed = try JSONParser.parse(text)
        try Self.compare(parsed, text)
    }

    static func compare(_ parsed: JSONValue, _ text: String) throws {
        Self.read(text) { stored in
            #expect(stored.stringValue == parsed.stringValue)
            #expect(stored.boolValue == parsed.boolValue)
            #expect(stored.intValue == parsed.intValue)
            #expect(stored.doubleValue == parsed.doubleValue)
            #expect(stored.arrayElements?.count == parsed.arrayValue?.count)
            #expect(stored["no such key"] == nil)
        }
        if case .object(let object) = parsed {
            for (key, value) in object {
                let member = Self.read(text) { $0[key].map { String(decoding: $0.bytes, as: UTF8.self) } }
                let text = try #require(member, "\(key) not found")
                try compare(value, text)
            }
        }
        if case .array(let elements) = parsed {
            let texts = Self.read(text) { $0.arrayElements?.map { String(decoding: $0.bytes, as: UTF8.self) } } ?? []
            #expect(texts.count == elements.count)
            for (element, text) in zip(elements, texts) { try compare(element, text) }
        }
    }

    @Test func theContentHashOfCanonicalTextIsTheValuesContentHash() throws {
        let value = try JSONParser.parse(Self.documents[0])
        let canonical = CanonicalJSON.encode(value)
        #expect(Self.read(canonical) { $0.contentHash } == value.contentHash)
    }

    /// Damaged text gives nil, never a crash or a read past the end.
    @Test(arguments: [
        #"{"a":"#, #"{"a":"unterminated"#, #"{"a" 1}"#, #"{"a":[1,2"#, #"["#, #"""#, "", #"{"a":"x"#, #"{"a":1,}"#,
        #"{"a":"0123456789abcdef\"#, #"{"a":[{"b":"xxxxxxxxxxxxxxxxxxxxx"}"#, #"{"a":[[[[[[[[[[[[[[[[]]]]]]]"#,
    ])
    func malformedTextGivesNothing(_ text: String) {
        Self.read(text) { stored in
            _ = stored["a"]?.stringValue
            _ = stored["b"]
            _ = stored.arrayElements
            _ = stored.stringValue
        }
        #expect(Self.read(text) { $0["a"]?.stringValue } == nil || text == #"{"a":"x"#)
    }
}

/// A payload that no longer reads as its type names the field, however deep, from the parsed
/// value and from stored text alike (the path is spelled out only for the problem).
@Suite struct PayloadDecodingPathTests {
    static let cases: [(text: String, type: EventType, field: String)] = [
        (
            #"{"decision":"NO","gates":[{"name":"a","required":true,"status":"passed"},"#
                + #"{"name":"b","required":true,"status":"bogus"}],"reason":"r"}"#,
            .verdictRecorded, "data.gates[1].status"
        ),
        (
            #"{"evidence":[{"name":"n","url":"u"},{"name":"n"}],"verdict":"YES"}"#, .acceptanceRecorded,
            "data.evidence[1].url"
        ),
        (
            #"{"images":{"web":"w"},"migrationRequired":false,"#
                + #""scopes":{"identity":false,"infra":false,"runtime":true}}"#,
            .candidateFrozen, "data.images.api"
        ),
    ]

    @Test(arguments: 0..<cases.count)
    func aBadFieldIsNamedByItsPath(_ index: Int) throws {
        let (text, type, field) = Self.cases[index]
        let parsed = try JSONParser.parse(text)
        #expect(
            Self.problem { () throws(PayloadDecodingError) in try ReleaseEvent(type: type, decoding: parsed) } == field)
        StoredJSONTests.read(text) { stored in
            #expect(
                Self.problem { () throws(PayloadDecodingError) in try ReleaseEvent(type: type, decoding: stored) }
                    == field)
        }
    }

    /// The field a decoder refuses; nil when it reads the payload.
    static func problem(_ decode: () throws(PayloadDecodingError) -> ReleaseEvent) -> String? {
        do {
            _ = try decode()
            return nil
        } catch { return error.field }
    }
}
