import NIOConcurrencyHelpers
import NIOPosix
import ReleaseLedgerCore

/// The one writer of the ledger: a thread that owns the write connection and commits the batches
/// waiting for it together, in one transaction and one fsync (group commit).
///
/// Each batch is still validated (by the request, before it queues), ruled and chained in arrival
/// order, and its request is answered only once the transaction holding it has committed: what is
/// acknowledged is on disk. A batch that is refused is rolled back alone (`appendValidatedGroup`).
final class GroupCommitWriter: Sendable {
    typealias Outcome = Result<[AppendReceipt], LedgerError>

    private struct Pending {
        var batch: [ProposedEvent]
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
        var closed = false
    }

    /// At most this many events share one transaction: a huge group would delay the first of them.
    static let maxEventsPerGroup = 4_096

    private let queue = NIOLockedValueBox(Queue())
    private let thread: NIOThreadPool
    private let store: StoreBox

    /// The store is touched only from `thread` (a SQLite or PostgreSQL connection is used by one
    /// thread at a time).
    private final class StoreBox: @unchecked Sendable {
        let store: any GroupCommitStore
        init(_ store: any GroupCommitStore) { self.store = store }
    }

    init(store: any GroupCommitStore) {
        self.store = StoreBox(store)
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Queues one batch (already validated) and returns once it is committed or refused.
    func append(_ batch: [ProposedEvent]) async -> Outcome {
        await withCheckedContinuation { continuation in
            enum Next { case refuse, wait, startDraining }
            let next: Next = queue.withLockedValue { queue in
                // Shutting down: batches already queued are committed; new ones are told to retry.
                if queue.closed { return .refuse }
                queue.pending.append(Pending(batch: batch, continuation: continuation))
                if queue.draining { return .wait }
                queue.draining = true
                return .startDraining
            }
            switch next {
            case .refuse:
                continuation.resume(
                    returning: .failure(.busy("the server is shutting down; nothing was written, retry")))
            case .wait: break
            case .startDraining: thread.submit { _ in self.drain() }
            }
        }
    }

    /// Commits groups until nothing waits.
    private func drain() {
        while true {
            let group: [Pending] = queue.withLockedValue { queue in
                var events = 0
                var taken = 0
                for item in queue.pending {
                    if taken > 0 && events + item.batch.count > Self.maxEventsPerGroup { break }
                    events += item.batch.count
                    taken += 1
                }
                let group = Array(queue.pending.prefix(taken))
                queue.pending.removeFirst(taken)
                if group.isEmpty { queue.draining = false }
                return group
            }
            if group.isEmpty { return }
            let outcomes: [Outcome]
            do {
                outcomes = try store.store.appendValidatedGroup(group.map(\.batch))
            } catch {
                outcomes = Array(repeating: .failure(error), count: group.count)
            }
            for (item, outcome) in zip(group, outcomes) { item.continuation.resume(returning: outcome) }
        }
    }

    /// Rebuilds the read model on the writer's thread, between two groups.
    func rebuildReadModel() async throws -> Int {
        let store = store
        return try await thread.runIfActive { () throws -> Int in try store.store.rebuildReadModel() }
    }

    /// Refuses new batches, commits those already queued, then stops the thread.
    func close() async {
        queue.withLockedValue { $0.closed = true }
        while queue.withLockedValue({ $0.draining || !$0.pending.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        try? await thread.shutdownGracefully()
    }
}
