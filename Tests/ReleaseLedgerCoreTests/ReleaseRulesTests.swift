import EventStoreConformance
import Testing
@testable import ReleaseLedgerCore

// The runbook's rules 1-11, each walked both ways (admitted and refused), against an in-memory
// ledger on the fixture engine. Every test has its own store and reads given / when / then.
// A refusal is checked the same way everywhere (`RulesLedger.expectRefused`): `LedgerError.refused`,
// exit 2, the rule named exactly "rule N (...)", the reason naming what is missing, nothing stored.

// MARK: - Vocabulary shared with GateTableTests

/// The frozen scopes of a candidate, as test input.
struct FreezeScope: Hashable, Sendable, CustomTestStringConvertible {
    var runtime = true
    var infra = false
    var identity = false
    var convergence = false
    var migrationRequired = true

    static let runtimeOnly = FreezeScope()

    // The runbook's "Production Sequence", restated here rather than read from the core.
    var needsApproval: Bool { infra || identity || convergence }
    var needsInfraApply: Bool { infra || convergence }
    var needsSmoke: Bool { runtime || convergence }

    /// All 16 scope combinations, each with and without a required migration.
    static let all: [FreezeScope] = (0..<32).map { bits in
        FreezeScope(
            runtime: bits & 1 != 0, infra: bits & 2 != 0, identity: bits & 4 != 0, convergence: bits & 8 != 0,
            migrationRequired: bits & 16 != 0)
    }

    var testDescription: String {
        let on = [("runtime", runtime), ("infra", infra), ("identity", identity), ("convergence", convergence)].filter(\.1).map(\.0)
        return (on.isEmpty ? "no scope" : on.joined(separator: "+")) + (migrationRequired ? ", migration required" : ", no migration")
    }
}

/// Valid payloads for every event type, as the pipeline records them.
enum LedgerEvents {
    static func freeze(_ n: Int, _ scope: FreezeScope = .runtimeOnly) -> ProposedEvent {
        Fixtures.event(
            .candidateFrozen, n,
            Fixtures.frozenData(
                n, runtime: scope.runtime, infra: scope.infra, identity: scope.identity, convergence: scope.convergence,
                migrationRequired: scope.migrationRequired))
    }

    static func acceptance(_ n: Int, _ verdict: String = "YES", reason: String? = nil) -> ProposedEvent {
        var data: JSONObject = ["verdict": .string(verdict)]
        if let reason { data["reason"] = .string(reason) }
        return Fixtures.event(.acceptanceRecorded, n, .object(data))
    }

    static func canary(_ n: Int, status: String = "pass", lastGreenAt: Timestamp = Fixtures.start, sloHours: JSONValue = 24) -> ProposedEvent {
        Fixtures.event(
            .readinessRecorded, n,
            ["check": "entra-canary", "status": .string(status), "lastGreenAt": .string(lastGreenAt.description), "sloHours": sloHours])
    }

    static func probe(_ n: Int, status: String = "pass") -> ProposedEvent {
        Fixtures.event(
            .readinessRecorded, n, ["check": "delegated-probe", "status": .string(status), "targetApiBaseUrl": "https://api.example.com"])
    }

    static func preflight(_ n: Int, apiIdentifierURI: String? = "api://compass-api", entraAudience: String? = nil) -> ProposedEvent {
        Fixtures.event(.identityPreflightRecorded, n, IdentityPreflight.payload(apiIdentifierURI: apiIdentifierURI, entraAudience: entraAudience))
    }

    static func approval(_ n: Int, _ decision: String = "approved") -> ProposedEvent {
        Fixtures.event(.approvalRecorded, n, ["gate": "control-plane", "decision": .string(decision), "approver": "release-manager"])
    }

    static func apply(_ n: Int, _ scope: String, _ outcome: String = "succeeded") -> ProposedEvent {
        Fixtures.event(.applyRecorded, n, ["scope": .string(scope), "outcome": .string(outcome)])
    }

