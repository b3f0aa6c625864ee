import EventStoreConformance
import Testing

@testable import ReleaseLedgerCore

/// Issue 13: the fold's stored form is read back strictly. A value that is no case of its domain
/// type, or a time that does not parse, is an error naming the field: the store then treats the
/// snapshot as damaged instead of trusting a default.
struct StrictStateReadingTests {
    static func decidedCandidate() throws -> CandidateState {
        let store = InMemoryEventStore(engine: Fixtures.engine())
        try store.append(Fixtures.cleanPromotion(1))
        return try #require(try store.candidate(Fixtures.sha(1)))
    }

    @Test func theStoredFormKeepsTheTypedOutcomes() throws {
        let candidate = try Self.decidedCandidate()
        let run = try #require(candidate.runs.first)
        #expect(run.migrationRan == .succeeded && run.deployedAPI == .succeeded && run.apiSmoke == .passed)
        #expect(run.approval == nil && run.infraApply == nil)
        #expect(run.decision?.decision == .yes)
        #expect(try CandidateState(json: candidate.json) == candidate)
        let stored = candidate.json["runs"]?.arrayValue?.first
        #expect(stored?["approval"] == .null && stored?["deployedAPI"] == .string("succeeded"))
    }

    /// Every optional field of a run survives the stored form under its own key. Two outcome
    /// fields swapped would read the same when their values agree, so three patterns give every
    /// pair of fields a pattern where they differ (bit `pattern` of the field's index).
    @Test(arguments: 0..<3)
    func everyOptionalRunFieldKeepsItsOwnValue(pattern: Int) throws {
        var candidate = try Self.decidedCandidate()
        var run = candidate.runs[0]
        run.replaces = "replaces"
        run.reason = "reason"
        run.requestedBy = "requestedBy"
        run.approver = "approver"
        run.deploymentId = "deploymentId"
        run.environmentUrl = "https://environment.example"
        run.environment = "environment"
        let outcomes: [WritableKeyPath<RunState, Outcome?>] = [
            \.identityApply, \.infraApply, \.migrationImageUpdated, \.migrationRan, \.deployedAPI, \.deployedWeb,
        ]
        for (index, field) in outcomes.enumerated() {
            run[keyPath: field] = (index >> pattern) & 1 == 0 ? .succeeded : .failed
        }
        run.apiSmoke = pattern % 2 == 0 ? .passed : .failed
        run.browserSmoke = pattern % 2 == 0 ? .failed : .passed
        candidate.runs[0] = run
        #expect(try CandidateState(json: candidate.json) == candidate)
    }

    @Test(arguments: [
        ("approval", JSONValue.string("maybe")), ("deployedAPI", .string("SUCCEEDED")),
        ("apiSmoke", .number(.integer(1))),
        ("reason", .bool(true)),
    ])
    func aRunFieldThatIsNoCaseOfItsTypeIsAnErrorNamingIt(_ key: String, _ value: JSONValue) throws {
        var json = try Self.decidedCandidate().json
        guard case .object(var candidate) = json, case .array(var runs)? = candidate["runs"],
            case .object(var run) = runs[0]
        else { throw StateDecodingError(field: "fixture") }
        run[key] = value
        runs[0] = .object(run)
        candidate["runs"] = .array(runs)
        json = .object(candidate)
        #expect(throws: StateDecodingError(field: "candidate.runs[0].\(key)")) { try CandidateState(json: json) }
    }

    @Test func storedValuesNameTheirPlace() {
        #expect(throws: StoredValueError.self) { try StoredValue.timestamp("not a time", at: "x") }
        do {
            _ = try StoredValue.runKind("canary", at: "runs row abc run 1, kind,")
        } catch {
            #expect(error.description == "runs row abc run 1, kind, holds 'canary', not a run kind")
        }
        #expect((try? StoredValue.decision(nil, at: "x")) == .some(nil))
        #expect((try? StoredValue.decision("NO", at: "x")) == .no)
    }
}
