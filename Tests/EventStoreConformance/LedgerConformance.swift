import ReleaseLedgerCore
import Testing

/// The questions every `Ledger` answers (the SQLite file, a database server, a server over HTTP),
/// checked two ways: against values worked out by hand, and against the in-memory store given
/// the same appends. The factory makes a fresh, empty, writable ledger whose engine is
/// `Fixtures.engine()`, so both write the same bytes.
public struct LedgerConformance: Sendable {
    public typealias Factory = @Sendable () throws -> any Ledger

    let makeLedger: Factory

    public init(_ makeLedger: @escaping Factory) { self.makeLedger = makeLedger }

    public static let checkNames = [
        "statusAndMoments", "timelineGroupsByRun", "historyLines", "doraRunsAndDeploys", "rollbackTargetAndPlan",
        "migrationWarning", "artifactsAndFold", "eventsPageAndStop", "answersMatchTheReference",
    ]

    public func run(_ name: String) throws {
        let ledger = try makeLedger()
        switch name {
        case "statusAndMoments": try statusAndMoments(ledger)
        case "timelineGroupsByRun": try timelineGroupsByRun(ledger)
        case "historyLines": try historyLines(ledger)
        case "doraRunsAndDeploys": try doraRunsAndDeploys(ledger)
        case "rollbackTargetAndPlan": try rollbackTargetAndPlan(ledger)
        case "migrationWarning": try migrationWarning(ledger)
        case "artifactsAndFold": try artifactsAndFold(ledger)
        case "eventsPageAndStop": try eventsPageAndStop(ledger)
        case "answersMatchTheReference": try answersMatchTheReference(ledger)
        default: Issue.record("unknown ledger conformance check \(name)")
        }
    }