    static func migration(_ n: Int, _ step: String, _ outcome: String = "succeeded", image: String? = nil) -> ProposedEvent {
        Fixtures.event(
            .migrationRecorded, n,
            ["step": .string(step), "image": .string(image ?? Fixtures.digest("api", n)), "outcome": .string(outcome)])
    }

    static func deploy(_ n: Int, _ app: String, _ outcome: String = "succeeded", image: String? = nil) -> ProposedEvent {
        Fixtures.event(.deployRecorded, n, ["app": .string(app), "image": .string(image ?? Fixtures.digest(app, n)), "outcome": .string(outcome)])
    }

    static func smoke(_ n: Int, _ suite: String, _ outcome: String = "passed") -> ProposedEvent {
        Fixtures.event(.smokeRecorded, n, ["suite": .string(suite), "outcome": .string(outcome)])
    }

    static func deploymentRecorded(_ n: Int) -> ProposedEvent {
        Fixtures.event(.deploymentRecorded, n, ["deploymentId": 4242, "environmentUrl": "https://app.example.com"])
    }

    static func verdict(_ n: Int, _ decision: String, reason: String? = nil, gates: JSONValue? = nil) -> ProposedEvent {
        var data: JSONObject = ["decision": .string(decision)]
        if let reason { data["reason"] = .string(reason) }
        if let gates { data["gates"] = gates }
        return Fixtures.event(.verdictRecorded, n, .object(data))
    }

    static func replay(_ n: Int, mode: String = "replay", reason: String = "re-run the accepted candidate", replaces: String? = nil)
        -> ProposedEvent
    {
        var data: JSONObject = ["mode": .string(mode), "reason": .string(reason)]
        if let replaces { data["replaces"] = .string(replaces) }
        return Fixtures.event(.replayRequested, n, .object(data))
    }

    /// A valid event of `type` for candidate `n` (a runtime candidate's first step where there is a choice).
    static func sample(_ type: EventType, _ n: Int) -> ProposedEvent {
        switch type {
        case .candidateFrozen: freeze(n)
        case .acceptanceRecorded: acceptance(n)
        case .readinessRecorded: canary(n)
        case .identityPreflightRecorded: preflight(n)
        case .approvalRecorded: approval(n)
        case .applyRecorded: apply(n, "infra")
        case .migrationRecorded: migration(n, "image-updated")
        case .deployRecorded: deploy(n, "api")
        case .smokeRecorded: smoke(n, "api")
        case .deploymentRecorded: deploymentRecorded(n)
        case .verdictRecorded: verdict(n, "NO")
        case .replayRequested: replay(n)
        }
    }

    /// Every step a run of `scope` needs, in runbook order, up to and including deployment.recorded.
    static func requiredSteps(_ n: Int, _ scope: FreezeScope, except dropped: RequiredStep? = nil) -> [ProposedEvent] {
        RequiredStep.allCases.filter { $0.isRequired(in: scope) && $0 != dropped }.map { $0.event(n) }
    }

    /// Freeze, acceptance YES and every required step of a run: ready for a verdict YES.
    static func readyForVerdict(_ n: Int, _ scope: FreezeScope = .runtimeOnly) -> [ProposedEvent] {
        [freeze(n, scope), acceptance(n)] + requiredSteps(n, scope)
    }

    /// A whole promotion that ends with verdict YES: candidate `n` goes live.
    static func promoted(_ n: Int, _ scope: FreezeScope = .runtimeOnly) -> [ProposedEvent] {
        readyForVerdict(n, scope) + [verdict(n, "YES")]
    }
}

/// The steps of the runbook's production sequence (and its auth readiness), in order. Each one
/// is evidence for one gate of the release decision.
enum RequiredStep: String, CaseIterable, Sendable {
    case canary, probe, approval, preflight, identityApply, infraApply, migrationImage, migrationRan
    case deployAPI, deployWeb, smokeAPI, smokeBrowser, deploymentRecorded

