import ReleaseLedgerCore
import Testing

/// The behaviour every `EventStore` backend must have. Each backend's test target calls
/// `run(_:)`-style entry points with a factory that makes a fresh, empty store.
public struct EventStoreConformance: Sendable {
    public typealias Factory = @Sendable () throws -> any ReleaseHistory

    let makeStore: Factory

    public init(_ makeStore: @escaping Factory) { self.makeStore = makeStore }

    /// Every check, by name, so a backend can run them as parameterised tests.
    public static let checkNames = [
        "positionsAreContiguous", "batchesAreAtomic", "expectedVersions", "idempotentRetryWritesNothing",
        "sameIDDifferentContentConflicts", "chainVerifies", "queriesFilter", "refusedEventsAreNotStored",
        "freezeRepeatIsIdempotent", "readModelFollowsAppends", "duplicateIDInOneBatchConflicts", "historyQueries",
        "acceptanceRefusalsAreListed",
    ]

    public func run(_ name: String) throws {
        let store = try makeStore()
        switch name {
        case "positionsAreContiguous": try positionsAreContiguous(store)
        case "batchesAreAtomic": try batchesAreAtomic(store)
        case "expectedVersions": try expectedVersions(store)
        case "idempotentRetryWritesNothing": try idempotentRetryWritesNothing(store)
        case "sameIDDifferentContentConflicts": try sameIDDifferentContentConflicts(store)
        case "chainVerifies": try chainVerifies(store)
        case "queriesFilter": try queriesFilter(store)
        case "refusedEventsAreNotStored": try refusedEventsAreNotStored(store)
        case "freezeRepeatIsIdempotent": try freezeRepeatIsIdempotent(store)
        case "readModelFollowsAppends": try readModelFollowsAppends(store)
        case "duplicateIDInOneBatchConflicts": try duplicateIDInOneBatchConflicts(store)
        case "historyQueries": try historyQueries(store)
        case "acceptanceRefusalsAreListed": try acceptanceRefusalsAreListed(store)
        default: Issue.record("unknown conformance check \(name)")
        }
    }

    func positionsAreContiguous(_ store: any EventStore) throws {
        for n in 1...5 { _ = try store.append([Fixtures.note(n % 2, "note \(n)")]) }
        _ = try store.append([Fixtures.note(3, "a"), Fixtures.note(3, "b"), Fixtures.note(4, "c")])
        let events = try store.events(EventQuery())
        #expect(events.map(\.position) == Array(1...8))
        #expect(try store.head().position == 8)
        #expect(events.filter { $0.sha == Fixtures.sha(3) }.map(\.version) == [1, 2])
        #expect(try store.streamVersion("candidate-\(Fixtures.sha(3))") == 2)
        #expect(try store.streamVersion("candidate-unknown") == 0)
    }

    func batchesAreAtomic(_ store: any EventStore) throws {
        _ = try store.append([Fixtures.note(1, "first")])
        let before = try store.head()
        // The third event breaks a rule (nothing may be recorded before the freeze): none of the batch lands.
        let batch = [
            Fixtures.note(1, "a"), Fixtures.note(2, "b"), Fixtures.event(.acceptanceRecorded, 9, ["verdict": "YES"]),
        ]
        #expect(throws: LedgerError.self) { try store.append(batch) }
        #expect(try store.head() == before)
        // An invalid payload anywhere in the batch fails it before anything is written.
        let invalid = [Fixtures.note(1, "a"), Fixtures.event(.candidateFrozen, 2, ["images": "nope"])]
        do {
            _ = try store.append(invalid)
            Issue.record("an invalid batch was accepted")
        } catch let error {
            guard case .invalidInput(let field, _) = error else {
                Issue.record("expected invalid input, got \(error)")
                return
            }
            #expect(field.hasPrefix("events[1].data"))
        }
        #expect(try store.head() == before)
    }

