import EventStoreConformance
import Testing
@testable import ReleaseLedgerCore

// The release gate table over all 16 scope combinations x migrationRequired: the required steps
// alone earn a verdict YES, and leaving out any one of them refuses it, naming that step's gate.
// The vocabulary (FreezeScope, RequiredStep, LedgerEvents, RulesLedger) is in ReleaseRulesTests.swift.

/// One required step left out of a run of one scope combination.
struct DroppedStep: Sendable, CustomTestStringConvertible {
    let scope: FreezeScope
    let step: RequiredStep

    var testDescription: String { "\(scope.testDescription), without \(step.rawValue)" }

    static let all: [DroppedStep] = FreezeScope.all.flatMap { scope in
        RequiredStep.allCases.filter { $0.isRequired(in: scope) }.map { DroppedStep(scope: scope, step: $0) }
    }
}

@Suite("Gate table")
struct GateTableTests {
    /// The runbook's gates, in its order.
    static let runbookGates = [
        "acceptance", "auth-readiness", "control-plane-approval", "identity", "infra-apply", "migration-image-updated",
        "migration-ran", "deploy", "smoke", "deployment-recorded",
    ]

    /// When the runbook requires each gate, restated from the issue rather than read from `GateTable`.
    static func isRequired(_ gate: String, _ s: FreezeScope) -> Bool {
        switch gate {
        case "acceptance", "auth-readiness", "deployment-recorded": true
        case "control-plane-approval": s.infra || s.identity || s.convergence
        case "identity": s.identity
        case "infra-apply": s.infra || s.convergence
        case "migration-image-updated", "deploy": s.runtime
        case "migration-ran": s.runtime && s.migrationRequired
        case "smoke": s.runtime || s.convergence
        default: false
        }
    }

    static func table(_ scope: FreezeScope, status: (String) -> String) -> [JSONValue] {
        runbookGates.map { name in
            let required = isRequired(name, scope)
            return [
                "name": .string(name), "required": .bool(required),
                "status": .string(required ? status(name) : "not-required"),
            ]
        }
    }

    static func storedGates(_ ledger: RulesLedger, _ n: Int = 1) throws -> [JSONValue] {
        try #require(try ledger.payloads(n, .verdictRecorded).last?["gates"]?.arrayValue)
    }

    @Test func theGatesAreTheRunbooksInItsOrder() {
        #expect(GateTable.gates.map(\.name) == Self.runbookGates)
    }

