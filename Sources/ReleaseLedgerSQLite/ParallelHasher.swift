import Dispatch
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

/// Recomputes the hashes of many rows on every core. Each row's hash depends only on its own
/// content, so the work splits freely; the chain's links are checked afterwards, in order.
enum ParallelHasher {
    static let workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    static func hashes(of events: [RecordedEvent]) -> [String] {
        guard workers > 1, events.count >= 64 else { return events.map(ChainHasher.hash(of:)) }
        var results = [String](repeating: "", count: events.count)
        let slice = (events.count + workers - 1) / workers
        results.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let start = worker * slice
                let end = min(events.count, start + slice)
                guard start < end else { return }
                for index in start..<end { output[index] = ChainHasher.hash(of: events[index]) }
            }
        }
        return results
    }
}
