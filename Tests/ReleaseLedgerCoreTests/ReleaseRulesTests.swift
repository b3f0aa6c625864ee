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
        let on = [("runtime", runtime), ("infra", infra), ("identity", identity), ("convergence", convergence)].filter(
            \.1
        ).map(\.0)
        return (on.isEmpty ? "no scope" : on.joined(separator: "+"))
            + (migrationRequired ? ", migration required" : ", no migration")
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
        var data = JSONObject([("verdict", .string(verdict))])
        if let reason { data["reason"] = .string(reason) }
        return Fixtures.event(.acceptanceRecorded, n, .object(data))
    }

    static func canary(
        _ n: Int, status: String = "pass", lastGreenAt: Timestamp = Fixtures.start, sloHours: JSONValue = 24
    ) -> ProposedEvent {
        Fixtures.event(
            .readinessRecorded, n,
            [
                "check": "entra-canary", "status": .string(status), "lastGreenAt": .string(lastGreenAt.description),
                "sloHours": sloHours,
            ])
    }

    static func probe(_ n: Int, status: String = "pass") -> ProposedEvent {
        Fixtures.event(
            .readinessRecorded, n,
            ["check": "delegated-probe", "status": .string(status), "targetApiBaseUrl": "https://api.example.com"])
    }

    static func preflight(_ n: Int, apiIdentifierURI: String? = "api://compass-api", entraAudience: String? = nil)
        -> ProposedEvent
    {
        Fixtures.event(
            .identityPreflightRecorded, n,
            IdentityPreflight.payload(apiIdentifierURI: apiIdentifierURI, entraAudience: entraAudience))
    }

    static func approval(_ n: Int, _ decision: String = "approved") -> ProposedEvent {
        Fixtures.event(
            .approvalRecorded, n,
            ["gate": "control-plane", "decision": .string(decision), "approver": "release-manager"])
    }

    static func apply(_ n: Int, _ scope: String, _ outcome: String = "succeeded") -> ProposedEvent {
        Fixtures.event(.applyRecorded, n, ["scope": .string(scope), "outcome": .string(outcome)])
    }

    static func migration(_ n: Int, _ step: String, _ outcome: String = "succeeded", image: String? = nil)
        -> ProposedEvent
    {
        Fixtures.event(
            .migrationRecorded, n,
            ["step": .string(step), "image": .string(image ?? Fixtures.digest("api", n)), "outcome": .string(outcome)])
    }

    static func deploy(_ n: Int, _ app: String, _ outcome: String = "succeeded", image: String? = nil) -> ProposedEvent
    {
        Fixtures.event(
            .deployRecorded, n,
            ["app": .string(app), "image": .string(image ?? Fixtures.digest(app, n)), "outcome": .string(outcome)])
    }

    static func smoke(_ n: Int, _ suite: String, _ outcome: String = "passed") -> ProposedEvent {
        Fixtures.event(.smokeRecorded, n, ["suite": .string(suite), "outcome": .string(outcome)])
    }

    static func deploymentRecorded(_ n: Int) -> ProposedEvent {
        Fixtures.event(.deploymentRecorded, n, ["deploymentId": 4242, "environmentUrl": "https://app.example.com"])
    }

    static func verdict(_ n: Int, _ decision: String, reason: String? = nil, gates: JSONValue? = nil) -> ProposedEvent {
        var data = JSONObject([("decision", .string(decision))])
        if let reason { data["reason"] = .string(reason) }
        if let gates { data["gates"] = gates }
        return Fixtures.event(.verdictRecorded, n, .object(data))
    }

    static func replay(
        _ n: Int, mode: String = "replay", reason: String = "re-run the accepted candidate", replaces: String? = nil
    )
        -> ProposedEvent
    {
        var data = JSONObject([("mode", .string(mode)), ("reason", .string(reason))])
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
            #expect(
                receipt.map(\.status) == [.recorded], "\(event.type) was not recorded", sourceLocation: sourceLocation)
            receipts += receipt
        }
        return receipts
    }

    @discardableResult
    func given(_ events: ProposedEvent..., sourceLocation: SourceLocation = #_sourceLocation) throws -> [AppendReceipt]
    {
        try given(events, sourceLocation: sourceLocation)
    }

    /// When/then: the event is admitted and recorded; returns it as stored.
    @discardableResult
    func expectRecorded(_ event: ProposedEvent, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> RecordedEvent
    {
        let before = try store.head()
        let receipts = try store.append([event])
        let receipt = try #require(receipts.first, sourceLocation: sourceLocation)
        #expect(receipt.status == .recorded, "\(event.type) was not recorded", sourceLocation: sourceLocation)
        #expect(receipt.position == before.position + 1, sourceLocation: sourceLocation)
        return try #require(try stored(at: receipt.position), sourceLocation: sourceLocation)
    }

    /// When/then: an equal fact is already recorded at `position`; nothing is written.
    func expectAlreadyRecorded(
        _ event: ProposedEvent, at position: Int64, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
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
        rule n: Int, naming fragments: [String], _ events: ProposedEvent...,
        sourceLocation: SourceLocation = #_sourceLocation
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
                #expect(
                    rule.hasPrefix("rule \(n) "), "refused by '\(rule)', expected rule \(n): \(reason)",
                    sourceLocation: sourceLocation)
                #expect(
                    rule == Rule(rawValue: n)?.name || rule == Rule.verdictNeedsOpenRun, sourceLocation: sourceLocation)
                #expect(error.exitCode == 2, sourceLocation: sourceLocation)
                #expect(error.description.hasPrefix("refused by rule \(n) ("), sourceLocation: sourceLocation)
                for fragment in fragments {
                    #expect(
                        reason.contains(fragment), "the reason '\(reason)' does not name '\(fragment)'",
                        sourceLocation: sourceLocation)
                }
            } else {
                Issue.record(
                    "expected a refusal by rule \(n), got \(error) (exit \(error.exitCode))",
                    sourceLocation: sourceLocation)
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
        try store.events(EventQuery(sha: Fixtures.sha(n), type: type.rawValue)).map { (event) throws(LedgerError) in
            try event.payload()
        }
    }

    func candidate(_ n: Int) throws -> CandidateState {
        try #require(try store.candidate(Fixtures.sha(n)))
    }

    var production: ProductionState { get throws { try store.production() } }
    var head: ChainHead { get throws { try store.head() } }
}

