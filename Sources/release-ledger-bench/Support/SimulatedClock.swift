import ReleaseLedgerCore

/// A simulated clock: each event happens `stepSeconds` after the previous one.
final class SimulatedClock: LedgerClock, @unchecked Sendable {
    private var current: Int64
    private let step: Int64

    init(start: Timestamp, stepSeconds: Int64 = 37) {
        current = start.millisecondsSinceEpoch
        step = stepSeconds * 1000
    }

    func now() -> Timestamp {
        current += step
        return Timestamp(millisecondsSinceEpoch: current)
    }
}