    /// Promotes 1 and 2, fails 3, rolls back to 1 (away from 2): the history the checks ask about.
    static func appendScenario(_ ledger: any Ledger) throws {
        _ = try ledger.append(Fixtures.cleanPromotion(1))
        _ = try ledger.append(Fixtures.cleanPromotion(2))
        _ = try ledger.append(Fixtures.promotionFailingBrowserSmoke(3))
        _ = try ledger.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "errors after 2"])])
        _ = try ledger.append(Array(Fixtures.cleanPromotion(1)[4...]))
        _ = try ledger.append([Fixtures.note(1, "after the rollback")])
    }

    func statusAndMoments(_ ledger: any Ledger) throws {
        let empty = try ledger.status(recentDecisions: 5)
        #expect(
            empty.head == 0 && empty.production.live == nil && empty.serving.isEmpty && empty.recentDecisions.isEmpty)
        _ = try ledger.append(Fixtures.cleanPromotion(1))
        _ = try ledger.append(Array(Fixtures.cleanPromotion(2).prefix(7)))  // run 1 of 2 open, its api deployed
        let status = try ledger.status(recentDecisions: 5)
        #expect(status.head == 19)
        #expect(status.production.live?.sha == Fixtures.sha(1))
        #expect(status.serving.map(\.image) == [Fixtures.digest("api", 2), Fixtures.digest("web", 1)])
        #expect(status.openRun?.candidate.sha == Fixtures.sha(2))
        #expect(status.openRun?.run.number == 1 && status.openRun?.gates.isEmpty == false)
        #expect(status.recentDecisions.map(\.sha) == [Fixtures.sha(1)])
        #expect(try ledger.status(recentDecisions: 0).recentDecisions.isEmpty)

        let beforeDecision = try ledger.moment(.position(11))
        #expect(
            beforeDecision.position == 11 && beforeDecision.released == nil
                && beforeDecision.openRun?.sha == Fixtures.sha(1))
        let decided = try ledger.moment(.position(12))
        #expect(decided.released?.sha == Fixtures.sha(1) && decided.released?.images.api == Fixtures.digest("api", 1))
        #expect(decided.openRun == nil && decided.liveRun?.run == 1)
        #expect(try ledger.moment(.position(1_000)).position == 19)
        #expect(try ledger.moment(.time(Timestamp(millisecondsSinceEpoch: 0))).position == 0)
        #expect(try ledger.moment(.time(Fixtures.start.adding(milliseconds: 60_000))).position == 19)
    }

    func timelineGroupsByRun(_ ledger: any Ledger) throws {
        try Self.appendScenario(ledger)
        #expect(try ledger.timeline(of: Fixtures.sha(9)) == nil)
        let timeline = try #require(try ledger.timeline(of: Fixtures.sha(1)))
        #expect(timeline.acceptance?.verdict == .yes)
        #expect(timeline.groups.map { $0.run?.number } == [nil, 1, 2])
        // Freeze, acceptance and readiness are the candidate's; the first migration step opens run 1;
        // the note joins run 2.
        #expect(
            timeline.groups[0].events.map(\.type) == [
                "candidate.frozen", "acceptance.recorded", "readiness.recorded", "readiness.recorded",
            ])
        #expect(timeline.groups[1].events.count == 8)
        #expect(timeline.groups[2].run?.kind == .rollback)
        #expect(
            timeline.groups[2].events.first?.type == "replay.requested"
                && timeline.groups[2].events.last?.type == "x-note")
        #expect(
            timeline.groups.flatMap(\.events).map(\.position)
                == (try ledger.events(EventQuery(sha: Fixtures.sha(1))).map(\.position)))
    }

    func historyLines(_ ledger: any Ledger) throws {
        try Self.appendScenario(ledger)
        _ = try ledger.append([
            Fixtures.event(.candidateFrozen, 4, Fixtures.frozenData(4)),
            Fixtures.event(.acceptanceRecorded, 4, ["verdict": "NO", "reason": "flaky suite"]),
        ])
        let lines = try ledger.history(RunFilter(includeAcceptanceRefusals: true))
        #expect(
            lines.map { "\($0.summary.sha.prefix(4))#\($0.summary.run)" } == [
                "\(Fixtures.sha(4).prefix(4))#0", "\(Fixtures.sha(1).prefix(4))#2", "\(Fixtures.sha(3).prefix(4))#1",
                "\(Fixtures.sha(2).prefix(4))#1", "\(Fixtures.sha(1).prefix(4))#1",
            ])
        #expect(lines[0].acceptance?.reason == "flaky suite" && lines[0].run == nil)
        #expect(
            lines[1].run?.kind == .rollback && lines[1].run?.reason == "errors after 2" && lines[1].acceptance == nil)
        #expect(lines[2].run?.decision?.decision == .no)
        #expect(lines.allSatisfy { $0.metadata.actor == "ci-bot" })
        // An older run of a SHA comes from its whole history, not the rules' view.
        #expect(try ledger.history(RunFilter(sha: Fixtures.sha(1))).map { $0.run?.number } == [2, 1])
    }

    func doraRunsAndDeploys(_ ledger: any Ledger) throws {
        try Self.appendScenario(ledger)
        let runs = try ledger.doraRuns()
        #expect(runs.map(\.sha) == [Fixtures.sha(1), Fixtures.sha(2), Fixtures.sha(3), Fixtures.sha(1)])
        #expect(runs.map(\.decision) == [.yes, .yes, .no, .yes])
        let frozen = try [1, 2, 3].map { try ledger.candidate(Fixtures.sha($0))?.frozen?.event.at }
        #expect(runs.map(\.frozenAt) == [frozen[0], frozen[1], frozen[2], frozen[0]])
        let deploys = try ledger.succeededDeploys()
        #expect(deploys.count == 8)
        #expect(deploys.map(\.run) == [1, 1, 1, 1, 1, 1, 2, 2])
        #expect(deploys.map(\.position) == deploys.map(\.position).sorted())
    }

    func rollbackTargetAndPlan(_ ledger: any Ledger) throws {
        _ = try ledger.append(Fixtures.cleanPromotion(1))
        _ = try ledger.append(Fixtures.cleanPromotion(2))
        let target = try ledger.rollbackTarget(from: Fixtures.sha(2))
        #expect(target.sha == Fixtures.sha(1) && target.skipped.isEmpty)
        _ = try ledger.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "errors after 2"])])
        let plan = try ledger.runPlan(of: Fixtures.sha(1))
        #expect(plan.run.number == 2 && plan.run.kind == .rollback && plan.run.replaces == Fixtures.sha(2))
        #expect(plan.frozen.images.api == Fixtures.digest("api", 1))
        #expect(plan.earlierRuns.map(\.summary.run) == [1] && plan.earlierRunsNotShown == 0)
        #expect(plan.gates.allSatisfy(\.required) && !plan.gates.isEmpty)
        // 2 carries a migration frozen after 1: the rollback is warned that migrations stay.
        #expect(plan.migrationWarning?.contains("a replay does not reverse migrations") == true)
        _ = try ledger.append(Array(Fixtures.cleanPromotion(1)[4...]))
        // Production was rolled back from 2: it is no target any more.
        let choice = try ledger.rollbackTarget(from: Fixtures.sha(1))
        #expect(choice.sha == nil && choice.skipped.map(\.sha) == [Fixtures.sha(2)])
    }

    func migrationWarning(_ ledger: any Ledger) throws {
        // 2 is frozen before 1, so its migration is older than 1's: going back to 1 reverses nothing.
        let second = Fixtures.cleanPromotion(2)
        _ = try ledger.append(Array(second.prefix(2)))
        _ = try ledger.append(Fixtures.cleanPromotion(1))
        _ = try ledger.append(Array(second.dropFirst(2)))
        _ = try ledger.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "back"])])
        #expect(try ledger.runPlan(of: Fixtures.sha(1)).migrationWarning == nil)
        #expect(throws: LedgerError.self) { try ledger.runPlan(of: Fixtures.sha(9)) }
    }

    func artifactsAndFold(_ ledger: any Ledger) throws {
        try Self.appendScenario(ledger)
        let files = try ledger.artifacts(of: Fixtures.sha(1), run: nil, checkingReadModel: true)
        #expect(files.contains { $0.path == "candidate/\(Fixtures.sha(1))/manifest.json" })
        let first = try ledger.artifacts(of: Fixtures.sha(1), run: 1, checkingReadModel: false)
        #expect(first != files)
        #expect(throws: LedgerError.self) {
            try ledger.artifacts(of: Fixtures.sha(9), run: nil, checkingReadModel: false)
        }
        let fold = try ledger.foldAll()
        #expect(fold.candidates.keys.sorted() == (try ledger.candidateSHAs()))
        #expect(fold.production == (try ledger.production()))
        #expect(try fold.candidates[Fixtures.sha(1)]?.rulesView() == ledger.candidate(Fixtures.sha(1)))
        #expect(try ledger.readModelProblem() == nil)
    }

    func eventsPageAndStop(_ ledger: any Ledger) throws {
        _ = try ledger.append((1...30).map { Fixtures.note($0 % 3, "note \($0)") })
        var seen: [Int64] = []
        try ledger.forEachEvent(EventQuery(afterPosition: 4)) { event in
            seen.append(event.position)
            return event.position < 20
        }
        #expect(seen == Array(5...20))
        #expect(
            try ledger.events(EventQuery(sha: Fixtures.sha(1), afterPosition: 3, limit: 4)).map(\.position) == [
                4, 7, 10, 13,
            ])
        #expect(try ledger.event(at: 30)?.position == 30)
        #expect(try ledger.event(at: 31) == nil && ledger.event(at: 0) == nil)
    }

    /// Every question, at every position where it takes one, answered as the reference answers it.
    func answersMatchTheReference(_ ledger: any Ledger) throws {
        let reference = InMemoryEventStore(engine: Fixtures.engine())
        try Self.appendScenario(reference)
        try Self.appendScenario(ledger)
        let shas = [1, 2, 3, 9].map(Fixtures.sha)
        #expect(try ledger.head() == reference.head())
        #expect(try ledger.status(recentDecisions: 3) == reference.status(recentDecisions: 3))
        for position in 0...(try reference.head().position + 1) {
            #expect(try ledger.moment(.position(position)) == reference.moment(.position(position)))
        }
        for sha in shas {
            #expect(try ledger.timeline(of: sha) == reference.timeline(of: sha))
            #expect(try ledger.history(RunFilter(sha: sha)) == reference.history(RunFilter(sha: sha)))
        }
        #expect(
            try ledger.history(RunFilter(includeAcceptanceRefusals: true))
                == reference.history(RunFilter(includeAcceptanceRefusals: true)))
        #expect(try ledger.doraRuns() == reference.doraRuns())
        #expect(try ledger.succeededDeploys() == reference.succeededDeploys())
        #expect(try ledger.rollbackTarget(from: Fixtures.sha(1)) == reference.rollbackTarget(from: Fixtures.sha(1)))
        #expect(try ledger.runPlan(of: Fixtures.sha(1)) == reference.runPlan(of: Fixtures.sha(1)))
        #expect(try ledger.foldAll().candidates == reference.foldAll().candidates)
    }
}