    func expectedVersions(_ store: any EventStore) throws {
        _ = try store.append([Fixtures.note(1, "a", expect: .noStream)])
        #expect(throws: LedgerError.self) { try store.append([Fixtures.note(1, "b", expect: .noStream)]) }
        _ = try store.append([Fixtures.note(1, "b", expect: .exists)])
        #expect(throws: LedgerError.self) { try store.append([Fixtures.note(2, "x", expect: .exists)]) }
        _ = try store.append([Fixtures.note(1, "c", expect: .exact(2))])
        do {
            _ = try store.append([Fixtures.note(1, "d", expect: .exact(1))])
            Issue.record("a stale expected version was accepted")
        } catch let error {
            #expect(error.exitCode == 3)
            #expect(error.description.contains("at version 3"))
        }
        #expect(try store.streamVersion("candidate-\(Fixtures.sha(1))") == 3)
    }

    func idempotentRetryWritesNothing(_ store: any EventStore) throws {
        let first = try store.append([Fixtures.note(1, "deploy step", id: "run-7-step-3")])
        _ = try store.append([Fixtures.note(2, "other")])
        let retry = try store.append([Fixtures.note(1, "deploy step", id: "run-7-step-3")])
        #expect(retry[0].status == .alreadyRecorded)
        #expect(retry[0].position == first[0].position)
        #expect(retry[0].hash == first[0].hash)
        #expect(try store.head().position == 2)
    }

    func sameIDDifferentContentConflicts(_ store: any EventStore) throws {
        _ = try store.append([Fixtures.note(1, "one", id: "key-1")])
        do {
            _ = try store.append([Fixtures.note(1, "two", id: "key-1")])
            Issue.record("different content under one id was accepted")
        } catch let error {
            #expect(error.exitCode == 3)
            #expect(error.description.contains("position 1"))
        }
        #expect(try store.head().position == 1)
    }

