import Foundation
import ReleaseLedgerCore
import Testing

@testable import ReleaseLedgerCLI

struct SchemaCommandTests {
    @Test func printsTheSchemaOfOneEventType() throws {
        let result = CLIHarness().run(["schema", "deploy.recorded"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == EventSchema.text(of: .deployRecorded))
        let document = try JSONParser.parse(bytes: Array(result.stdout.utf8), field: "stdout")
        #expect(document["properties"]?["app"]?["enum"] == .array([.string("api"), .string("web")]))
    }

    @Test func writesEveryEventTypesSchema() throws {
        let cli = CLIHarness()
        let result = cli.run(["schema", "--write", "out/schemas"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        for type in EventType.allCases {
            let path = "\(cli.folder)/out/schemas/\(EventSchema.fileName(of: type))"
            #expect(try String(contentsOfFile: path, encoding: .utf8) == EventSchema.text(of: type))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder + "/out/schemas").count == 12)
    }

    @Test func anUnknownTypeIsAUsageErrorListingTheTypesOnOneLine() {
        let result = CLIHarness().run(["schema", "deploy.done"])
        #expect(result.exitCode == 64)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("deploy.recorded, smoke.recorded"), "\(result.stderr)")
    }

    @Test func aTypeAndWriteTogetherOrNeitherIsAUsageError() {
        #expect(CLIHarness().run(["schema"]).exitCode == 64)
        #expect(CLIHarness().run(["schema", "deploy.recorded", "--write", "x"]).exitCode == 64)
    }
}