/// Every rule's suite nests in this one, so `swift test --filter ReleaseRules` runs them all.
@Suite("Release rules")
struct ReleaseRulesTests {}

/// The 12-character form the rules use to name a SHA in messages.
func short(_ n: Int) -> String { String(Fixtures.sha(n).prefix(12)) }

let hour: Int64 = 3_600_000

// MARK: - Rule 1: nothing before candidate.frozen

extension ReleaseRulesTests {
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
}

// MARK: - Rule 2: frozen once

extension ReleaseRulesTests {
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
            FreezeScope(migrationRequired: false), FreezeScope(runtime: false, infra: true),
            FreezeScope(identity: true),
        ])
        func aFreezeWithOtherScopesIsRefused(_ scope: FreezeScope) throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1))
            try ledger.expectRefused(
                rule: 2, naming: [short(1), "frozen at position 1", "different content"], LedgerEvents.freeze(1, scope))
            #expect(
                try ledger.candidate(1).frozen?.scopes
                    == Scopes(runtime: true, infra: false, identity: false, requiresInfraConvergence: false))
        }

        @Test func aFreezeWithOtherDigestsIsRefused() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1))
            // candidate 2's digests under SHA 1
            let rebuilt = Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(2))
            try ledger.expectRefused(rule: 2, naming: ["different content"], rebuilt)
            #expect(try ledger.candidate(1).frozen?.images.api == Fixtures.digest("api", 1))
        }
    }
}

// MARK: - Rule 3: one acceptance verdict

extension ReleaseRulesTests {
    @Suite("Rule 3: one acceptance verdict per SHA")
    struct OneAcceptanceVerdictRuleTests {
        @Test func theSameVerdictAgainIsANoOpEvenWithKeysInAnotherOrder() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "YES", reason: "all suites green"))
            let reordered = try JSONParser.parse(#"{"reason":"all suites green","verdict":"YES"}"#)
            try ledger.expectAlreadyRecorded(Fixtures.event(.acceptanceRecorded, 1, reordered), at: 2)
            #expect(try ledger.candidate(1).acceptance?.verdict == .yes)
        }

        @Test(arguments: [("YES", "NO"), ("NO", "YES")])
        func aDifferentSecondVerdictIsRefused(_ first: String, _ second: String) throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, first))
            try ledger.expectRefused(
                rule: 3, naming: [short(1), "already has acceptance \(first)", "position 2"],
                LedgerEvents.acceptance(1, second))
            #expect(try ledger.candidate(1).acceptance?.verdict.rawValue == first)
        }

        @Test func theSameVerdictWithOtherContentIsRefused() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "YES"))
            try ledger.expectRefused(
                rule: 3, naming: ["already has acceptance YES"], LedgerEvents.acceptance(1, "YES", reason: "re-run"))
        }

        @Test func eachSHAHasItsOwnVerdict() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.freeze(2), LedgerEvents.acceptance(1, "YES"))
            try ledger.expectRecorded(LedgerEvents.acceptance(2, "NO"))
        }
    }
}

// MARK: - Rule 4: acceptance YES before production

extension ReleaseRulesTests {
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
            try ledger.expectRefused(
                rule: 4, naming: [short(1), "there is no acceptance verdict"], LedgerEvents.sample(type, 1))
        }

        @Test(arguments: productionSteps)
        func refusedAfterAcceptanceNO(_ type: EventType) throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1, "NO"), LedgerEvents.canary(1), LedgerEvents.probe(1))
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
}

// MARK: - Rule 5: production mutation is serialized

extension ReleaseRulesTests {
    @Suite("Rule 5: production mutation is serialized")
    struct SerializedProductionRuleTests {
        @Test(arguments: EventType.allCases.filter(\.isProductionStep))
        func anotherSHAsProductionEventIsRefusedWhileARunIsOpen(_ type: EventType) throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.given(
                LedgerEvents.freeze(2), LedgerEvents.acceptance(2), LedgerEvents.canary(2), LedgerEvents.probe(2))
            try ledger.expectRefused(rule: 5, naming: ["run 1 of \(short(1)) is open"], LedgerEvents.sample(type, 2))
            #expect(try ledger.candidate(2).runs.isEmpty)
        }

        @Test func anotherSHAsCandidateFactsAreAdmittedWhileARunIsOpen() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRecorded(LedgerEvents.freeze(2))
            try ledger.expectRecorded(LedgerEvents.acceptance(2))
            try ledger.expectRecorded(LedgerEvents.canary(2))
            try ledger.expectRecorded(LedgerEvents.probe(2))
            try ledger.expectRecorded(LedgerEvents.preflight(2))
            #expect(try ledger.production.openRun?.sha == Fixtures.sha(1))
        }

        @Test func theNextSHAMayStartOnceTheOpenRunHasAVerdict() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.given(LedgerEvents.freeze(2), LedgerEvents.acceptance(2))
            try ledger.expectRefused(rule: 5, naming: [short(1)], LedgerEvents.migration(2, "image-updated"))
            try ledger.given(LedgerEvents.verdict(1, "NO"))
            try ledger.expectRecorded(LedgerEvents.migration(2, "image-updated"))
            #expect(try ledger.production.openRun == ProductionState.RunPointer(sha: Fixtures.sha(2), run: 1))
        }

        @Test func theOpenRunsOwnSHAContinues() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.given(LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRecorded(LedgerEvents.migration(1, "ran"))
            #expect(try ledger.candidate(1).runs.count == 1)
        }
    }
}

// MARK: - Rule 6: control-plane approval