    /// The gate this step is evidence for.
    var gate: String {
        switch self {
        case .canary, .probe: "auth-readiness"
        case .approval: "control-plane-approval"
        case .preflight, .identityApply: "identity"
        case .infraApply: "infra-apply"
        case .migrationImage: "migration-image-updated"
        case .migrationRan: "migration-ran"
        case .deployAPI, .deployWeb: "deploy"
        case .smokeAPI, .smokeBrowser: "smoke"
        case .deploymentRecorded: "deployment-recorded"
        }
    }

    /// Whether the runbook asks for this step, given the frozen scopes.
    func isRequired(in s: FreezeScope) -> Bool {
        switch self {
        case .canary, .probe, .deploymentRecorded: true
        case .approval: s.infra || s.identity || s.convergence
        case .preflight, .identityApply: s.identity
        case .infraApply: s.infra || s.convergence
        case .migrationImage, .deployAPI, .deployWeb: s.runtime
        case .migrationRan: s.runtime && s.migrationRequired
        case .smokeAPI, .smokeBrowser: s.runtime || s.convergence
        }
    }

    func event(_ n: Int) -> ProposedEvent {
        switch self {
        case .canary: LedgerEvents.canary(n)
        case .probe: LedgerEvents.probe(n)
        case .approval: LedgerEvents.approval(n)
        case .preflight: LedgerEvents.preflight(n)
        case .identityApply: LedgerEvents.apply(n, "identity")
        case .infraApply: LedgerEvents.apply(n, "infra")
        case .migrationImage: LedgerEvents.migration(n, "image-updated")
        case .migrationRan: LedgerEvents.migration(n, "ran")
        case .deployAPI: LedgerEvents.deploy(n, "api")
        case .deployWeb: LedgerEvents.deploy(n, "web")
        case .smokeAPI: LedgerEvents.smoke(n, "api")
        case .smokeBrowser: LedgerEvents.smoke(n, "browser")
        case .deploymentRecorded: LedgerEvents.deploymentRecorded(n)
        }
    }
}

/// One test's ledger: a fresh in-memory store on the fixture engine, with given / when / then verbs.
struct RulesLedger {
    let store = InMemoryEventStore(engine: Fixtures.engine())

    /// Given: each event appended on its own, and each one recorded.
    @discardableResult
    func given(_ events: [ProposedEvent], sourceLocation: SourceLocation = #_sourceLocation) throws -> [AppendReceipt] {
        var receipts: [AppendReceipt] = []
        for event in events {
            let receipt = try store.append([event])
            #expect(receipt.map(\.status) == [.recorded], "\(event.type) was not recorded", sourceLocation: sourceLocation)
            receipts += receipt
        }
        return receipts
    }

    @discardableResult
    func given(_ events: ProposedEvent..., sourceLocation: SourceLocation = #_sourceLocation) throws -> [AppendReceipt] {
        try given(events, sourceLocation: sourceLocation)
    }

    /// When/then: the event is admitted and recorded; returns it as stored.
    @discardableResult
    func expectRecorded(_ event: ProposedEvent, sourceLocation: SourceLocation = #_sourceLocation) throws -> RecordedEvent {
        let before = try store.head()
        let receipts = try store.append([event])
        let receipt = try #require(receipts.first, sourceLocation: sourceLocation)
        #expect(receipt.status == .recorded, "\(event.type) was not recorded", sourceLocation: sourceLocation)
        #expect(receipt.position == before.position + 1, sourceLocation: sourceLocation)
        return try #require(try stored(at: receipt.position), sourceLocation: sourceLocation)
    }

    /// When/then: an equal fact is already recorded at `position`; nothing is written.
    func expectAlreadyRecorded(_ event: ProposedEvent, at position: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try store.head()
        let count = try store.events(EventQuery()).count
        let receipts = try store.append([event])
        #expect(receipts.map(\.status) == [.alreadyRecorded], sourceLocation: sourceLocation)
        #expect(receipts.first?.position == position, sourceLocation: sourceLocation)
        #expect(try store.head() == before, sourceLocation: sourceLocation)
        #expect(try store.events(EventQuery()).count == count, sourceLocation: sourceLocation)
    }

