import EventStoreConformance
import Foundation
@testable import ReleaseLedgerCLI
import ReleaseLedgerCore
import ReleaseLedgerSQLite
import Testing

/// `export`: a bundle that someone without release-ledger checks with `python3 verify.py`.
@Suite struct ExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs `python3 verify.py` in a bundle.
    static func verify(_ bundle: String) throws -> CommandResult {
        try ExternalProgram.run("/usr/bin/python3", [bundle + "/verify.py"])
    }

    /// A copy of the bundle with `change` applied to its events.jsonl lines and head.json.
    static func tampered(
        _ bundle: String, _ name: String, events change: (inout [String]) -> Void = { _ in },
        head: (String) -> String = { $0 }
    ) throws -> String {
        let copy = bundle + "-" + name
        try FileManager.default.copyItem(atPath: bundle, toPath: copy)
        var lines = try String(contentsOfFile: copy + "/events.jsonl", encoding: .utf8).split(separator: "\n").map(
            String.init)
        change(&lines)
        try (lines.map { $0 + "\n" }.joined()).write(toFile: copy + "/events.jsonl", atomically: true, encoding: .utf8)
        let headText = try String(contentsOfFile: copy + "/head.json", encoding: .utf8)
        try head(headText).write(toFile: copy + "/head.json", atomically: true, encoding: .utf8)
        return copy
    }

    /// Two candidates through production: one released, one refused.
    static func pipeline() -> CLIHarness {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2, browser: "failed")
        return cli
    }

    @Test func anExportVerifiesWithoutTheTool() throws {
        let cli = Self.pipeline()
        #expect(cli.setupFailures.isEmpty)
        let result = cli.run(["export", "--out", "bundle"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let bundle = cli.folder + "/bundle"
        let head = try cli.store().head()
        #expect(result.stdout.contains("exported \(head.position) events, head \(head.position):\(head.hash)"))

        let lines = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(Int64(lines.count) == head.position)
        // Every envelope field, chainVersion included, and the payload as the hashed text.
        let first = try JSONParser.parse(String(lines[0]), field: "line")
        #expect(first["chainVersion"]?.intValue == 2)
        #expect(first["data"]?.stringValue?.hasPrefix("{") == true)
        let headJSON = try JSONParser.parse(
            String(contentsOfFile: bundle + "/head.json", encoding: .utf8), field: "head")
        #expect(headJSON["position"]?.intValue == head.position && headJSON["hash"]?.stringValue == head.hash)

        // The artifacts are byte for byte what `materialize --all` writes.
        #expect(cli.run(["materialize", "--all", "--out", "materialized"]).exitCode == 0)
        let written = try FileManager.default.subpathsOfDirectory(atPath: cli.folder + "/materialized").sorted()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: bundle + "/artifacts").sorted() == written)
        for path in written where path.hasSuffix(".json") {
            #expect(
                FileManager.default.contents(atPath: bundle + "/artifacts/" + path)
                    == FileManager.default.contents(atPath: cli.folder + "/materialized/" + path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: bundle + "/schemas/events").count == 12)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bundle + "/schemas/artifacts").count == 9)
        #expect(FileManager.default.fileExists(atPath: bundle + "/VERIFY.md"))

        let verified = try Self.verify(bundle)
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout == "OK: \(head.position) events, chain intact, head \(head.position):\(head.hash)\n")
    }

    @Test func aTamperedExportFailsAtTheChangedPosition() throws {
        let cli = Self.pipeline()
        #expect(cli.run(["export", "--out", "bundle"]).exitCode == 0)
        let bundle = cli.folder + "/bundle"
        let last = try cli.store().head().position

        // One byte of a payload: the deploy of api at position 7 names another digest.
        let payload = try Self.tampered(
            bundle, "payload",
            events: { lines in
                let line = lines[6]
                #expect(line.contains(#"\"app\":\"api\""#))
                let index = line.range(of: "@sha256:")!.upperBound
                let digit = line[index] == "0" ? "1" : "0"
                lines[6] = line.replacingCharacters(in: index...index, with: digit)
            })
        let changed = try Self.verify(payload)
        #expect(changed.exitCode == 1)
        #expect(
            changed.stdout.hasPrefix("BAD: position 7: the event's content does not match its hash"),
            "\(changed.stdout)")

        let dropped = try Self.verify(try Self.tampered(bundle, "dropped", events: { $0.removeLast() }))
        #expect(dropped.exitCode == 1)
        #expect(dropped.stdout.hasPrefix("BAD: position \(last): events are missing at the end"), "\(dropped.stdout)")

        let middle = try Self.verify(try Self.tampered(bundle, "middle", events: { $0.remove(at: 3) }))
        #expect(middle.exitCode == 1)
        #expect(middle.stdout.hasPrefix("BAD: position 4: expected position 4, found 5"), "\(middle.stdout)")

        let head = try Self.verify(
            try Self.tampered(
                bundle, "head", head: { $0.replacingOccurrences(of: "\"hash\": \"", with: "\"hash\": \"f") }))
        #expect(head.exitCode == 1)
        #expect(head.stdout.hasPrefix("BAD: position \(last): head.json does not match the events"), "\(head.stdout)")
    }

    /// Rows written before schema version 3 keep chain version 1; verify.py checks both layouts.
    @Test func bothChainVersionsVerify() throws {
        let cli = CLIHarness()
        try FileManager.default.createDirectory(
            atPath: cli.folder + "/.release-ledger", withIntermediateDirectories: true)
        do {
            var options = SQLiteEventStore.Options()
            options.create = true
            let old = try SQLiteEventStore(
                path: cli.defaultLedger, engine: AppendEngine(clock: FixedClock(Fixtures.start), chainVersion: 1),
                options: options)
            _ = try old.append(Fixtures.cleanPromotion(1))
            // Text that JSON escapes, in both the payload and the envelope's strings.
            _ = try old.append([
                Fixtures.note(1, "a \"quote\", a \\ backslash,\na newline, a\ttab and é ✓", id: "note \"quoted\" \\ é")
            ])
        }
        cli.prepare(2)
        cli.promote(2)
        #expect(cli.setupFailures.isEmpty)
        #expect(cli.run(["export", "--out", "bundle"]).exitCode == 0)
        let bundle = cli.folder + "/bundle"
        let versions = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8).split(separator: "\n").map
        {
            try JSONParser.parse(String($0), field: "line")["chainVersion"]?.intValue
        }
        let oldCount = Fixtures.cleanPromotion(1).count + 1
        #expect(
            versions == Array(repeating: 1, count: oldCount) + Array(repeating: 2, count: versions.count - oldCount))
        let verified = try Self.verify(bundle)
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")

        // A version-1 row changed, and a version-2 row moved back to version 1.
        let note = try Self.verify(
            try Self.tampered(
                bundle, "note",
                events: { lines in
                    lines[oldCount - 1] = lines[oldCount - 1].replacingOccurrences(of: "tab", with: "tub")
                }))
        #expect(note.stdout.hasPrefix("BAD: position \(oldCount): the event's content"), "\(note.stdout)")
        let downgraded = try Self.verify(
            try Self.tampered(
                bundle, "downgraded",
                events: { lines in
                    lines[oldCount] = lines[oldCount].replacingOccurrences(
                        of: "\"chainVersion\":2", with: "\"chainVersion\":1")
                }))
        #expect(downgraded.exitCode == 1)
        #expect(
            downgraded.stdout.hasPrefix("BAD: position \(oldCount + 1): the event's content"), "\(downgraded.stdout)")
    }

    @Test func anExportNeedsAnEmptyFolder() throws {
        let cli = Self.pipeline()
        try FileManager.default.createDirectory(atPath: cli.folder + "/bundle", withIntermediateDirectories: true)
        try "old".write(toFile: cli.folder + "/bundle/events.jsonl", atomically: true, encoding: .utf8)
        let result = cli.run(["export", "--out", "bundle"])
        #expect(result.exitCode == 64)
        #expect(result.stderr == "release-ledger: error: --out bundle is not empty; export writes a new folder\n")
        #expect(cli.run(["export"]).exitCode == 64)
    }

    @Test func anEmptyLedgerExportsAnEmptyChain() throws {
        let cli = CLIHarness()
        #expect(cli.run(["init"]).exitCode == 0)
        #expect(cli.run(["export", "--out", "bundle"]).exitCode == 0)
        let verified = try Self.verify(cli.folder + "/bundle")
        #expect(
            verified.stdout == "OK: 0 events, chain intact, head 0:\(ChainHasher.genesisHash)\n",
            "\(verified.stdout)\(verified.stderr)")
    }

    /// A bundle carries every JSON Schema in the repository, as it is on disk: the events' as the
    /// catalog makes them, the artifacts' as compiled in.
    @Test func everySchemaIsInTheBundle() throws {
        var onDisk: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Schema/events")
        where name.hasSuffix(".json") {
            onDisk.append("Schema/events/" + name)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Projections")
        where FileManager.default.fileExists(atPath: "\(Self.root)/Projections/\(name)/schema.json") {
            onDisk.append("Projections/\(name)/schema.json")
        }
        let fix = "run release-ledger schema --write Schema/events, then python3 tools/make-embedded-schemas.py"
        let bundled = Dictionary(uniqueKeysWithValues: ExportCommand.schemas.map { ($0.path, $0.text) })
        #expect(onDisk.sorted() == bundled.keys.sorted(), "\(fix)")
        for path in onDisk {
            #expect(
                try String(contentsOfFile: Self.root + "/" + path, encoding: .utf8) == bundled[path],
                "\(path) is stale: \(fix)")
        }
    }
}
