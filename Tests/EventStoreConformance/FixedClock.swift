import Synchronization
import ReleaseLedgerCore

/// A clock that returns a set instant and then steps by a fixed amount, for reproducible tests.
public final class FixedClock: LedgerClock {
    private let current: Mutex<Timestamp>
    private let step: Int64

    public init(_ start: Timestamp, stepMilliseconds: Int64 = 1000) {
        current = Mutex(start)
        step = stepMilliseconds
    }

    public func now() -> Timestamp {
        current.withLock { value in
            defer { value = value.adding(milliseconds: step) }
            return value
        }
    }
}