    /// When/then: rule `n` refuses the batch. The error is `LedgerError.refused` with exit 2, its
    /// rule is exactly rule `n`'s name ("rule N (...)"), its reason contains every fragment, and
    /// the ledger is as it was: same head, same events, same read model.
    @discardableResult
    func expectRefused(
        rule n: Int, naming fragments: [String], _ events: ProposedEvent..., sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String? {
        let head = try store.head()
        let count = try store.events(EventQuery()).count
        let production = try store.production()
        let shas = Array(Set(events.map(\.sha))).sorted()
        let candidates = try shas.map { try store.candidate($0) }

        let outcome = Result { () throws(LedgerError) in try store.append(events) }
        var refusalReason: String?
        switch outcome {
        case .success(let receipts):
            Issue.record(
                "expected rule \(n) to refuse \(events.map(\.type)), but it was admitted: \(receipts.map(\.status.rawValue))",
                sourceLocation: sourceLocation)
        case .failure(let error):
            if case .refused(let rule, let reason) = error {
                refusalReason = reason
                #expect(rule.hasPrefix("rule \(n) "), "refused by '\(rule)', expected rule \(n): \(reason)", sourceLocation: sourceLocation)
                #expect(rule == Rule(rawValue: n)?.name, sourceLocation: sourceLocation)
                #expect(error.exitCode == 2, sourceLocation: sourceLocation)
                #expect(error.description.hasPrefix("refused by rule \(n) ("), sourceLocation: sourceLocation)
                for fragment in fragments {
                    #expect(reason.contains(fragment), "the reason '\(reason)' does not name '\(fragment)'", sourceLocation: sourceLocation)
                }
            } else {
                Issue.record("expected a refusal by rule \(n), got \(error) (exit \(error.exitCode))", sourceLocation: sourceLocation)
            }
        }
        #expect(try store.head() == head, "a refused append changed the head", sourceLocation: sourceLocation)
        #expect(try store.events(EventQuery()).count == count, sourceLocation: sourceLocation)
        #expect(try store.production() == production, sourceLocation: sourceLocation)
        #expect(try shas.map { try store.candidate($0) } == candidates, sourceLocation: sourceLocation)
        return refusalReason
    }

    func stored(at position: Int64) throws -> RecordedEvent? {
        try store.events(EventQuery(afterPosition: position - 1, limit: 1)).first
    }

    /// The stored payloads of candidate `n`'s events of one type, oldest first.
    func payloads(_ n: Int, _ type: EventType) throws -> [JSONValue] {
        try store.events(EventQuery(sha: Fixtures.sha(n), type: type.rawValue)).map(\.dataValue)
    }

    func candidate(_ n: Int) throws -> CandidateState {
        try #require(try store.candidate(Fixtures.sha(n)))
    }

    var production: ProductionState { get throws { try store.production() } }
    var head: ChainHead { get throws { try store.head() } }
}

/// The 12-character form the rules use to name a SHA in messages.
func short(_ n: Int) -> String { String(Fixtures.sha(n).prefix(12)) }

let hour: Int64 = 3_600_000

// MARK: - Rule 1: nothing before candidate.frozen

@Suite("Rule 1: nothing is recorded for a SHA before its candidate.frozen")
struct FreezeFirstRuleTests {
    @Test func freezeIsAdmittedForANewSHAAndOpensItsFacts() throws {
        let ledger = RulesLedger()
        let frozen = try ledger.expectRecorded(LedgerEvents.freeze(1))
        #expect(frozen.position == 1)
        try ledger.expectRecorded(LedgerEvents.acceptance(1))
        #expect(try ledger.candidate(1).frozen?.images.api == Fixtures.digest("api", 1))
    }