extension ReleaseRulesTests {
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
            try ledger.given(
                LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1)
            )
            try ledger.given(LedgerEvents.preflight(1))
            try ledger.expectRefused(rule: 6, naming: [mutation.named], mutation.event(1))
            // Something else opened the run first (a migration step needs no approval): still no approval in it.
            guard scope.runtime else { return }
            try ledger.given(LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(rule: 6, naming: [mutation.named], mutation.event(1))
        }

        @Test(arguments: scopesNeedingApproval)
        func admittedAfterApproval(_ scope: FreezeScope) throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1)
            )
            try ledger.given(LedgerEvents.preflight(1), LedgerEvents.approval(1))
            try ledger.expectRecorded(LedgerEvents.apply(1, "identity"))
            try ledger.expectRecorded(LedgerEvents.apply(1, "infra"))
            #expect(try ledger.candidate(1).openRun?.approval == .approved)
        }

        @Test func aRuntimeOnlyCandidateDeploysWithoutApproval() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
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
            try ledger.expectRefused(
                rule: 6, naming: ["infra apply needs an approved control-plane approval in this run"],
                LedgerEvents.apply(1, "infra"))
            try ledger.given(LedgerEvents.approval(1))
            try ledger.expectRecorded(LedgerEvents.apply(1, "infra"))
        }
    }
}

extension ReleaseRulesTests {
    @Suite("Rule 6: a rejected approval blocks the run")
    struct RejectedApprovalTests {
        /// Every production event that could follow a rejection, for a candidate with every scope.
        static func laterEvents(_ n: Int) -> [ProposedEvent] {
            [
                LedgerEvents.approval(n, "approved"), LedgerEvents.approval(n, "rejected"),
                LedgerEvents.apply(n, "identity"),
                LedgerEvents.apply(n, "infra"), LedgerEvents.migration(n, "image-updated"),
                LedgerEvents.migration(n, "ran"),
                LedgerEvents.deploy(n, "api"), LedgerEvents.deploy(n, "web"), LedgerEvents.smoke(n, "api"),
                LedgerEvents.smoke(n, "browser"),
                LedgerEvents.deploymentRecorded(n),
            ]
        }

        @Test func everyLaterProductionEventIsRefusedExceptVerdictNO() throws {
            let ledger = RulesLedger()
            let scope = FreezeScope(runtime: true, infra: true, identity: true, convergence: true)
            try ledger.given(
                LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1)
            )
            try ledger.given(LedgerEvents.preflight(1), LedgerEvents.approval(1, "rejected"))

            for event in Self.laterEvents(1) {
                try ledger.expectRefused(
                    rule: 6, naming: ["approval of run 1 was rejected", "only a verdict NO may follow"], event)
            }
            // A later approval does not lift it: it is refused itself, and the run stays rejected.
            #expect(try ledger.candidate(1).openRun?.approvalRejected == true)
            try ledger.expectRefused(
                rule: 6, naming: ["rejected"], LedgerEvents.approval(1, "approved"), LedgerEvents.apply(1, "infra"))
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
            #expect((try verdict.payload())["reason"] == "control plane rejected")
            let run = try #require(try ledger.candidate(1).runs.first)
            #expect(run.decision?.decision == .no)
            #expect(run.approval == .rejected)
            #expect(try ledger.production.openRun == nil)
            #expect(try ledger.production.live == nil)
            // The closed run stays closed.
            try ledger.expectRefused(
                rule: 11, naming: ["run 1 of \(short(1)) is closed"], LedgerEvents.approval(1, "approved"))
        }

        @Test func theControlPlaneGateReadsFailedAfterARejection() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1, FreezeScope(runtime: false, identity: true)), LedgerEvents.acceptance(1))
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
            try ledger.expectRefused(
                rule: 6, naming: ["rejected", "only a verdict NO may follow"], LedgerEvents.verdict(1, "YES"))
            try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
            #expect(try ledger.production.live == nil)
        }
    }
}

// MARK: - Rule 7: identity preflight

extension ReleaseRulesTests {
    @Suite("Rule 7: identity apply needs a passing identity preflight")
    struct IdentityPreflightRuleTests {
        static let identity = FreezeScope(runtime: false, identity: true)

        /// An approved run of an identity candidate, before any preflight.
        static func approvedRun(_ ledger: RulesLedger, _ n: Int = 1) throws {
            try ledger.given(LedgerEvents.freeze(n, identity), LedgerEvents.acceptance(n), LedgerEvents.approval(n))
        }

        @Test func admittedAfterAPassingPreflight() throws {
            let ledger = RulesLedger()
            try Self.approvedRun(ledger)
            try ledger.given(
                LedgerEvents.preflight(1, apiIdentifierURI: "api://compass-api", entraAudience: "api://compass-api"))
            try ledger.expectRecorded(LedgerEvents.apply(1, "identity"))
            #expect(try ledger.candidate(1).openRun?.identityApply == .succeeded)
        }

        @Test func theEntraAudienceFallbackPasses() throws {
            let ledger = RulesLedger()
            try Self.approvedRun(ledger)
            try ledger.given(LedgerEvents.preflight(1, apiIdentifierURI: nil, entraAudience: "api://compass-api"))
            try ledger.expectRecorded(LedgerEvents.apply(1, "identity"))
        }

        @Test func refusedWithoutAPreflight() throws {
            let ledger = RulesLedger()
            try Self.approvedRun(ledger)
            try ledger.expectRefused(
                rule: 7, naming: ["no identity preflight is recorded"], LedgerEvents.apply(1, "identity"))
        }

        @Test(
            arguments: [
                (
                    "api://compass-api", "api://other-api",
                    "API_IDENTIFIER_URI and ENTRA_AUDIENCE are both set and differ"
                ),
                (nil, nil, "neither API_IDENTIFIER_URI nor ENTRA_AUDIENCE is set"),
                ("https://compass-api", nil, "not of the form api://"),
            ] as [(String?, String?, String)])
        func refusedAfterAFailingPreflight(_ uri: String?, _ audience: String?, _ why: String) throws {
            let ledger = RulesLedger()
            try Self.approvedRun(ledger)
            try ledger.given(LedgerEvents.preflight(1, apiIdentifierURI: uri, entraAudience: audience))
            try ledger.expectRefused(
                rule: 7, naming: ["the latest preflight failed", why], LedgerEvents.apply(1, "identity"))
        }

        @Test func theLatestPreflightCounts() throws {
            let ledger = RulesLedger()
            try Self.approvedRun(ledger)
            try ledger.given(
                LedgerEvents.preflight(1), LedgerEvents.preflight(1, apiIdentifierURI: nil, entraAudience: nil))
            try ledger.expectRefused(
                rule: 7, naming: ["the latest preflight failed"], LedgerEvents.apply(1, "identity"))
            try ledger.given(LedgerEvents.preflight(1))
            try ledger.expectRecorded(LedgerEvents.apply(1, "identity"))
        }