    func chainVerifies(_ store: any EventStore) throws {
        _ = try store.append(Fixtures.cleanPromotion(1))
        let events = try store.events(EventQuery())
        #expect(events.first?.previousHash == ChainHasher.genesisHash)
        for (previous, next) in zip(events, events.dropFirst()) { #expect(next.previousHash == previous.hash) }
        for event in events { #expect(ChainHasher.hash(of: event) == event.hash) }
        let report = try store.verify(anchor: nil)
        #expect(report.isIntact)
        #expect(report.eventCount == 12)
        #expect(report.head == (try store.head()))
        #expect(try store.verify(anchor: ChainHead(position: 3, hash: events[2].hash)).isIntact)
        let wrongAnchor = try store.verify(anchor: ChainHead(position: 3, hash: events[3].hash))
        #expect(wrongAnchor.firstBadPosition == 3)
        let futureAnchor = try store.verify(anchor: ChainHead(position: 20, hash: events[3].hash))
        #expect(futureAnchor.firstBadPosition == 13)
    }

    func queriesFilter(_ store: any EventStore) throws {
        _ = try store.append(Fixtures.cleanPromotion(1))
        _ = try store.append([Fixtures.note(2, "n")])
        #expect(try store.events(EventQuery(sha: Fixtures.sha(2))).count == 1)
        #expect(try store.events(EventQuery(type: "deploy.recorded")).map(\.position) == [7, 8])
        #expect(try store.events(EventQuery(afterPosition: 10)).map(\.position) == [11, 12, 13])
        #expect(try store.events(EventQuery(afterPosition: 2, limit: 2)).map(\.position) == [3, 4])
        #expect(try store.events(EventQuery(upToPosition: 2)).map(\.position) == [1, 2])
    }

    func refusedEventsAreNotStored(_ store: any EventStore) throws {
        _ = try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1))])
        let deploy = Fixtures.event(
            .deployRecorded, 1, ["app": "api", "image": .string(Fixtures.digest("api", 1)), "outcome": "succeeded"])
        do {
            _ = try store.append([deploy])
            Issue.record("a deploy without acceptance was recorded")
        } catch let error {
            #expect(error.exitCode == 2)
            #expect(error.description.contains("rule 4"))
        }
        #expect(try store.head().position == 1)
        #expect(try store.candidate(Fixtures.sha(1))?.runs.isEmpty == true)
        #expect(try store.production().openRun == nil)
    }

    func freezeRepeatIsIdempotent(_ store: any EventStore) throws {
        let first = try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1))])
        let again = try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(1))])
        #expect(again[0].status == .alreadyRecorded)
        #expect(again[0].position == first[0].position)
        #expect(throws: LedgerError.self) {
            try store.append([Fixtures.event(.candidateFrozen, 1, Fixtures.frozenData(2))])
        }
        #expect(try store.head().position == 1)
    }

    func readModelFollowsAppends(_ store: any EventStore) throws {
        _ = try store.append(Array(Fixtures.cleanPromotion(1).dropLast()))
        let open = try #require(try store.candidate(Fixtures.sha(1)))
        #expect(open.openRun?.number == 1)
        #expect(try store.production().openRun?.sha == Fixtures.sha(1))
        #expect(try store.production().openRun?.run == 1)
        _ = try store.append([Fixtures.cleanPromotion(1).last!])
        let decided = try #require(try store.candidate(Fixtures.sha(1)))
        #expect(decided.openRun == nil)
        #expect(decided.runs.first?.decision?.decision == .yes)
        #expect(try store.production().live?.sha == Fixtures.sha(1))
        #expect(try store.production().openRun == nil)
    }

    func duplicateIDInOneBatchConflicts(_ store: any EventStore) throws {
        #expect(throws: LedgerError.self) {
            try store.append([Fixtures.note(1, "a", id: "same"), Fixtures.note(1, "b", id: "same")])
        }
        #expect(try store.head().position == 0)
    }

    /// 1 and 2 promoted, 3 decided NO on a failed smoke, then a rollback to 1 decided YES.
    func historyQueries(_ store: any ReleaseHistory) throws {
        _ = try store.append(Fixtures.cleanPromotion(1))
        _ = try store.append(Fixtures.cleanPromotion(2))
        _ = try store.append(Fixtures.promotionFailingBrowserSmoke(3))
        let beforeRollback = try store.head().position
        _ = try store.append([Fixtures.event(.replayRequested, 1, ["mode": "rollback", "reason": "errors after 2"])])
        let rollbackSteps = Array(Fixtures.cleanPromotion(1)[4...])
        _ = try store.append(Array(rollbackSteps.dropLast()))
        let midRollback = try store.head().position
        _ = try store.append([rollbackSteps.last!])
        let (one, two, three) = (Fixtures.sha(1), Fixtures.sha(2), Fixtures.sha(3))

        let all = try store.runs(RunFilter())
        #expect(
            all.map { "\($0.sha.prefix(4))#\($0.run)" } == [
                "\(one.prefix(4))#2", "\(three.prefix(4))#1", "\(two.prefix(4))#1", "\(one.prefix(4))#1",
            ])
        #expect(all[0].kind == .rollback)
        #expect(all[0].replaces == two)
        #expect(all[0].decision == .yes)
        #expect(all[0].actor == "ci-bot")
        #expect(try store.runs(RunFilter(decision: "NO")).map(\.sha) == [three])
        #expect(try store.runs(RunFilter(kind: .rollback)).map(\.run) == [2])
        #expect(try store.runs(RunFilter(sha: one)).count == 2)
        #expect(try store.runs(RunFilter(limit: 1)).count == 1)
        #expect(try store.runs(RunFilter(since: all[0].openedAt)).count == 1)
        #expect(try store.runs(RunFilter(until: all[0].openedAt)).count == 3)
        #expect(try store.latestDecisions(limit: 2).map(\.sha) == [one, three])
        #expect(try store.lastYes(excluding: one)?.sha == two)
        #expect(try store.liveRun(atOrBeforePosition: try store.head().position)?.run == 2)
        #expect(try store.liveRun(atOrBeforePosition: beforeRollback)?.sha == two)
        #expect(try store.liveRun(atOrBeforePosition: 11) == nil)
        #expect(try store.openRun(atPosition: midRollback)?.sha == one)
        #expect(try store.openRun(atPosition: beforeRollback) == nil)
        #expect(try store.openRun(atPosition: 6)?.sha == one)
        let tenth = try store.events(EventQuery(afterPosition: 9, limit: 1))[0]
        #expect(try store.lastPosition(atOrBefore: tenth.recordedAt) == 10)
        #expect(try store.lastPosition(atOrBefore: Timestamp(millisecondsSinceEpoch: 0)) == 0)
        // Every moment an event was recorded, and the millisecond before it: the last position
        // recorded by then, as a scan of the events says.
        let recorded = try store.events(EventQuery())
        for moment in recorded.flatMap({ [$0.recordedAt, $0.recordedAt.adding(milliseconds: -1)] }) {
            let expected = recorded.last { $0.recordedAt <= moment }?.position ?? 0
            #expect(try store.lastPosition(atOrBefore: moment) == expected, "at \(moment)")
        }
        #expect(try store.candidateSHAs() == [one, two, three].sorted())
        let states = try [one, two, three].map { try store.candidate($0) }
        #expect(try store.rebuildReadModel() == 3)
        #expect(try [one, two, three].map { try store.candidate($0) } == states)
        #expect(try store.runs(RunFilter()) == all)
    }

    /// A candidate refused at acceptance has a history line (kind acceptance, run 0, decided NO at
    /// the acceptance) that the filters find, and that no production query sees.
    func acceptanceRefusalsAreListed(_ store: any ReleaseHistory) throws {
        _ = try store.append(Fixtures.cleanPromotion(1))
        _ = try store.append([
            Fixtures.event(.candidateFrozen, 2, Fixtures.frozenData(2)),
            Fixtures.event(.acceptanceRecorded, 2, ["verdict": "NO", "reason": "red"]),
        ])
        let refusedAt = try store.head()
        _ = try store.append(Array(Fixtures.cleanPromotion(3).prefix(2)))
        let two = Fixtures.sha(2)
        let all = try store.runs(RunFilter(includeAcceptanceRefusals: true))
        #expect(all.map(\.sha) == [two, Fixtures.sha(1)])
        #expect(try store.runs(RunFilter()).map(\.sha) == [Fixtures.sha(1)], "only history asks for refusals")
        let refusal = all[0]
        #expect(refusal.kind == .acceptance)
        #expect(refusal.run == 0)
        #expect(refusal.decision == .no)
        #expect(refusal.openedPosition == refusedAt.position)
        #expect(refusal.decidedPosition == refusedAt.position)
        #expect(refusal.decidedAt == refusal.openedAt)
        #expect(refusal.actor == "ci-bot")
        #expect(try store.runs(RunFilter(kind: .acceptance)) == [refusal])
        #expect(try store.runs(RunFilter(decision: "NO", includeAcceptanceRefusals: true)) == [refusal])
        #expect(
            try store.runs(RunFilter(decision: "YES", includeAcceptanceRefusals: true)).map(\.sha) == [Fixtures.sha(1)])
        #expect(try store.runs(RunFilter(decision: "PENDING", kind: .acceptance)).isEmpty)
        #expect(
            try store.runs(RunFilter(kind: .promotion, includeAcceptanceRefusals: true)).map(\.sha) == [Fixtures.sha(1)]
        )
        #expect(try store.runs(RunFilter(sha: two, includeAcceptanceRefusals: true)) == [refusal])
        #expect(
            try store.runs(RunFilter(sha: Fixtures.sha(3), includeAcceptanceRefusals: true)).isEmpty,
            "acceptance YES is no history line")
        #expect(try store.runs(RunFilter(since: refusal.openedAt, includeAcceptanceRefusals: true)).first == refusal)
        #expect(
            try store.runs(RunFilter(until: refusal.openedAt, includeAcceptanceRefusals: true)).contains(refusal)
                == false)
        #expect(try store.runs(RunFilter(limit: 1, includeAcceptanceRefusals: true)) == [refusal])
        // Production queries are about runs only.
        #expect(try store.latestDecisions(limit: 5).map(\.sha) == [Fixtures.sha(1)])
        #expect(try store.openRun(atPosition: refusedAt.position) == nil)
        #expect(try store.rebuildReadModel() == 3)
        #expect(try store.runs(RunFilter(includeAcceptanceRefusals: true)) == all)
    }
}