    @Test(arguments: EventType.allCases.filter { $0 != .candidateFrozen })
    func everyOtherTypeIsRefusedBeforeTheFreeze(_ type: EventType) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(2))  // another SHA's freeze does not count
        try ledger.expectRefused(rule: 1, naming: [short(1), "no candidate.frozen"], LedgerEvents.sample(type, 1))
        #expect(try ledger.store.candidate(Fixtures.sha(1)) == nil)
    }

    @Test func aRefusalInABatchRefusesTheWholeBatch() throws {
        let ledger = RulesLedger()
        // The freeze is for another SHA, so the acceptance that follows it is still refused.
        try ledger.expectRefused(rule: 1, naming: [short(1)], LedgerEvents.freeze(2), LedgerEvents.acceptance(1))
        #expect(try ledger.head == .genesis)
    }

    @Test func aFreezeEarlierInTheSameBatchCounts() throws {
        let ledger = RulesLedger()
        let receipts = try ledger.store.append([LedgerEvents.freeze(1), LedgerEvents.acceptance(1)])
        #expect(receipts.map(\.status) == [.recorded, .recorded])
    }

    @Test func payloadValidationComesBeforeTheRules() throws {
        let ledger = RulesLedger()
        // Unfrozen SHA (rule 1 would refuse), but the payload is invalid: exit 65, not 2.
        let invalid = Fixtures.event(.acceptanceRecorded, 1, ["verdict": "MAYBE"])
        #expect(throws: LedgerError.self) { try ledger.store.append([invalid]) }
        let error = Result { () throws(LedgerError) in try ledger.store.append([invalid]) }
        guard case .failure(.invalidInput(let field, _)) = error else {
            Issue.record("expected invalid input, got \(error)")
            return
        }
        #expect(field == "data.verdict")
        if case .failure(let e) = error { #expect(e.exitCode == 65) }
        #expect(try ledger.head == .genesis)
    }
}

// MARK: - Rule 2: frozen once

@Suite("Rule 2: a SHA is frozen once")
struct FrozenOnceRuleTests {
    @Test func theSameFreezeAgainIsANoOpEvenWithKeysInAnotherOrder() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
        let api = Fixtures.digest("api", 1)
        let web = Fixtures.digest("web", 1)
        // As a pipeline might write it: every object's keys in another order than the first time.
        let reordered = try JSONParser.parse(
            #"{"scopes":{"requiresInfraConvergence":false,"identity":false,"runtime":true,"infra":false},"#
                + #""migrationRequired":true,"images":{"web":"\#(web)","api":"\#(api)"}}"#)
        try ledger.expectAlreadyRecorded(Fixtures.event(.candidateFrozen, 1, reordered), at: 1)
        // Also once production has started.
        try ledger.given(LedgerEvents.migration(1, "image-updated"))
        try ledger.expectAlreadyRecorded(LedgerEvents.freeze(1), at: 1)
    }

    @Test(arguments: [
        FreezeScope(migrationRequired: false), FreezeScope(runtime: false, infra: true), FreezeScope(identity: true),
    ])
    func aFreezeWithOtherScopesIsRefused(_ scope: FreezeScope) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1))
        try ledger.expectRefused(rule: 2, naming: [short(1), "frozen at position 1", "different content"], LedgerEvents.freeze(1, scope))
        #expect(try ledger.candidate(1).frozen?.scopes == Scopes(runtime: true, infra: false, identity: false, requiresInfraConvergence: false))
    }

    @Test func aFreezeWithOtherDigestsIsRefused() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1))
        let rebuilt = Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(2))  // candidate 2's digests under SHA 1
        try ledger.expectRefused(rule: 2, naming: ["different content"], rebuilt)
        #expect(try ledger.candidate(1).frozen?.images.api == Fixtures.digest("api", 1))
    }
}

// MARK: - Rule 3: one acceptance verdict