        @Test func anotherSHAsPreflightDoesNotCount() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(2, Self.identity), LedgerEvents.preflight(2))
            try Self.approvedRun(ledger)
            try ledger.expectRefused(
                rule: 7, naming: ["no identity preflight is recorded"], LedgerEvents.apply(1, "identity"))
        }

        @Test func infraApplyNeedsNoPreflight() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1, FreezeScope(runtime: false, infra: true, identity: true)),
                LedgerEvents.acceptance(1))
            try ledger.given(LedgerEvents.approval(1))
            try ledger.expectRecorded(LedgerEvents.apply(1, "infra"))
        }
    }
}

// MARK: - Rule 8: never rebuild

extension ReleaseRulesTests {
    @Suite("Rule 8: never rebuild")
    struct NeverRebuildRuleTests {
        @Test func theFrozenDigestsAreAdmitted() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.expectRecorded(LedgerEvents.migration(1, "image-updated", image: Fixtures.digest("api", 1)))
            try ledger.expectRecorded(LedgerEvents.migration(1, "ran", image: Fixtures.digest("api", 1)))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api", image: Fixtures.digest("api", 1)))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "web", image: Fixtures.digest("web", 1)))
        }

        @Test(arguments: ["image-updated", "ran"], [Fixtures.digest("web", 1), Fixtures.digest("api", 2)])
        func aMigrationImageOtherThanTheFrozenAPIDigestIsRefused(_ step: String, _ image: String) throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(
                rule: 8, naming: ["the migration image must be the frozen api digest \(Fixtures.digest("api", 1))"],
                LedgerEvents.migration(1, step, image: image))
        }

        @Test(arguments: [
            ("api", Fixtures.digest("web", 1)), ("web", Fixtures.digest("api", 1)), ("api", Fixtures.digest("api", 99)),
            ("web", "ghcr.io/acme/web-rebuilt@sha256:" + ChainHasher.hash("rebuilt")),
        ])
        func aDeployImageOtherThanThatAppsFrozenDigestIsRefused(_ app: String, _ image: String) throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
            try ledger.expectRefused(
                rule: 8, naming: ["\(app) must be deployed with its frozen digest \(Fixtures.digest(app, 1))"],
                LedgerEvents.deploy(1, app, image: image))
        }

        @Test func rebuildingIsNamedBeforeMissingApprovalOrPrerequisites() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1, FreezeScope(infra: true)), LedgerEvents.acceptance(1))
            try ledger.expectRefused(
                rule: 8, naming: ["frozen digest"], LedgerEvents.deploy(1, "api", image: Fixtures.digest("api", 7)))
        }

        @Test func aTagIsInvalidInputNotARefusal() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
            let before = try ledger.head
            let tagged = LedgerEvents.deploy(1, "api", image: "ghcr.io/acme/api:latest")
            let result = Result { () throws(LedgerError) in try ledger.store.append([tagged]) }
            guard case .failure(let error) = result, case .invalidInput(let field, _) = error else {
                Issue.record("expected invalid input, got \(result)")
                return
            }
            #expect(field == "data.image")
            #expect(error.exitCode == 65)
            #expect(try ledger.head == before)
        }
    }
}

// MARK: - Rule 9: deploy prerequisites

/// One missing prerequisite of a deploy, and how rule 9 names it.
enum DeployGap: String, CaseIterable, Sendable {
    case migrationImageNotUpdated, migrationImageUpdateFailed, migrationNotRun, migrationRunFailed
    case infraNotApplied, infraApplyFailed, convergenceWithoutInfraApply, identityNotApplied, identityApplyFailed
    case noCanary, failingCanary, staleCanary, noProbe, failingProbe

    var scope: FreezeScope {
        switch self {
        // Without a migration run, so that nothing else is missing.
        case .migrationImageNotUpdated, .migrationImageUpdateFailed: FreezeScope(migrationRequired: false)
        case .infraNotApplied, .infraApplyFailed: FreezeScope(infra: true)
        case .convergenceWithoutInfraApply: FreezeScope(convergence: true)
        case .identityNotApplied, .identityApplyFailed: FreezeScope(identity: true)
        default: .runtimeOnly
        }
    }

    /// The step the gap takes away, and what is recorded in its place (nil: nothing).
    func change(_ n: Int) -> (RequiredStep, ProposedEvent?) {
        switch self {
        case .migrationImageNotUpdated: (.migrationImage, nil)
        case .migrationImageUpdateFailed: (.migrationImage, LedgerEvents.migration(n, "image-updated", "failed"))
        case .migrationNotRun: (.migrationRan, nil)
        case .migrationRunFailed: (.migrationRan, LedgerEvents.migration(n, "ran", "failed"))
        case .infraNotApplied, .convergenceWithoutInfraApply: (.infraApply, nil)
        case .infraApplyFailed: (.infraApply, LedgerEvents.apply(n, "infra", "failed"))
        case .identityNotApplied: (.identityApply, nil)
        case .identityApplyFailed: (.identityApply, LedgerEvents.apply(n, "identity", "failed"))
        case .noCanary: (.canary, nil)
        case .failingCanary: (.canary, LedgerEvents.canary(n, status: "fail"))
        case .staleCanary:
            (.canary, LedgerEvents.canary(n, lastGreenAt: Fixtures.start.adding(milliseconds: -48 * hour)))
        case .noProbe: (.probe, nil)
        case .failingProbe: (.probe, LedgerEvents.probe(n, status: "fail"))
        }
    }

    var missing: String {
        switch self {
        case .migrationImageNotUpdated, .migrationImageUpdateFailed: "migration image updated"
        case .migrationNotRun, .migrationRunFailed: "migration ran"
        case .infraNotApplied, .infraApplyFailed, .convergenceWithoutInfraApply: "infra applied"
        case .identityNotApplied, .identityApplyFailed: "identity applied"
        case .noCanary: "entra canary readiness"
        case .failingCanary, .staleCanary: "a fresh passing entra canary"
        case .noProbe: "delegated probe readiness"
        case .failingProbe: "a passing delegated probe"
        }
    }

