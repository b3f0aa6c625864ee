import ReleaseLedgerCore
import Synchronization
import Testing

import Dispatch
import Foundation  // Thread: the writers below block on locks, so each needs a thread of its own

/// What every engine that several processes share must do with several connections to one
/// ledger: pyeventsourcing's recorder cases (duplicate writes fail, batches atomic, concurrent
/// writers with polling readers, racing large batches) and the release rules across connections.
/// A backend's test target gives a factory that makes a fresh, empty ledger and returns a way to
/// open another connection to it; connections must use an engine with random ids.
public struct ConcurrentStoreConformance: Sendable {
    public typealias Opener = @Sendable () throws -> any ReleaseHistory
    let makeLedger: @Sendable () throws -> Opener

    public init(_ makeLedger: @escaping @Sendable () throws -> Opener) { self.makeLedger = makeLedger }

    public static let checkNames = [
        "duplicateWritesFail", "batchesAreAtomicAcrossConnections", "concurrentWritersWithPollingReaders",
        "racingBatchesGetDisjointContiguousPositions", "racingProductionMutationsOneWins",
    ]

    public func run(_ name: String) throws {
        let open = try makeLedger()
        switch name {
        case "duplicateWritesFail": try duplicateWritesFail(open)
        case "batchesAreAtomicAcrossConnections": try batchesAreAtomicAcrossConnections(open)
        case "concurrentWritersWithPollingReaders": try concurrentWritersWithPollingReaders(open)
        case "racingBatchesGetDisjointContiguousPositions": try racingBatchesGetDisjointContiguousPositions(open)
        case "racingProductionMutationsOneWins": try racingProductionMutationsOneWins(open)
        default: Issue.record("unknown conformance check \(name)")
        }
    }

    /// Two connections write the same stream version: exactly one lands, the other is a conflict.
    /// The same event id from two connections at once is recorded once, and answered once as a repeat.
    func duplicateWritesFail(_ open: @escaping Opener) throws {
        let first = try open()
        let second = try open()
        _ = try first.append([Fixtures.note(1, "v1", expect: .noStream)])
        #expect(throws: LedgerError.self) { try second.append([Fixtures.note(1, "other v1", expect: .noStream)]) }
        let outcomes = Mutex<[String]>([])
        Threads.run(8) { index in
            do {
                let store = try open()
                let receipt = try store.append([Fixtures.note(1, "v2", expect: .exact(1))])
                outcomes.withLock { $0.append("recorded \(receipt[0].position)") }
            } catch let error as LedgerError {
                outcomes.withLock { $0.append(error.exitCode == 3 ? "conflict" : "\(error)") }
            } catch {
                outcomes.withLock { $0.append("\(error)") }
            }
        }
        #expect(outcomes.withLock { $0 }.sorted() == Array(repeating: "conflict", count: 7) + ["recorded 2"])
        let statuses = Mutex<[AppendReceipt.Status]>([])
        Threads.run(6) { _ in
            do {
                let receipt = try open().append([Fixtures.note(2, "keyed", id: "step-42")])
                statuses.withLock { $0.append(receipt[0].status) }
            } catch {
                Issue.record("a keyed repeat failed: \(error)")
            }
        }
        #expect(statuses.withLock { $0 }.filter { $0 == .recorded }.count == 1)
        #expect(statuses.withLock { $0 }.count == 6)
        #expect(try first.head().position == 3)
    }

    /// A batch that fails part way leaves nothing another connection can see.
    func batchesAreAtomicAcrossConnections(_ open: @escaping Opener) throws {
        let writer = try open()
        let reader = try open()
        _ = try writer.append([Fixtures.note(1, "first")])
        let refused = [
            Fixtures.note(1, "a"), Fixtures.note(2, "b"), Fixtures.event(.acceptanceRecorded, 9, ["verdict": "YES"]),
        ]
        #expect(throws: LedgerError.self) { try writer.append(refused) }
        #expect(try reader.head().position == 1)
        #expect(try reader.events(EventQuery()).count == 1)
        #expect(try reader.streamVersion("candidate-\(Fixtures.sha(2))") == 0)
        // The connection that failed goes on writing at the next position.
        #expect(try writer.append([Fixtures.note(2, "after")])[0].position == 2)
        #expect(try reader.verify(anchor: nil).isIntact)
    }

