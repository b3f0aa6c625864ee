import Foundation
import Testing

@testable import ReleaseLedgerCore

/// `Schema/events/*.json` are generated from the payload types (`EventSchema`); these fail while
/// a checked-in file is not what the catalog makes, the way a stale generated file should.
struct EventSchemaFilesTests {
    static let regenerate = "stale: run `swift run release-ledger schema --write Schema/events`"

    @Test(arguments: EventType.allCases)
    func theCheckedInSchemaIsTheGeneratedOne(type: EventType) throws {
        let url = EventSchemas.directory.appendingPathComponent(EventSchema.fileName(of: type))
        let onDisk = try String(contentsOf: url, encoding: .utf8)
        #expect(
            onDisk == EventSchema.text(of: type),
            "Schema/events/\(EventSchema.fileName(of: type)) is \(Self.regenerate)")
    }

    @Test func everySchemaFileHasAnEventType() throws {
        let expected = EventType.allCases.map(EventSchema.fileName(of:)).sorted()
        #expect(try EventSchemas.fileNames() == expected, "Schema/events holds a file no event type makes")
    }

    /// A schema is documentation too: every event says what it records and every field what it means.
    @Test(arguments: EventType.allCases)
    func everyFieldSaysWhatItMeans(type: EventType) {
        #expect(!type.payloadType.summary.isEmpty)
        func undocumented(_ shape: PayloadShape, at path: String) -> [String] {
            switch shape {
            case .object(let fields):
                fields.flatMap { field in
                    (field.description.isEmpty ? [path + "." + field.name] : [])
                        + undocumented(field.shape, at: path + "." + field.name)
                }
            case .array(let element, _): undocumented(element, at: path + "[]")
            default: []
            }
        }
        #expect(undocumented(type.payloadType.shape, at: "data") == [])
    }

    @Test func theGeneratedTextIsJSONThatSaysItIsGenerated() throws {
        for type in EventType.allCases {
            let document = try JSONParser.parse(bytes: Array(EventSchema.text(of: type).utf8), field: "schema")
            #expect(document["$id"]?.stringValue == "https://release-ledger.dev/schema/events/\(type.rawValue)/v1.json")
            #expect(document["$comment"]?.stringValue?.contains("do not edit") == true)
            #expect(document["title"]?.stringValue?.isEmpty == false)
        }
    }

    /// Members keep the order they were written in, and strings are escaped as JSON requires.
    @Test func orderedJSONKeepsOrderAndEscapes() {
        let document: OrderedJSON = ["z": "a\"b\\c\n", "a": [1, true, .null], "m": [:], "e": []]
        #expect(
            document.prettyText == """
                {
                  "z": "a\\"b\\\\c\\n",
                  "a": [
                    1,
                    true,
                    null
                  ],
                  "m": {},
                  "e": []
                }

                """)
    }
}