    /// Freeze, acceptance and every prerequisite of a deploy, with this one gap.
    func given(_ n: Int) -> [ProposedEvent] {
        let (step, replacement) = change(n)
        let prerequisites = RequiredStep.allCases.prefix(while: { $0 != .deployAPI }).filter {
            $0.isRequired(in: scope)
        }
        return [LedgerEvents.freeze(n, scope), LedgerEvents.acceptance(n)]
            + prerequisites.compactMap { $0 == step ? replacement : $0.event(n) }
    }
}

extension ReleaseRulesTests {
    @Suite("Rule 9: deploys need their prerequisites")
    struct DeployPrerequisitesRuleTests {
        @Test(arguments: [
            FreezeScope.runtimeOnly, FreezeScope(migrationRequired: false), FreezeScope(infra: true, identity: true),
        ])
        func admittedWithEveryPrerequisite(_ scope: FreezeScope) throws {
            let ledger = RulesLedger()
            try ledger.given([LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1)])
            try ledger.given(
                RequiredStep.allCases.prefix(while: { $0 != .deployAPI }).filter { $0.isRequired(in: scope) }.map {
                    $0.event(1)
                })
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "web"))
        }

        @Test(arguments: DeployGap.allCases, ["api", "web"])
        func refusedWithOnePrerequisiteMissing(_ gap: DeployGap, _ app: String) throws {
            let ledger = RulesLedger()
            try ledger.given(gap.given(1))
            let reason = try ledger.expectRefused(rule: 9, naming: [gap.missing], LedgerEvents.deploy(1, app))
            #expect(reason == "missing \(gap.missing)")
        }

        @Test func everyMissingPrerequisiteIsNamedInRunbookOrder() throws {
            let ledger = RulesLedger()
            let scope = FreezeScope(runtime: true, infra: true, identity: true, convergence: false)
            try ledger.given(LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.approval(1))
            let reason = try ledger.expectRefused(rule: 9, naming: [], LedgerEvents.deploy(1, "web"))
            #expect(
                reason
                    == "missing migration image updated, migration ran, infra applied, identity applied, "
                    + "entra canary readiness, delegated probe readiness"
            )
        }

        @Test func migrationRanNeedsTheImageUpdatedEarlierInTheRun() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
            // As the run's first event.
            try ledger.expectRefused(
                rule: 9, naming: ["migration ran needs the migration image updated earlier in this run"],
                LedgerEvents.migration(1, "ran"))
            // After a failed image update.
            try ledger.given(LedgerEvents.migration(1, "image-updated", "failed"))
            try ledger.expectRefused(rule: 9, naming: ["migration image updated"], LedgerEvents.migration(1, "ran"))
            // After a successful one.
            try ledger.given(LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRecorded(LedgerEvents.migration(1, "ran"))
        }

        @Test func prerequisitesCountWithinTheRunOnly() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.given(LedgerEvents.replay(1))
            // Run 1 updated the migration image and ran it; run 2 has not.
            try ledger.expectRefused(
                rule: 9, naming: ["missing migration image updated, migration ran"], LedgerEvents.deploy(1, "api"))
            try ledger.expectRefused(rule: 9, naming: ["earlier in this run"], LedgerEvents.migration(1, "ran"))
            try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
        }
    }
}

// MARK: - Rule 10: verdicts

extension ReleaseRulesTests {
    @Suite("Rule 10: a verdict YES needs every required gate passed")
    struct VerdictGatesRuleTests {
        @Test func aCleanPromotionIsDecidedYESAndGoesLive() throws {
            let ledger = RulesLedger()
            try ledger.given(Array(Fixtures.cleanPromotion(1).dropLast()))
            let verdict = try ledger.expectRecorded(Fixtures.cleanPromotion(1).last!)
            let live = try #require(try ledger.production.live)
            #expect(live.sha == Fixtures.sha(1))
            #expect(live.run == 1)
            #expect(live.position == verdict.position)
            #expect(live.images == Images(api: Fixtures.digest("api", 1), web: Fixtures.digest("web", 1)))
            #expect(try ledger.production.openRun == nil)
            #expect(try ledger.candidate(1).runs.first?.decision?.isYes == true)
        }

        @Test func YESIsRefusedNamingEveryUnmetGate() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
            try ledger.given(
                LedgerEvents.deploy(1, "api"), LedgerEvents.deploy(1, "web"), LedgerEvents.smoke(1, "browser", "failed")
            )
            let reason = try ledger.expectRefused(rule: 10, naming: [], LedgerEvents.verdict(1, "YES"))
            #expect(reason == "required gates not passed: smoke (failed), deployment-recorded (missing)")
            #expect(try ledger.candidate(1).openRun != nil)
        }