@Suite("Rule 3: one acceptance verdict per SHA")
struct OneAcceptanceVerdictRuleTests {
    @Test func theSameVerdictAgainIsANoOpEvenWithKeysInAnotherOrder() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "YES", reason: "all suites green"))
        let reordered = try JSONParser.parse(#"{"reason":"all suites green","verdict":"YES"}"#)
        try ledger.expectAlreadyRecorded(Fixtures.event(.acceptanceRecorded, 1, reordered), at: 2)
        #expect(try ledger.candidate(1).acceptance?.verdict == "YES")
    }

    @Test(arguments: [("YES", "NO"), ("NO", "YES")])
    func aDifferentSecondVerdictIsRefused(_ first: String, _ second: String) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, first))
        try ledger.expectRefused(
            rule: 3, naming: [short(1), "already has acceptance \(first)", "position 2"], LedgerEvents.acceptance(1, second))
        #expect(try ledger.candidate(1).acceptance?.verdict == first)
    }

    @Test func theSameVerdictWithOtherContentIsRefused() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "YES"))
        try ledger.expectRefused(rule: 3, naming: ["already has acceptance YES"], LedgerEvents.acceptance(1, "YES", reason: "re-run"))
    }

    @Test func eachSHAHasItsOwnVerdict() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.freeze(2), LedgerEvents.acceptance(1, "YES"))
        try ledger.expectRecorded(LedgerEvents.acceptance(2, "NO"))
    }
}

// MARK: - Rule 4: acceptance YES before production

@Suite("Rule 4: no production event for a SHA without acceptance YES")
struct AcceptanceBeforeProductionRuleTests {
    static let productionSteps = EventType.allCases.filter(\.isProductionStep)

    @Test func afterAcceptanceYESTheFirstProductionEventOpensRunOne() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
        try ledger.expectRecorded(LedgerEvents.migration(1, "image-updated"))
        let run = try #require(try ledger.candidate(1).openRun)
        #expect(run.number == 1)
        #expect(run.kind == .promotion)
        #expect(try ledger.production.openRun == ProductionState.RunPointer(sha: Fixtures.sha(1), run: 1))
    }

    @Test(arguments: productionSteps)
    func refusedWithoutAnyAcceptance(_ type: EventType) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.expectRefused(rule: 4, naming: [short(1), "there is no acceptance verdict"], LedgerEvents.sample(type, 1))
    }

    @Test(arguments: productionSteps)
    func refusedAfterAcceptanceNO(_ type: EventType) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "NO"), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.expectRefused(rule: 4, naming: [short(1), "acceptance is NO"], LedgerEvents.sample(type, 1))
    }

    @Test func candidateFactsNeedNoAcceptance() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1))
        try ledger.expectRecorded(LedgerEvents.canary(1))
        try ledger.expectRecorded(LedgerEvents.probe(1))
        try ledger.expectRecorded(LedgerEvents.preflight(1))
        #expect(try ledger.candidate(1).runs.isEmpty)
    }
}

// MARK: - Rule 5: production mutation is serialized

@Suite("Rule 5: production mutation is serialized")
struct SerializedProductionRuleTests {
    @Test(arguments: EventType.allCases.filter(\.isProductionStep))
    func anotherSHAsProductionEventIsRefusedWhileARunIsOpen(_ type: EventType) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
        try ledger.given(LedgerEvents.freeze(2), LedgerEvents.acceptance(2), LedgerEvents.canary(2), LedgerEvents.probe(2))
        try ledger.expectRefused(rule: 5, naming: ["run 1 of \(short(1)) is open"], LedgerEvents.sample(type, 2))
        #expect(try ledger.candidate(2).runs.isEmpty)
    }

    @Test func anotherSHAsCandidateFactsAreAdmittedWhileARunIsOpen() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
        try ledger.expectRecorded(LedgerEvents.freeze(2))
        try ledger.expectRecorded(LedgerEvents.acceptance(2))
        try ledger.expectRecorded(LedgerEvents.canary(2))
        try ledger.expectRecorded(LedgerEvents.probe(2))
        try ledger.expectRecorded(LedgerEvents.preflight(2))
        #expect(try ledger.production.openRun?.sha == Fixtures.sha(1))
    }

    @Test func theNextSHAMayStartOnceTheOpenRunHasAVerdict() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
        try ledger.given(LedgerEvents.freeze(2), LedgerEvents.acceptance(2))
        try ledger.expectRefused(rule: 5, naming: [short(1)], LedgerEvents.migration(2, "image-updated"))
        try ledger.given(LedgerEvents.verdict(1, "NO"))
        try ledger.expectRecorded(LedgerEvents.migration(2, "image-updated"))
        #expect(try ledger.production.openRun == ProductionState.RunPointer(sha: Fixtures.sha(2), run: 1))
    }

    @Test func theOpenRunsOwnSHAContinues() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(LedgerEvents.migration(1, "image-updated"))
        try ledger.expectRecorded(LedgerEvents.migration(1, "ran"))
        #expect(try ledger.candidate(1).runs.count == 1)
    }
}

