import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Parallel {
    /// The cores online: how many workers a fold or the artifacts are split over.
    public static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `body(0) ... body(count - 1)` on `workers` threads, each taking every `workers`-th index,
    /// returned in index order. `body` must not share mutable state between indices.
    public static func map<T>(_ count: Int, workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        let workers = max(1, min(workers, count))
        results.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: count, by: workers) { output[index] = body(index) }
            }
        }
        return results.map { $0! }
    }
}