        @Test func NOIsAlwaysAcceptedAndClosesTheRun() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(2))
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
            #expect(
                (try verdict.payload())["reason"]?.stringValue
                    == "gates not passed: auth-readiness (missing), migration-ran (missing), deploy (missing), smoke (missing), "
                    + "deployment-recorded (missing)"
            )
            #expect(try ledger.production.openRun == nil)
            #expect(try ledger.production.live?.sha == Fixtures.sha(2))  // what was live stays live
            #expect(try ledger.candidate(1).openRun == nil)
            #expect(try ledger.candidate(1).lastDecidedRun?.decision?.decision == .no)
        }

        @Test func NOIsAcceptedWhenEveryGatePassed() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            try ledger.expectRecorded(LedgerEvents.verdict(1, "NO", reason: "held back by the release manager"))
            #expect(try ledger.production.live == nil)
        }

        /// Not a rule: the reason the ledger writes for a NO given with every gate passed says so.
        @Test func theDefaultReasonOfANOWithEveryGatePassedSaysSomething() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
            let reason = try #require((try verdict.payload())["reason"]?.stringValue)
            #expect(reason == "decided NO with every required gate passed")
        }

        @Test func aVerdictNeedsAnOpenRunOfThatSHA() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            // No production event yet: no run to decide (a verdict does not open one).
            for decision in ["YES", "NO"] {
                try ledger.expectRefused(
                    rule: 10, naming: ["\(short(1)) has no open run to decide"], LedgerEvents.verdict(1, decision))
            }
            // Another SHA's open run is not this SHA's.
            try ledger.given(
                LedgerEvents.freeze(2), LedgerEvents.acceptance(2), LedgerEvents.migration(2, "image-updated"))
            try ledger.expectRefused(rule: 10, naming: ["\(short(1)) has no open run"], LedgerEvents.verdict(1, "NO"))
            // A decided run takes no second verdict.
            try ledger.given(LedgerEvents.verdict(2, "NO"))
            try ledger.expectRefused(rule: 10, naming: ["\(short(2)) has no open run"], LedgerEvents.verdict(2, "NO"))
        }

        @Test func theStoredVerdictCarriesTheGateTableAndAReason() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))
            let data = (try verdict.payload())
            #expect(data["decision"] == "YES")
            #expect(data["reason"] == "all required gates passed")
            let gates = try #require(data["gates"]?.arrayValue)
            #expect(gates.compactMap { $0["name"]?.stringValue } == GateTableTests.runbookGates)
            for gate in gates {
                let required = gate["required"]?.boolValue
                #expect(gate["status"] == (required == true ? "passed" : "not-required"), "\(gate)")
            }
            #expect(
                gates.first { $0["name"] == "infra-apply" } == [
                    "name": "infra-apply", "required": false, "status": "not-required",
                ])
            // Read back through the query API too, and into the read model.
            let readBack = try #require(try ledger.payloads(1, .verdictRecorded).last)
            #expect(readBack == data)
            #expect(try ledger.candidate(1).runs.first?.decision?.gates.count == 10)
        }

        @Test func aGivenReasonIsKept() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "YES", reason: "release 42"))
            #expect((try verdict.payload())["reason"] == "release 42")
            #expect((try verdict.payload())["gates"]?.arrayValue?.count == 10)
        }

        @Test func aGivenGateTableMustMatchTheEvidence() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            let candidate = try ledger.candidate(1)
            let table = GateTable.evaluate(candidate, run: candidate.openRun)
            var forged = table
            forged[0].status = .failed
            try ledger.expectRefused(
                rule: 10, naming: ["does not match the ledger's evidence"],
                LedgerEvents.verdict(1, "YES", gates: .array(forged.map(\.json))))
            try ledger.expectRecorded(LedgerEvents.verdict(1, "YES", gates: .array(table.map(\.json))))
        }

        @Test func aVerdictWithoutADecisionIsDecidedByTheGatesInsideTheTransaction() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            let yes = try ledger.expectRecorded(Fixtures.event(.verdictRecorded, 1, ["reason": "computed"]))
            #expect((try yes.payload())["decision"] == "YES")

            let other = RulesLedger()
            try other.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try other.given(LedgerEvents.migration(1, "image-updated"))
            let no = try other.expectRecorded(Fixtures.event(.verdictRecorded, 1, [:]))
            #expect((try no.payload())["decision"] == "NO")
            #expect((try no.payload())["reason"]?.stringValue?.contains("deploy (missing)") == true)
        }
    }
}

// MARK: - Rule 11: replay and rollback

extension ReleaseRulesTests {
    @Suite("Rule 11: replay and rollback")
    struct ReplayRuleTests {
        @Test func replayingTheLiveSHAOpensRunTwo() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            let replay = try ledger.expectRecorded(LedgerEvents.replay(1))
            #expect((try replay.payload())["replaces"] == .string(Fixtures.sha(1)))
            let run = try #require(try ledger.candidate(1).openRun)
            #expect(run.number == 2)
            #expect(run.kind == .replay)
            #expect(run.replaces == Fixtures.sha(1))
            #expect(run.reason == "re-run the accepted candidate")
            #expect(run.requestedBy == "ci-bot")
            #expect(try ledger.production.openRun == ProductionState.RunPointer(sha: Fixtures.sha(1), run: 2))

            // The replay run goes through the whole sequence again and is decided on its own evidence.
            try ledger.expectRefused(
                rule: 10, naming: ["migration-image-updated (missing)"], LedgerEvents.verdict(1, "YES"))
            try ledger.given(LedgerEvents.requiredSteps(1, .runtimeOnly))
            try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))
            #expect(try ledger.production.live?.run == 2)
        }

        @Test func rollingBackToAnEarlierAcceptedSHA() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.given(LedgerEvents.promoted(2))
            #expect(try ledger.production.live?.sha == Fixtures.sha(2))
            let rollback = try ledger.expectRecorded(
                LedgerEvents.replay(1, mode: "rollback", reason: "smoke regressions on 2"))
            #expect((try rollback.payload())["replaces"] == .string(Fixtures.sha(2)))
            let run = try #require(try ledger.candidate(1).openRun)
            #expect(run.number == 2)
            #expect(run.kind == .rollback)
            #expect(run.replaces == Fixtures.sha(2))
            try ledger.given(LedgerEvents.requiredSteps(1, .runtimeOnly))
            try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))
            #expect(try ledger.production.live?.sha == Fixtures.sha(1))
            #expect(try ledger.production.live?.run == 2)
        }

        @Test func aReplayOfANeverDeployedSHAOpensItsFirstRun() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
            let replay = try ledger.expectRecorded(LedgerEvents.replay(1))
            #expect((try replay.payload())["replaces"] == nil)  // nothing is live
            let run = try #require(try ledger.candidate(1).openRun)
            #expect(run.number == 1)
            #expect(run.kind == .replay)
            #expect(run.replaces == nil)
        }

        @Test(arguments: ["replay", "rollback"], [nil, "NO"] as [String?])
        func anUnacceptedTargetIsRefused(_ mode: String, _ acceptance: String?) throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(2))
            try ledger.given(LedgerEvents.freeze(1))
            if let acceptance { try ledger.given(LedgerEvents.acceptance(1, acceptance)) }
            try ledger.expectRefused(
                rule: 11, naming: [short(1), "never accepted", "acceptance YES is required"],
                LedgerEvents.replay(1, mode: mode))
        }

        @Test func rollingBackToTheLiveSHAIsRefused() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.expectRefused(
                rule: 11, naming: ["\(short(1)) is already in production", "use replay"],
                LedgerEvents.replay(1, mode: "rollback"))
            try ledger.expectRecorded(LedgerEvents.replay(1, mode: "replay"))
        }

        @Test(arguments: ["replay", "rollback"])
        func refusedWhileAnotherRunIsOpen(_ mode: String) throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.given(
                LedgerEvents.freeze(2), LedgerEvents.acceptance(2), LedgerEvents.migration(2, "image-updated"))
            try ledger.expectRefused(
                rule: 5, naming: ["run 1 of \(short(2)) is open"], LedgerEvents.replay(1, mode: mode))
            // Nor may the open run's own SHA be replayed over itself.
            try ledger.expectRefused(rule: 5, naming: ["run 1 of \(short(2)) is open"], LedgerEvents.replay(2))
        }

        @Test func aGivenReplacesMustNameTheLiveSHA() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.given(LedgerEvents.promoted(2))
            try ledger.expectRefused(
                rule: 11, naming: ["replaces names \(short(3)) but \(short(2)) is in production"],
                LedgerEvents.replay(1, mode: "rollback", replaces: Fixtures.sha(3)))
            try ledger.expectRecorded(LedgerEvents.replay(1, mode: "rollback", replaces: Fixtures.sha(2)))
        }

        @Test func aGivenReplacesIsRefusedWhenNothingIsLive() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.freeze(1), LedgerEvents.acceptance(1))
            try ledger.expectRefused(
                rule: 11, naming: ["but nothing is in production"], LedgerEvents.replay(1, replaces: Fixtures.sha(2)))
        }

        @Test(arguments: EventType.allCases.filter(\.isProductionStep), ["YES", "NO"])
        func productionEventsAfterAClosedRunAreRefusedUntilAReplay(_ type: EventType, _ decision: String) throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            try ledger.given(LedgerEvents.verdict(1, decision))
            try ledger.expectRefused(
                rule: 11,
                naming: [
                    "run 1 of \(short(1)) is closed", "only the first run opens implicitly", "use replay or rollback",
                ],
                LedgerEvents.sample(type, 1))
            try ledger.given(LedgerEvents.replay(1))
            if [.deployRecorded, .smokeRecorded, .deploymentRecorded].contains(type) {
                try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
            }
            if [.smokeRecorded, .deploymentRecorded].contains(type) {
                try ledger.given(LedgerEvents.deploy(1, "api"), LedgerEvents.deploy(1, "web"))
            }
            try ledger.expectRecorded(LedgerEvents.sample(type, 1))
            #expect(try ledger.candidate(1).runs.count == 2)
        }
    }
}