// MARK: - Rule 6: control-plane approval

@Suite("Rule 6: control-plane approval before identity, infra and deploys when the scopes need it")
struct ControlPlaneApprovalRuleTests {
    static let scopesNeedingApproval = [
        FreezeScope(infra: true), FreezeScope(identity: true), FreezeScope(convergence: true),
        FreezeScope(runtime: false, infra: true, identity: true, convergence: true),
    ]

    enum Mutation: String, CaseIterable, Sendable {
        case identityApply, infraApply, deploy

        func event(_ n: Int) -> ProposedEvent {
            switch self {
            case .identityApply: LedgerEvents.apply(n, "identity")
            case .infraApply: LedgerEvents.apply(n, "infra")
            case .deploy: LedgerEvents.deploy(n, "api")
            }
        }

        var named: String {
            switch self {
            case .identityApply: "identity apply needs an approved control-plane approval"
            case .infraApply: "infra apply needs an approved control-plane approval"
            case .deploy: "deploys need an approved control-plane approval"
            }
        }
    }

    @Test(arguments: scopesNeedingApproval, Mutation.allCases)
    func refusedWithoutApproval(_ scope: FreezeScope, _ mutation: Mutation) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(LedgerEvents.preflight(1))
        try ledger.expectRefused(rule: 6, naming: [mutation.named], mutation.event(1))
        // Something else opened the run first: still no approval in it.
        try ledger.given(LedgerEvents.deploymentRecorded(1))
        try ledger.expectRefused(rule: 6, naming: [mutation.named], mutation.event(1))
    }

    @Test(arguments: scopesNeedingApproval)
    func admittedAfterApproval(_ scope: FreezeScope) throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(LedgerEvents.preflight(1), LedgerEvents.approval(1))
        try ledger.expectRecorded(LedgerEvents.apply(1, "identity"))
        try ledger.expectRecorded(LedgerEvents.apply(1, "infra"))
        #expect(try ledger.candidate(1).openRun?.approval == "approved")
    }

    @Test func aRuntimeOnlyCandidateDeploysWithoutApproval() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
        try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
        try ledger.expectRecorded(LedgerEvents.deploy(1, "web"))
    }

    @Test func migrationNeedsNoApproval() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, FreezeScope(infra: true)), LedgerEvents.acceptance(1))
        try ledger.expectRecorded(LedgerEvents.migration(1, "image-updated"))
    }

    @Test func anApprovalDoesNotCarryOverToTheNextRun() throws {
        let ledger = RulesLedger()
        let scope = FreezeScope(runtime: false, infra: true)
        try ledger.given(LedgerEvents.promoted(1, scope))
        try ledger.given(LedgerEvents.replay(1))
        try ledger.expectRefused(rule: 6, naming: ["infra apply needs an approved control-plane approval in this run"], LedgerEvents.apply(1, "infra"))
        try ledger.given(LedgerEvents.approval(1))
        try ledger.expectRecorded(LedgerEvents.apply(1, "infra"))
    }
}

