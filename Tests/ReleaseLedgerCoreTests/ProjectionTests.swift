import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

@Suite struct ProjectionTests {
    static let root = GoldenArtifactTests.root

    static func validator(_ kind: Artifacts.Kind) throws -> MiniJSONSchemaValidator {
        let text = try String(contentsOfFile: "\(root)/Projections/\(kind.rawValue)/schema.json", encoding: .utf8)
        return try MiniJSONSchemaValidator(JSONParser.parse(text))
    }

    /// Every artifact of every scenario, for every run, is valid against its schema and names it,
    /// and its bytes (written directly, not encoded from a value) are the canonical indented form
    /// of what they say: sorted keys, one layout.
    @Test(arguments: GoldenScenarios.all.map(\.name))
    func everyArtifactMatchesItsSchema(_ name: String) throws {
        let scenario = try #require(GoldenScenarios.all.first { $0.name == name })
        var fold = LedgerFold()
        for event in try GoldenScenarios.record(scenario) { try fold.apply(event) }
        var checked = 0
        for candidate in fold.candidates.values {
            for run in [nil] + candidate.runs.map(\.number) as [Int?] {
                for file in try Artifacts.files(for: candidate, run: run) {
                    let kind = try #require(Artifacts.Kind.allCases.first { file.path == $0.path(for: candidate.sha) })
                    let content = try file.content()
                    #expect(content["schema"] == .string(kind.schemaID))
                    let errors = try Self.validator(kind).errors(in: content)
                    #expect(errors.isEmpty, "\(name) \(file.path): \(errors)")
                    #expect(CanonicalJSON.encodePrettyUTF8(content) == file.utf8, "\(name) \(file.path)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 4)
    }

    /// An artifact may be larger than any one payload may be (a long run's result, a reason at
    /// the string limit with a prefix): read back as a value it is whole, never a null.
    @Test func anArtifactLargerThanTheInputLimitsReadsBackWhole() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        let reason = String(repeating: "r", count: 65_530)
        _ = try store.append([
            Fixtures.event(.candidateFrozen, 2, Fixtures.frozenData(2)),
            Fixtures.event(.acceptanceRecorded, 2, ["verdict": "NO", "reason": .string(reason)]),
        ])
        let refused = try #require(try store.candidate(Fixtures.sha(2)))
        #expect(try Artifacts.decision(refused, run: nil)["reasons"] == [.string("acceptance NO: " + reason)])

        _ = try store.append(Fixtures.cleanPromotion(1))
        var long = try #require(try store.candidate(Fixtures.sha(1)))
        let steps = long.runs[0].steps
        long.runs[0].steps = (0..<2_000).flatMap { _ in steps }
        let result = try #require(try Artifacts.files(for: long).first { $0.path.hasSuffix("/result.json") })
        #expect(result.utf8.count > InputLimits.standard.maxDocumentBytes)
        #expect(try result.content()["steps"]?.arrayValue?.count == long.runs[0].steps.count)
    }

    @Test func everyArtifactKindHasASchemaFile() throws {
        for kind in Artifacts.Kind.allCases {
            let schema = try JSONParser.parse(
                String(contentsOfFile: "\(Self.root)/Projections/\(kind.rawValue)/schema.json", encoding: .utf8))
            #expect(schema["$id"] == .string(kind.schemaID))
        }
    }

    /// Unrelated candidates' events interleaved in any order leave each candidate's artifacts as they were.
    @Test(arguments: 0..<20)
    func shufflingUnrelatedSHAsChangesNoArtifact(seed: Int) throws {
        // Candidate facts only for the others, so no production lock ties them to one another.
        let promoted = try GoldenScenarios.record(GoldenScenarios.all[0])
        let subject = promoted.last!.sha
        let others = try GoldenScenarios.record(
            ("others", (10...14).flatMap { n in GoldenScenarios.accepted(n, Fixtures.frozenData(n)) }))
        func artifacts(_ events: [RecordedEvent]) throws -> [String: [String]] {
            var fold = LedgerFold()
            for event in events { try fold.apply(event) }
            return try fold.candidates.mapValues { try Artifacts.files(for: $0).map(\.bytes) }
        }
        let expected = try artifacts(promoted + others)
        var generator = SplitMix64(seed: UInt64(seed))
        var queues = Dictionary(grouping: promoted + others, by: \.sha)
        var shuffled: [RecordedEvent] = []
        while !queues.isEmpty {
            let keys = queues.keys.sorted()
            let sha = keys[Int(generator.next() % UInt64(keys.count))]
            shuffled.append(queues[sha]!.removeFirst())
            if queues[sha]!.isEmpty { queues[sha] = nil }
        }
        let actual = try artifacts(shuffled)
        #expect(actual == expected)
        #expect(actual[subject]?.count == 6)  // with browser-evidence/
    }

    @Test func decisionIsPendingWhileARunIsOpenAndNOWhenAcceptanceWasNO() throws {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        _ = try store.append(Array(Fixtures.cleanPromotion(1).prefix(7)))
        let open = try #require(try store.candidate(Fixtures.sha(1)))
        #expect(try Artifacts.decision(open, run: open.runs.last)["decision"] == "PENDING")
        #expect(
            try Artifacts.files(for: open).first {
                $0.path.hasPrefix("production/") && $0.path.hasSuffix("result.json")
            }?.content()["status"] == "in-progress")
        _ = try store.append([
            Fixtures.event(.candidateFrozen, 2, Fixtures.frozenData(2)),
            Fixtures.event(.acceptanceRecorded, 2, ["verdict": "NO", "reason": "suite red"]),
        ])
        let refused = try #require(try store.candidate(Fixtures.sha(2)))
        let decision = try Artifacts.decision(refused, run: nil)
        #expect(decision["decision"] == "NO")
        #expect(decision["reasons"] == ["acceptance NO: suite red"])
        #expect(decision["run"] == .null)
        let frozenOnly = CandidateState(sha: Fixtures.sha(3))
        #expect(throws: LedgerError.self) { try Artifacts.files(for: frozenOnly) }
    }

    static func files(of scenario: String) throws -> [Artifacts.File] {
        let events = try GoldenScenarios.record(try #require(GoldenScenarios.all.first { $0.name == scenario }))
        return try Artifacts.files(for: GoldenArtifactTests.fold(events).0)
    }

    /// infra/, identity/ and browser-evidence/ files are written only when their facts exist.
    @Test(arguments: [
        ("clean-runtime-promotion", ["browser-evidence"]), ("infra-only-with-approval", ["infra-apply"]),
        ("identity-with-preflight", ["identity-preflight", "identity-apply"]), ("rejected-approval", []),
    ])
    func runbookFilesExistOnlyWhenTheirFactsDo(_ scenario: String, _ expected: [String]) throws {
        let optional: [Artifacts.Kind] = [.infraApply, .identityPreflight, .identityApply, .browserEvidence]
        let files = try Self.files(of: scenario)
        let sha = String(try #require(files.first?.path.split(separator: "/").dropFirst().first))
        let present = optional.filter { kind in files.contains { $0.path == kind.path(for: sha) } }
        #expect(Set(present.map(\.rawValue)) == Set(expected))
    }

    @Test func deploymentRecordStepsHaveRunbookNamesOutcomesTimesAndTheApprover() throws {
        let record = try #require(
            try Self.files(of: "rejected-approval").first { $0.path.hasSuffix("deployment-record.json") }
        ).content()
        #expect(record["approver"] == "carol")
        #expect(record["approval"] == "rejected")
        let steps = try #require(record["steps"]?.arrayValue)
        #expect(steps.map { $0["name"] } == ["approve-control-plane", "release-decision"])
        #expect(steps.map { $0["outcome"] } == ["rejected", "NO"])
        #expect(steps.allSatisfy { $0["at"]?.stringValue?.hasSuffix("Z") == true && $0["actor"] == "ci-bot" })
        let runtime = try #require(
            try Self.files(of: "clean-runtime-promotion").first { $0.path.hasSuffix("deployment-record.json") }
        ).content()
        #expect(
            runtime["steps"]?.arrayValue?.map { $0["name"] } == [
                "migration-image-update", "migration-run", "deploy-api", "deploy-web", "smoke-api", "smoke-browser",
                "record-deployment", "release-decision",
            ])
        #expect(runtime["steps"]?.arrayValue?[5]["outcome"] == "passed")
    }

    @Test func browserEvidenceCarriesTheSmokesLinksAndOutcome() throws {
        let failed = try #require(try Self.files(of: "failed-smoke").first { $0.path.hasPrefix("browser-evidence/") })
            .content()
        #expect(failed["outcome"] == "failed")
        #expect(failed["evidence"] == [["name": "trace", "url": "https://ci.example.com/traces/4.zip"]])
        #expect(failed["run"] == 1)
    }

    @Test func firstDifferenceNamesTheField() {
        let a: JSONValue = ["gates": [["name": "deploy", "status": "passed"]], "decision": "YES"]
        let b: JSONValue = ["gates": [["name": "deploy", "status": "failed"]], "decision": "YES"]
        #expect(Artifacts.firstDifference(a, b) == "gates[0].status")
        #expect(Artifacts.firstDifference(a, a) == nil)
        #expect(Artifacts.firstDifference(["x": 1], ["x": 1, "y": 2]) == "y")
    }
}