// MARK: - Pre-deploy auth readiness

extension ReleaseRulesTests {
    @Suite("Pre-deploy auth readiness: canary freshness and the delegated probe")
    struct AuthReadinessTests {
        /// A runtime candidate without a migration run, accepted, with no readiness recorded yet.
        static func accepted(_ ledger: RulesLedger) throws {
            try ledger.given(LedgerEvents.freeze(1, FreezeScope(migrationRequired: false)), LedgerEvents.acceptance(1))
        }

        @Test(
            arguments: [
                (0, true), (-hour, true), (-24 * hour, true), (-24 * hour - 1, false), (-48 * hour, false),
                (5 * 60_000, true), (5 * 60_000 + 1, false),
            ] as [(Int64, Bool)])
        func freshnessIsMeasuredAgainstTheSLOAtRecordingTime(_ offset: Int64, _ fresh: Bool) {
            // offset: lastGreenAt relative to the recording time; positive is a canary clock ahead of ours.
            let at = Fixtures.start
            #expect(
                CanaryFreshness.isFresh(lastGreenAt: at.adding(milliseconds: offset), sloHours: 24, at: at) == fresh)
        }

        @Test func freshnessNeedsBothLastGreenAndTheSLO() {
            #expect(!CanaryFreshness.isFresh(lastGreenAt: nil, sloHours: 24, at: Fixtures.start))
            #expect(!CanaryFreshness.isFresh(lastGreenAt: Fixtures.start, sloHours: nil, at: Fixtures.start))
        }