    /// 10 writers, 2 readers polling: readers only ever see a gapless prefix that grows, and the
    /// end holds every event exactly once.
    func concurrentWritersWithPollingReaders(_ open: @escaping Opener) throws {
        let writers = 10
        let appendsEach = 15
        let done = Atomic<Int>(0)
        let problems = Mutex<[String]>([])
        let written = Mutex<[Int64]>([])
        Threads.run(writers + 2) { index in
            do {
                let store = try open()
                if index < writers {
                    defer { done.add(1, ordering: .sequentiallyConsistent) }
                    for n in 0..<appendsEach {
                        let batch = (0...(n % 3)).map {
                            Fixtures.note(100 + index, "writer \(index) append \(n).\($0)")
                        }
                        let receipts = try store.append(batch)
                        let positions = receipts.map(\.position)
                        if positions != Array(positions[0]...positions[0] + Int64(batch.count) - 1) {
                            problems.withLock { $0.append("writer \(index) got positions \(positions)") }
                        }
                        written.withLock { $0 += positions }
                    }
                } else {
                    var seen: Int64 = 0
                    while true {
                        let finished = done.load(ordering: .sequentiallyConsistent) == writers
                        let events = try store.events(EventQuery(afterPosition: seen))
                        for event in events {
                            if event.position != seen + 1 {
                                problems.withLock { $0.append("reader saw \(event.position) after \(seen)") }
                            }
                            seen = event.position
                        }
                        if finished { break }
                    }
                }
            } catch {
                problems.withLock { $0.append("\(error)") }
            }
        }
        #expect(problems.withLock { $0 } == [])
        let total = Int64(writers * (0..<appendsEach).map { $0 % 3 + 1 }.reduce(0, +))
        #expect(written.withLock { $0 }.sorted() == Array(1...total))
        let store = try open()
        #expect(try store.head().position == total)
        #expect(try store.verify(anchor: nil).isIntact)
    }

    /// Two 1,000-event batches at once: each gets a contiguous range, the ranges do not overlap,
    /// and together they are 1...2000.
    func racingBatchesGetDisjointContiguousPositions(_ open: @escaping Opener) throws {
        let ranges = Mutex<[[Int64]]>([])
        Threads.run(2) { index in
            do {
                let batch = (0..<1_000).map { Fixtures.note(200 + index, "batch \(index) event \($0)") }
                let positions = try open().append(batch).map(\.position)
                ranges.withLock { $0.append(positions) }
            } catch {
                Issue.record("a racing batch failed: \(error)")
            }
        }
        let got = ranges.withLock { $0 }.sorted { $0[0] < $1[0] }
        try #require(got.count == 2)
        for range in got { #expect(range == Array(range[0]...range[0] + 999)) }
        #expect(got[0] + got[1] == Array(1...2000))
        #expect(try open().verify(anchor: nil).isIntact)
    }

    /// Candidates ready for production on separate connections race their first production
    /// mutation: exactly one opens a run, every other is refused by the rules.
    func racingProductionMutationsOneWins(_ open: @escaping Opener) throws {
        let contenders = 6
        let setup = try open()
        for n in 1...contenders { _ = try setup.append(Array(Fixtures.cleanPromotion(n).prefix(4))) }
        let outcomes = Mutex<[(Int, String)]>([])
        Threads.run(contenders) { index in
            let n = index + 1
            do {
                _ = try open().append([Fixtures.cleanPromotion(n)[4]])
                outcomes.withLock { $0.append((n, "recorded")) }
            } catch let error as LedgerError {
                outcomes.withLock { $0.append((n, error.exitCode == 2 ? "refused" : "\(error)")) }
            } catch {
                outcomes.withLock { $0.append((n, "\(error)")) }
            }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.filter { $0.1 == "recorded" }.count == 1)
        #expect(results.filter { $0.1 == "refused" }.count == contenders - 1)
        let winner = try #require(results.first { $0.1 == "recorded" }?.0)
        #expect(try setup.production().openRun?.sha == Fixtures.sha(winner))
        #expect(try setup.head().position == Int64(contenders * 4 + 1))
    }
}

/// Plain threads (not a pool): each body may block on the database for a long time.
public enum Threads {
    public static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let finished = DispatchGroup()
        for index in 0..<count {
            finished.enter()
            let thread = Thread {
                body(index)
                finished.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        finished.wait()
    }
}