    @Test func everyCombinationIsCoveredOnce() {
        #expect(Set(FreezeScope.all).count == 32)
        #expect(
            DroppedStep.all.count
                == FreezeScope.all.map { s in RequiredStep.allCases.filter { $0.isRequired(in: s) }.count }.reduce(0, +)
        )
    }

    @Test(arguments: FreezeScope.all)
    func theRequiredStepsAloneEarnAVerdictYES(_ scope: FreezeScope) throws {
        // Given: freeze, acceptance YES and exactly the steps this scope requires, each recorded.
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.readyForVerdict(1, scope))
        let candidate = try ledger.candidate(1)
        let run = try #require(candidate.openRun)
        let productionSteps = LedgerEvents.requiredSteps(1, scope).filter {
            EventType(rawValue: $0.type)?.isProductionStep == true
        }
        #expect(run.steps.map(\.type) == productionSteps.map(\.type))
        let evaluated = GateTable.evaluate(candidate, run: run)
        #expect(GateTable.unmet(evaluated).isEmpty)

        // When: verdict YES, without a gate table or a reason.
        let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))

        // Then: the ledger wrote the table: required gates passed, every other one not-required.
        let gates = try #require((try verdict.payload())["gates"]?.arrayValue)
        #expect(gates == Self.table(scope) { _ in "passed" })
        #expect(gates == evaluated.map(\.json))
        for gate in gates where gate["required"] == false {
            #expect(gate["status"] == "not-required", "\(gate)")
        }
        #expect((try verdict.payload())["reason"] == "all required gates passed")
        #expect(try ledger.production.live?.sha == Fixtures.sha(1))
        #expect(try ledger.production.openRun == nil)
    }

    @Test(arguments: DroppedStep.all)
    func droppingOneRequiredStepRefusesYESNamingItsGate(_ drop: DroppedStep) throws {
        // Given: every required step but one. Steps that depend on the dropped one are refused
        // by their own rule (6, 7 or 9) and so are missing too.
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, drop.scope), LedgerEvents.acceptance(1))
        for event in LedgerEvents.requiredSteps(1, drop.scope, except: drop.step) {
            let result = Result { () throws(LedgerError) in try ledger.store.append([event]) }
            guard case .failure(let error) = result else { continue }
            guard case .refused(let rule, _) = error,
                ["rule 6 ", "rule 7 ", "rule 9 ", "rule 12 "].contains(where: rule.hasPrefix)
            else {
                Issue.record("\(event.type) \(event.data) was refused unexpectedly: \(error)")
                continue
            }
        }

        guard try ledger.candidate(1).openRun != nil else {
            // Nothing opened a run: every step after the dropped one was refused (rules 6, 9 and 12).
            try ledger.expectRefused(
                rule: 10, naming: ["\(short(1)) has no open run to decide"], LedgerEvents.verdict(1, "YES"))
            return
        }

        // When / then: YES is refused, naming the dropped step's gate as missing.
        try ledger.expectRefused(
            rule: 10, naming: ["required gates not passed", "\(drop.step.gate) (missing)"],
            LedgerEvents.verdict(1, "YES"))

        // A verdict NO is still accepted, and records the gate as missing.
        let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
        #expect((try verdict.payload())["reason"]?.stringValue?.contains("\(drop.step.gate) (missing)") == true)
        let gates = try #require((try verdict.payload())["gates"]?.arrayValue)
        #expect(gates.first { $0["name"] == .string(drop.step.gate) }?["status"] == "missing")
        for gate in gates where gate["required"] == false {
            #expect(gate["status"] == "not-required", "\(gate)")
        }
        #expect(try ledger.production.live == nil)
    }

    @Test func aFailedOutcomeWinsOverAMissingOne() throws {
        let ledger = RulesLedger()
        try ledger.given(
            LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(
            LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"),
            LedgerEvents.deploy(1, "api", "failed"))
        try ledger.given(LedgerEvents.verdict(1, "NO"))
        let gates = try Self.storedGates(ledger)
        #expect(gates.first { $0["name"] == "deploy" }?["status"] == "failed")  // api failed, web missing
        #expect(gates.first { $0["name"] == "smoke" }?["status"] == "missing")
    }

    @Test func evidenceForANotRequiredGateLeavesItNotRequired() throws {
        // Given: a runtime candidate without a migration run, with a failed infra apply, a failed
        // migration run and an approval recorded anyway: none of those gates is required.
        let ledger = RulesLedger()
        let scope = FreezeScope(migrationRequired: false)
        try ledger.given(LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1))
        try ledger.given(LedgerEvents.requiredSteps(1, scope))
        try ledger.given(
            LedgerEvents.apply(1, "infra", "failed"), LedgerEvents.migration(1, "ran", "failed"),
            LedgerEvents.approval(1))
        // When / then: YES is accepted and those gates read not-required.
        try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))
        #expect(try Self.storedGates(ledger) == Self.table(scope) { _ in "passed" })
    }

    @Test func aFailingPreflightFailsTheIdentityGate() throws {
        let ledger = RulesLedger()
        let scope = FreezeScope(runtime: false, identity: true)
        try ledger.given(
            LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.approval(1),
            LedgerEvents.preflight(1))
        try ledger.given(
            LedgerEvents.apply(1, "identity"),
            LedgerEvents.preflight(1, apiIdentifierURI: "api://a", entraAudience: "api://b"))
        try ledger.expectRefused(rule: 10, naming: ["identity (failed)"], LedgerEvents.verdict(1, "YES"))
    }

    @Test func withoutAFreezeThereIsNoTable() {
        #expect(GateTable.evaluate(CandidateState(sha: Fixtures.sha(1)), run: nil).isEmpty)
    }

    @Test func unmetNamesRequiredGatesThatDidNotPassWithTheirStatus() {
        let results = [
            GateResult(name: "acceptance", required: true, status: .passed),
            GateResult(name: "identity", required: true, status: .failed),
            GateResult(name: "infra-apply", required: false, status: .notRequired),
            GateResult(name: "smoke", required: true, status: .missing),
        ]
        #expect(GateTable.unmet(results) == ["identity (failed)", "smoke (missing)"])
        #expect(results[2].json == ["name": "infra-apply", "required": false, "status": "not-required"])
    }
}