        @Test func aFreshCanaryAndAPassingProbeAdmitADeploy() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(
                LedgerEvents.canary(1, lastGreenAt: Fixtures.start.adding(milliseconds: -23 * hour), sloHours: 24))
            try ledger.given(LedgerEvents.probe(1), LedgerEvents.migration(1, "image-updated"))
            #expect(try ledger.candidate(1).canary?.fresh == true)
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
        }

        @Test func aStaleCanaryIsRefusedAndFailsTheGate() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(
                LedgerEvents.canary(1, lastGreenAt: Fixtures.start.adding(milliseconds: -25 * hour), sloHours: 24))
            try ledger.given(LedgerEvents.probe(1), LedgerEvents.migration(1, "image-updated"))
            #expect(try ledger.candidate(1).canary?.fresh == false)
            try ledger.expectRefused(
                rule: 9, naming: ["missing a fresh passing entra canary"], LedgerEvents.deploy(1, "api"))
            try ledger.given(LedgerEvents.verdict(1, "NO"))
            let gates = try #require(try ledger.payloads(1, .verdictRecorded).last?["gates"]?.arrayValue)
            #expect(gates.first { $0["name"] == "auth-readiness" }?["status"] == "failed")
        }

        @Test func aShortSLOMakesARecentCanaryStale() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(
                LedgerEvents.canary(1, lastGreenAt: Fixtures.start.adding(milliseconds: -2 * hour), sloHours: 1.5))
            try ledger.given(LedgerEvents.probe(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(rule: 9, naming: ["a fresh passing entra canary"], LedgerEvents.deploy(1, "web"))
        }

        @Test func freshnessIsJudgedWhenTheCanaryIsRecorded() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)  // positions 1-2, at start and start+1s
            // Recorded at start+2s: 24h minus 8s old, inside a 24h SLO.
            try ledger.given(
                LedgerEvents.canary(
                    1, lastGreenAt: Fixtures.start.adding(milliseconds: -24 * hour + 10_000), sloHours: 24))
            // Time passes: by the deploy, the same lastGreenAt would be outside the SLO.
            for i in 0..<20 { try ledger.given(Fixtures.note(1, "waiting \(i)")) }
            try ledger.given(LedgerEvents.probe(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
            #expect(try ledger.candidate(1).canary?.fresh == true)
        }

        @Test func aFailingCanaryIsRefusedEvenWhenFresh() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(
                LedgerEvents.canary(1, status: "fail"), LedgerEvents.probe(1),
                LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(rule: 9, naming: ["a fresh passing entra canary"], LedgerEvents.deploy(1, "api"))
        }

        @Test func aFailingProbeIsRefusedAndFailsTheGate() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(
                LedgerEvents.canary(1), LedgerEvents.probe(1, status: "fail"),
                LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(
                rule: 9, naming: ["missing a passing delegated probe"], LedgerEvents.deploy(1, "api"))
            try ledger.given(LedgerEvents.verdict(1, "NO"))
            let gates = try #require(try ledger.payloads(1, .verdictRecorded).last?["gates"]?.arrayValue)
            #expect(gates.first { $0["name"] == "auth-readiness" }?["status"] == "failed")
        }

        @Test func theLatestReadinessCounts() throws {
            let ledger = RulesLedger()
            try Self.accepted(ledger)
            try ledger.given(LedgerEvents.canary(1, lastGreenAt: Fixtures.start.adding(milliseconds: -30 * hour)))
            try ledger.given(LedgerEvents.probe(1, status: "fail"), LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRefused(
                rule: 9, naming: ["a fresh passing entra canary", "a passing delegated probe"],
                LedgerEvents.deploy(1, "api"))
            try ledger.given(LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
            // And a later failure takes it back.
            try ledger.given(LedgerEvents.probe(1, status: "fail"))
            try ledger.expectRefused(rule: 9, naming: ["a passing delegated probe"], LedgerEvents.deploy(1, "web"))
        }
    }
}

// MARK: - Repeated events within a run

extension ReleaseRulesTests {
    @Suite("Repeated events within a run: the latest outcome counts")
    struct LatestOutcomeTests {
        @Test func aFailedDeployThenASucceededOnePassesTheGate() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1))
            try ledger.given(LedgerEvents.migration(1, "image-updated"), LedgerEvents.migration(1, "ran"))
            try ledger.given(LedgerEvents.deploy(1, "api", "failed"), LedgerEvents.deploy(1, "web"))
            try ledger.expectRefused(rule: 10, naming: ["deploy (failed)"], LedgerEvents.verdict(1, "YES"))
            try ledger.given(LedgerEvents.deploy(1, "api", "succeeded"))
            try ledger.given(
                LedgerEvents.smoke(1, "api"), LedgerEvents.smoke(1, "browser"), LedgerEvents.deploymentRecorded(1))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "YES"))
            #expect(
                (try verdict.payload())["gates"]?.arrayValue?.first { $0["name"] == "deploy" }?["status"] == "passed")
            let deploys = try ledger.candidate(1).runs.first?.steps.filter { $0.type == "deploy.recorded" }
            #expect(deploys?.map(\.outcome) == ["failed", "succeeded", "succeeded"])
        }

        @Test func aPassedSmokeThenAFailedOneFailsTheGate() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.readyForVerdict(1))
            try ledger.given(LedgerEvents.smoke(1, "api", "failed"))
            try ledger.expectRefused(
                rule: 10, naming: ["required gates not passed: smoke (failed)"], LedgerEvents.verdict(1, "YES"))
            let verdict = try ledger.expectRecorded(LedgerEvents.verdict(1, "NO"))
            #expect((try verdict.payload())["reason"] == "gates not passed: smoke (failed)")
        }

        @Test func aFailedInfraApplyThenASucceededOneAdmitsTheDeploy() throws {
            let ledger = RulesLedger()
            let scope = FreezeScope(infra: true, migrationRequired: false)
            try ledger.given(
                LedgerEvents.freeze(1, scope), LedgerEvents.acceptance(1), LedgerEvents.canary(1), LedgerEvents.probe(1)
            )
            try ledger.given(
                LedgerEvents.approval(1), LedgerEvents.migration(1, "image-updated"),
                LedgerEvents.apply(1, "infra", "failed"))
            try ledger.expectRefused(rule: 9, naming: ["missing infra applied"], LedgerEvents.deploy(1, "api"))
            try ledger.given(LedgerEvents.apply(1, "infra"))
            try ledger.expectRecorded(LedgerEvents.deploy(1, "api"))
            // A succeeded apply followed by a failed one takes it back.
            try ledger.given(LedgerEvents.apply(1, "infra", "failed"))
            try ledger.expectRefused(rule: 9, naming: ["missing infra applied"], LedgerEvents.deploy(1, "web"))
        }

        @Test func aFailedMigrationImageUpdateThenASucceededOneAdmitsTheRun() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated", "failed")
            )
            try ledger.given(LedgerEvents.migration(1, "image-updated"))
            try ledger.expectRecorded(LedgerEvents.migration(1, "ran"))
        }
    }
}

// MARK: - x- notes

extension ReleaseRulesTests {
    @Suite("x- events: no rule applies")
    struct ExtensionEventTests {
        @Test func aNoteIsAdmittedBeforeTheFreeze() throws {
            let ledger = RulesLedger()
            try ledger.expectRecorded(Fixtures.note(1, "candidate building"))
            try ledger.expectRecorded(
                ProposedEvent(type: "x-build-started", sha: Fixtures.sha(1), data: ["builder": "ci"]))
            #expect(try ledger.store.candidate(Fixtures.sha(1)) == nil)
            // The freeze still comes first for everything else.
            try ledger.expectRefused(rule: 1, naming: ["no candidate.frozen"], LedgerEvents.acceptance(1))
        }

        @Test func aNoteIsAdmittedDuringAnotherSHAsOpenRun() throws {
            let ledger = RulesLedger()
            try ledger.given(
                LedgerEvents.freeze(1), LedgerEvents.acceptance(1), LedgerEvents.migration(1, "image-updated"))
            try ledger.given(LedgerEvents.freeze(2), LedgerEvents.acceptance(2))
            let production = try ledger.production
            let candidate = try ledger.candidate(2)
            try ledger.expectRecorded(Fixtures.note(2, "queued behind \(short(1))"))
            #expect(try ledger.production == production)
            #expect(try ledger.candidate(2) == candidate)
        }

        @Test func aNoteIsAdmittedOnAClosedRun() throws {
            let ledger = RulesLedger()
            try ledger.given(LedgerEvents.promoted(1))
            try ledger.expectRecorded(Fixtures.note(1, "post-release note"))
            #expect(try ledger.candidate(1).runs.count == 1)
        }
    }
}
