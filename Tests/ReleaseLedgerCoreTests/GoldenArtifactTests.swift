import EventStoreConformance
import ReleaseLedgerCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Folds each golden case's events.jsonl and compares every artifact byte for byte with the
/// files in Projections/<artifact>/cases/<case>/. Run with UPDATE_GOLDEN=1 to rewrite them
/// after a deliberate change (and review the diff).
@Suite struct GoldenArtifactTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    static func caseFolder(_ kind: Artifacts.Kind, _ name: String) -> String {
        "\(root)/Projections/\(kind.rawValue)/cases/\(name)"
    }

    static func fileName(_ kind: Artifacts.Kind) -> String { String(kind.path(for: "x").split(separator: "/").last!) }

    static func fold(_ events: [RecordedEvent]) throws -> (CandidateState, LedgerFold) {
        var fold = LedgerFold()
        for event in events { try fold.apply(event) }
        return (fold.candidates[events.last!.sha]!, fold)
    }

    static func readEvents(_ path: String) throws -> [RecordedEvent] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try RecordedEvent(json: JSONParser.parse(String($0), field: "events.jsonl"))
        }
    }

    @Test(arguments: GoldenScenarios.all.map(\.name))
    func goldenCase(_ name: String) throws {
        let scenario = try #require(GoldenScenarios.all.first { $0.name == name })
        if Self.update {
            let events = try GoldenScenarios.record(scenario)
            let (candidate, _) = try Self.fold(events)
            let files = try Artifacts.files(for: candidate)
            for kind in Artifacts.Kind.allCases {
                guard let file = files.first(where: { $0.path == kind.path(for: candidate.sha) }) else { continue }
                let folder = Self.caseFolder(kind, name)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try events.map { (event) throws(LedgerError) in CanonicalJSON.encode(try event.json) + "\n" }.joined()
                    .write(toFile: folder + "/events.jsonl", atomically: true, encoding: .utf8)
                try file.bytes.write(toFile: folder + "/" + Self.fileName(kind), atomically: true, encoding: .utf8)
            }
        }
        var compared = 0
        for kind in Artifacts.Kind.allCases {
            let folder = Self.caseFolder(kind, name)
            guard FileManager.default.fileExists(atPath: folder + "/events.jsonl") else { continue }
            let events = try Self.readEvents(folder + "/events.jsonl")
            var verifier = ChainVerifier()
            for event in events { verifier.check(event) }
            #expect(verifier.finish(recordedHead: nil).isIntact, "\(folder)/events.jsonl is not an intact chain")
            let (candidate, _) = try Self.fold(events)
            let produced = try #require(
                try Artifacts.files(for: candidate).first { $0.path == kind.path(for: candidate.sha) })
            let expected = try String(contentsOfFile: folder + "/" + Self.fileName(kind), encoding: .utf8)
            let difference =
                (try? JSONParser.parse(expected)).flatMap {
                    Artifacts.firstDifference($0, (try? produced.content()) ?? .null)
                }
                ?? "formatting"
            #expect(produced.bytes == expected, "\(kind.rawValue) of case \(name) differs at \(difference)")
            compared += 1
        }
        #expect(compared >= 3, "case \(name) has golden files for at least manifest, decision and one more artifact")
    }

    @Test func everyCaseFolderHasAScenario() throws {
        for kind in Artifacts.Kind.allCases {
            let folder = "\(Self.root)/Projections/\(kind.rawValue)/cases"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                #expect(GoldenScenarios.all.contains { $0.name == name }, "\(folder)/\(name) has no scenario")
            }
        }
    }

    @Test func recordingAScenarioAgainGivesTheCommittedEvents() throws {
        // The scenarios and the committed inputs must not drift apart silently.
        for scenario in GoldenScenarios.all {
            let folder = Self.caseFolder(.decision, scenario.name)
            let committed = try Self.readEvents(folder + "/events.jsonl")
            #expect(
                try GoldenScenarios.record(scenario) == committed,
                "\(scenario.name): re-run with UPDATE_GOLDEN=1 and review")
        }
    }
}