@Suite("Rule 6: a rejected approval blocks the run")
struct RejectedApprovalTests {
    /// Every production event that could follow a rejection, for a candidate with every scope.
    static func laterEvents(_ n: Int) -> [ProposedEvent] {
        [
            LedgerEvents.approval(n, "approved"), LedgerEvents.approval(n, "rejected"), LedgerEvents.apply(n, "identity"),
            LedgerEvents.apply(n, "infra"), LedgerEvents.migration(n, "image-updated"), LedgerEvents.migration(n, "ran"),
            LedgerEvents.deploy(n, "api"), LedgerEvents.deploy(n, "web"), LedgerEvents.smoke(n, "api"), LedgerEvents.smoke(n, "browser"),
            LedgerEvents.deploymentRecorded(n),
        ]
    }

    @Test func everyLaterProductionEventIsRefusedExceptVerdictNO() throws {
        let ledger = RulesLedger()
        let scope = FreezeScope(runtime: true, infra: true, identity: true, convergence: true)
        try ledger.given(LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
        try ledger.given(LedgerEvents.preflight(1), LedgerEvents.approval(1, "rejected"))

        for event in Self.laterEvents(1) {
            try ledger.expectRefused(rule: 6, naming: ["approval of run 1 was rejected", "only a verdict NO may follow"], event)
        }
        // A later approval does not lift it: it is refused itself, and the run stays rejected.
        #expect(try ledger.candidate(1).openRun?.approvalRejected == true)
        try ledger.expectRefused(rule: 6, naming: ["rejected"], LedgerEvents.approval(1, "approved"), LedgerEvents.apply(1, "infra"))
        try ledger.expectRefused(rule: 6, naming: ["rejected"], LedgerEvents.verdict(1, "YES"))

        // Notes are not production events: no rule reads them.
        try ledger.expectRecorded(Fixtures.note(1, "waiting for the control plane owners"))
        // The verdict NO is the one production event still admitted.
        try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
        #expect(try ledger.production.openRun == nil)
    }

    @Test func aVerdictNOClosesTheRejectedRun() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, FreezeScope(infra: true)), LedgerEvents.acceptance(1))
        try ledger.given(LedgerEvents.approval(1, "rejected"))
        let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "NO", reason: "control plane rejected"))
        #expect(verdict.dataValue["reason"] == "control plane rejected")
        let run = try #require(try ledger.candidate(1).runs.first)
        #expect(run.decision?.decision == "NO")
        #expect(run.approval == "rejected")
        #expect(try ledger.production.openRun == nil)
        #expect(try ledger.production.live == nil)
        // The closed run stays closed.
        try ledger.expectRefused(rule: 11, naming: ["run 1 of \(short(1)) is closed"], LedgerEvents.approval(1, "approved"))
    }

    @Test func theControlPlaneGateReadsFailedAfterARejection() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.freeze(1, FreezeScope(runtime: false, identity: true)), LedgerEvents.acceptance(1))
        try ledger.given(LedgerEvents.approval(1, "rejected"))
        try ledger.given(LedgerEvents.verdict(1, "NO"))
        let gates = try #require(try ledger.payloads(1, .verdictRecorded).last?["gates"]?.arrayValue)
        #expect(gates.first { $0["name"] == "control-plane-approval" }?["status"] == "failed")
    }

    /// A runtime-only candidate needs no approval, but one that was recorded and rejected still
    /// blocks the run: a verdict YES must not follow it even when every required gate passed.
    @Test func aRejectionBlocksAVerdictYESEvenWhenApprovalIsNotRequired() throws {
        let ledger = RulesLedger()
        try ledger.given(LedgerEvents.readyForVerdict(1, .runtimeOnly))
        try ledger.given(LedgerEvents.approval(1, "rejected"))
        try ledger.expectRefused(rule: 6, naming: ["rejected", "only a verdict NO may follow"], LedgerEvents.verdict(1, "YES"))
        try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
        #expect(try ledger.production.live == nil)
    }
}
