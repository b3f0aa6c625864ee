#if canImport(Glibc)
import Glibc
#endif

/// The one clock every timing in the benchmark reads: CLOCK_MONOTONIC, in milliseconds.
enum MonotonicClock {
    static func milliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
    }

    /// Runs `body` and returns how long it took, in milliseconds.
    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = milliseconds()
        try body()
        return milliseconds() - start
    }
}
